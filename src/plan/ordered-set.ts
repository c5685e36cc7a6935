// Ordered-set aggregates: `percentile_cont(0.5) WITHIN GROUP (ORDER BY x)`, percentile_disc,
// mode(). The call binds to the functions layer's OrderedSetAggregate (argTypes = direct
// argument types, then x's type); the executor's ORDER BY-in-aggregate path feeds
// [...direct args, x] in x's order, and rows whose x is NULL are filtered out, as PostgreSQL
// requires. Added by the query-language engineer; aggregates.ts calls in for WITHIN GROUP.
import { aggregateCandidates, type BuiltinAggregate } from '../types/functions/api.js';
import { isOrderedSetAggregate } from '../types/functions/aggregates-api.js';
import { positionOf, type AstBody } from '../parser/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { AggregateCall } from './aggregates.js';
import type { ExprBinder } from './bind-expr.js';
import type { Expr } from './expr.js';
import { resolvePolymorphic, typeDisplayName } from './resolve.js';
import type { Scope } from './scope.js';
import { sortKey } from './select.js';
import { T, UNKNOWN, canCoerce } from './type-access.js';

const polymorphic = (oid: number) => (oid >= 2276 && oid <= 2283) || oid === 5077 || oid === 5078 || oid === 2776;

export function bindOrderedSetCall(binder: ExprBinder, name: string, body: AstBody, scope: Scope): AggregateCall {
  const direct = ((body.args ?? []) as AstBody[]).map((node) => binder.bind(node, scope));
  const order = (body.agg_order ?? []) as AstBody[];
  if (order.length !== 1) throw new SqlError(SqlState.featureNotSupported, `${name} takes exactly one ORDER BY expression in WITHIN GROUP`, positionOf(body));
  const sortBy = order[0]!.SortBy;
  let sorted = binder.bind(sortBy.node, scope);
  if (sorted.type === UNKNOWN) sorted = binder.coerce(sorted, T.text, -1, 'implicit');
  const actual = [...direct.map((arg) => arg.type), sorted.type];
  const candidates = aggregateCandidates(name).filter((candidate) => isOrderedSetAggregate(candidate) && candidate.argTypes.length === actual.length);
  const fits = (candidate: BuiltinAggregate, exact: boolean) => candidate.argTypes.every((declared, i) =>
    declared === actual[i] || polymorphic(declared) || actual[i] === UNKNOWN || (!exact && canCoerce(actual[i]!, declared, 'implicit')));
  const chosen = candidates.find((candidate) => fits(candidate, true)) ?? candidates.find((candidate) => fits(candidate, false));
  if (!chosen) {
    throw new SqlError(SqlState.undefinedFunction, `function ${name}(${actual.map(typeDisplayName).join(', ')}) does not exist`, {
      ...positionOf(body),
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  const argTypes = resolvePolymorphic(chosen.argTypes, actual);
  const args: Expr[] = [...direct, sorted].map((arg, i) => binder.coerce(arg, argTypes[i]!, -1, 'implicit', undefined, positionOf(body).position));
  const x = args[args.length - 1]!;
  const notNull: Expr = { kind: 'isNull', arg: x, negated: true, type: T.bool, typmod: -1 };
  const userFilter = body.agg_filter ? binder.bindCondition(body.agg_filter, scope, 'FILTER') : null;
  const filter: Expr = userFilter ? { kind: 'and', args: [userFilter, notNull], type: T.bool, typmod: -1 } : notNull;
  const type = typeof chosen.returnType === 'function' ? chosen.returnType(argTypes) : chosen.returnType;
  return { name, aggregate: chosen, args, argTypes, star: false, distinct: false, filter, orderBy: [sortKey(x, sortBy)], type, typmod: -1 };
}
