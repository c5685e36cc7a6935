// Window function calls (basic support): row_number, rank, dense_rank, percent_rank, cume_dist,
// ntile, lag, lead, first_value, last_value, and aggregates over a window, with PARTITION BY,
// ORDER BY and PostgreSQL's default frame (whole partition without ORDER BY; up to the current
// row's last peer with ORDER BY). Explicit ROWS/RANGE frames are refused for now.
import { aggregateCandidates, type BuiltinAggregate } from '../types/functions/api.js';
import { nameList, positionOf, type AstBody } from '../parser/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { ExprBinder } from './bind-expr.js';
import type { Expr } from './expr.js';
import type { SortKey } from './nodes.js';
import { resolvePolymorphic } from './resolve.js';
import type { Scope } from './scope.js';
import { sortKey } from './select.js';
import { T, UNKNOWN } from './type-access.js';

export type WindowKind = 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist' | 'ntile' | 'lag' | 'lead' | 'first_value' | 'last_value' | 'aggregate';

export interface WindowCall {
  kind: WindowKind;
  name: string;
  args: Expr[];
  argTypes: number[];
  aggregate: BuiltinAggregate | null;
  partitionBy: Expr[];
  orderBy: SortKey[];
  type: number;
  typmod: number;
}

const rankingResult: Record<string, number> = {
  row_number: T.int8, rank: T.int8, dense_rank: T.int8, percent_rank: T.float8, cume_dist: T.float8, ntile: T.int4,
};

/** DEFAULT frame bits (RANGE UNBOUNDED PRECEDING … CURRENT ROW), as libpg-query reports them. */
const defaultFrameOptions = 1058;

export function bindWindowCall(binder: ExprBinder, name: string, body: AstBody, scope: Scope, namedWindows: Map<string, AstBody>): WindowCall {
  let over = body.over;
  if (over.name && !over.partitionClause && !over.orderClause) {
    const named = namedWindows.get(over.name);
    if (!named) throw new SqlError(SqlState.undefinedObject, `window "${over.name}" does not exist`, positionOf(over));
    over = named;
  } else if (over.refname) {
    const base = namedWindows.get(over.refname);
    if (!base) throw new SqlError(SqlState.undefinedObject, `window "${over.refname}" does not exist`, positionOf(over));
    over = { ...base, ...over, partitionClause: base.partitionClause };
  }
  if ((over.frameOptions ?? defaultFrameOptions) !== defaultFrameOptions) {
    throw new SqlError(SqlState.featureNotSupported, 'window frame clauses are not supported yet', positionOf(over));
  }
  const partitionBy = ((over.partitionClause ?? []) as AstBody[]).map((item) => binder.bind(item, scope));
  const orderBy = ((over.orderClause ?? []) as AstBody[]).map((item) => sortKey(binder.bind(item.SortBy.node, scope), item.SortBy));
  let args = ((body.args ?? []) as AstBody[]).map((arg) => binder.bind(arg, scope));
  if (rankingResult[name] !== undefined) {
    if (name === 'ntile') args = [binder.coerce(args[0]!, T.int4, -1, 'implicit')];
    else if (args.length > 0) throw new SqlError(SqlState.undefinedFunction, `function ${name} does not take arguments`, positionOf(body));
    return { kind: name as WindowKind, name, args, argTypes: args.map((a) => a.type), aggregate: null, partitionBy, orderBy, type: rankingResult[name]!, typmod: -1 };
  }
  if (name === 'lag' || name === 'lead' || name === 'first_value' || name === 'last_value') {
    if (args.length === 0) throw new SqlError(SqlState.undefinedFunction, `function ${name}() does not exist`, positionOf(body));
    const valueType = args[0]!.type === UNKNOWN ? T.text : args[0]!.type;
    args[0] = binder.coerce(args[0]!, valueType, -1, 'implicit');
    if (args[1]) args[1] = binder.coerce(args[1], T.int4, -1, 'implicit');
    if (args[2]) args[2] = binder.coerce(args[2], valueType, -1, 'implicit');
    return { kind: name, name, args, argTypes: args.map((a) => a.type), aggregate: null, partitionBy, orderBy, type: valueType, typmod: args[0]!.typmod };
  }
  const star = body.agg_star === true;
  if (star) args = [];
  const candidates = aggregateCandidates(name).filter((candidate) => candidate.argTypes.length === args.length);
  const actual = args.map((arg) => arg.type);
  const chosen = candidates.find((candidate) => candidate.argTypes.every((t, i) => t === actual[i])) ?? candidates[0];
  if (!chosen) {
    throw new SqlError(SqlState.undefinedFunction, `function ${nameList(body.funcname).join('.')}(${star ? '*' : ''}) is not a window function`, positionOf(body));
  }
  const argTypes = resolvePolymorphic(chosen.argTypes, actual);
  args = args.map((arg, i) => binder.coerce(arg, argTypes[i]!, -1, 'implicit'));
  const type = typeof chosen.returnType === 'function' ? chosen.returnType(argTypes) : chosen.returnType;
  return { kind: 'aggregate', name, args, argTypes, aggregate: chosen, partitionBy, orderBy, type, typmod: -1 };
}
