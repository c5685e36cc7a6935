// Aggregate calls in a query: bound arguments, DISTINCT / FILTER / ORDER BY, and the resolved
// implementation from the functions registry (src/types/functions).
import { bindOrderedSetCall } from './ordered-set.js';
import { aggregateCandidates, type BuiltinAggregate } from '../types/functions/api.js';
import { nameList, positionOf, type AstBody } from '../parser/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { ExprBinder } from './bind-expr.js';
import type { Expr } from './expr.js';
import { resolvePolymorphic, typeDisplayName } from './resolve.js';
import type { Scope } from './scope.js';
import { T, UNKNOWN, canCoerce, getType } from './type-access.js';

export interface AggregateCall {
  name: string;
  aggregate: BuiltinAggregate;
  args: Expr[];
  argTypes: number[];
  star: boolean;
  distinct: boolean;
  filter: Expr | null;
  orderBy: Array<{ expr: Expr; descending: boolean; nullsFirst: boolean; compare: (a: unknown, b: unknown) => number }>;
  type: number;
  typmod: number;
}

export function isAggregateName(name: string): boolean {
  return aggregateCandidates(name).length > 0;
}

export function bindAggregateCall(binder: ExprBinder, name: string, body: AstBody, scope: Scope): AggregateCall {
  if (body.agg_within_group) return bindOrderedSetCall(binder, name, body, scope);
  const star = body.agg_star === true;
  let args = star ? [] : ((body.args ?? []) as AstBody[]).map((arg) => binder.bind(arg, scope));
  const candidates = aggregateCandidates(name).filter((candidate) => candidate.argTypes.length === args.length);
  const actual = args.map((arg) => arg.type);
  let chosen = candidates.find((candidate) => candidate.argTypes.every((t, i) => t === actual[i]));
  if (!chosen) {
    const viable = candidates.filter((candidate) =>
      candidate.argTypes.every((t, i) => t === actual[i] || actual[i] === UNKNOWN || t >= 2276 && t <= 2283 || t === 5077 || t === 5078 || t === 2776 || canCoerce(actual[i]!, t, 'implicit')));
    // Prefer the candidate whose declared types are preferred / most specific.
    chosen = viable.find((candidate) => candidate.argTypes.every((t, i) => actual[i] === UNKNOWN ? t === T.text : true)) ?? viable[0];
  }
  if (!chosen) {
    const shown = star ? `${name}(*)` : `${name}(${actual.map(typeDisplayName).join(', ')})`;
    throw new SqlError(SqlState.undefinedFunction, `function ${shown} does not exist`, {
      ...positionOf(body),
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  const argTypes = resolvePolymorphic(chosen.argTypes, actual);
  args = args.map((arg, i) => binder.coerce(arg, argTypes[i]!, -1, 'implicit', undefined, positionOf(body).position));
  const type = typeof chosen.returnType === 'function' ? chosen.returnType(argTypes) : chosen.returnType;
  const filter = body.agg_filter ? binder.bindCondition(body.agg_filter, scope, 'FILTER') : null;
  const orderBy = ((body.agg_order ?? []) as AstBody[]).map((item) => {
    const sortBy = item.SortBy;
    const expr = binder.bind(sortBy.node, scope);
    const descending = sortBy.sortby_dir === 'SORTBY_DESC';
    const nullsFirst = sortBy.sortby_nulls === 'SORTBY_NULLS_FIRST' || (sortBy.sortby_nulls !== 'SORTBY_NULLS_LAST' && descending);
    const pg = getType(expr.type === UNKNOWN ? T.text : expr.type);
    return { expr, descending, nullsFirst, compare: (a: unknown, b: unknown) => pg.compare(a, b) };
  });
  void nameList;
  return { name, aggregate: chosen, args, argTypes, star, distinct: body.agg_distinct === true, filter, orderBy, type, typmod: -1 };
}
