// GROUP BY with GROUPING SETS, ROLLUP and CUBE: the clause expands to a list of grouping sets
// (index lists into the query's distinct grouping expressions), the aggregate node computes each
// set and fills the other keys with NULL, and GROUPING(…) reads a hidden grouping-id column
// (bit i set = grouping expression i is not grouped in this row's set). Added by the
// query-language engineer; select.ts and bind-expr.ts call in through small hooks.
import { nodeBody, nodeKind, positionOf, type AstBody } from '../parser/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { ExprBinder } from './bind-expr.js';
import type { Expr } from './expr.js';
import { exprKey, mapChildren } from './expr-utils.js';
import type { Scope } from './scope.js';
import { T } from './type-access.js';

/** Grouping sets beyond this many are refused (CUBE of 12 columns is 4096 sets). */
const groupingSetsMax = 4096;

/** Placeholder name of a GROUPING(…) call until the aggregate's columns are known. */
const groupingPlaceholder = '?grouping';

export function bindGroupingFunc(binder: ExprBinder, body: AstBody, scope: Scope): Expr {
  const args = ((body.args ?? []) as AstBody[]).map((node) => binder.bind(node, scope));
  if (args.length > 31) throw new SqlError(SqlState.programLimitExceeded, 'GROUPING must have fewer than 32 arguments', positionOf(body));
  return {
    kind: 'call', name: groupingPlaceholder, args, strict: false, volatile: false, type: T.int4, typmod: -1,
    impl: () => {
      throw new SqlError(SqlState.groupingError, 'GROUPING can only be used in the SELECT list, HAVING or ORDER BY of a grouped query', positionOf(body));
    },
  };
}

/**
 * Expands the GROUP BY clause into grouping sets. `groupExprs` holds the bound plain items in
 * clause order (one per non-GroupingSet item); expressions met inside grouping sets are added to
 * it (de-duplicated). Returns null when the clause has no GroupingSet.
 */
export function expandGroupingSets(binder: ExprBinder, scope: Scope, clause: AstBody[], groupExprs: Expr[]): number[][] | null {
  if (!clause.some((item) => nodeKind(item) === 'GroupingSet')) return null;
  const keys = groupExprs.map(exprKey);
  const indexOf = (expr: Expr): number => {
    const key = exprKey(expr);
    let index = keys.indexOf(key);
    if (index < 0) {
      index = groupExprs.length;
      groupExprs.push(expr);
      keys.push(key);
    }
    return index;
  };
  const element = (node: AstBody): number[] => {
    if (nodeKind(node) === 'RowExpr' && nodeBody(node).row_format === 'COERCE_IMPLICIT_CAST') return ((nodeBody(node).args ?? []) as AstBody[]).map((arg) => indexOf(binder.bind(arg, scope)));
    return [indexOf(binder.bind(node, scope))];
  };
  const expand = (node: AstBody): number[][] => {
    if (nodeKind(node) !== 'GroupingSet') return [element(node)];
    const body = nodeBody(node);
    const content = (body.content ?? []) as AstBody[];
    switch (body.kind) {
      case 'GROUPING_SET_EMPTY':
        return [[]];
      case 'GROUPING_SET_SIMPLE':
        return [content.flatMap(element)];
      case 'GROUPING_SET_ROLLUP': {
        const parts = content.map(element);
        const sets: number[][] = [];
        for (let length = parts.length; length >= 0; length--) sets.push(parts.slice(0, length).flat());
        return sets;
      }
      case 'GROUPING_SET_CUBE': {
        const parts = content.map(element);
        if (parts.length > 12) throw new SqlError(SqlState.programLimitExceeded, 'CUBE is limited to 12 elements', positionOf(body));
        const sets: number[][] = [];
        for (let mask = (1 << parts.length) - 1; mask >= 0; mask--) sets.push(parts.filter((_, i) => mask & (1 << (parts.length - 1 - i))).flat());
        return sets;
      }
      case 'GROUPING_SET_SETS':
        return content.flatMap(expand);
      default:
        throw new SqlError(SqlState.featureNotSupported, `grouping set kind ${String(body.kind)} is not supported`, positionOf(body));
    }
  };
  let plainIndex = 0;
  let sets: number[][] = [[]];
  for (const item of clause) {
    const options = nodeKind(item) === 'GroupingSet' ? expand(item) : [[plainIndex++]];
    const next: number[][] = [];
    for (const prefix of sets) for (const option of options) next.push([...prefix, ...option]);
    if (next.length > groupingSetsMax) throw new SqlError(SqlState.programLimitExceeded, 'too many grouping sets present (maximum 4096)');
    sets = next;
  }
  return sets.map((set) => [...new Set(set)]);
}

/**
 * After GROUP BY rewriting, GROUPING(…) placeholders have column arguments naming grouping
 * expressions (index < keyCount); they become bit extractions from the grouping-id column
 * (or the constant 0 when the query has no grouping sets).
 */
export function finishGroupingCalls(expr: Expr, keyCount: number, groupingIdColumn: number | null): Expr {
  if (expr.kind === 'call' && expr.name === groupingPlaceholder) {
    const indexes = expr.args.map((arg) => {
      if (arg.kind !== 'column' || arg.index >= keyCount) throw new SqlError(SqlState.groupingError, 'arguments to GROUPING must be grouping expressions of the associated query level');
      return arg.index;
    });
    if (groupingIdColumn === null) return { kind: 'const', value: 0, type: T.int4, typmod: -1 };
    return {
      kind: 'call', name: 'grouping', strict: true, volatile: false, type: T.int4, typmod: -1,
      args: [{ kind: 'column', index: groupingIdColumn, name: '?grouping', type: T.int4, typmod: -1 }],
      impl: ([id]) => {
        let bits = 0;
        for (const index of indexes) bits = (bits << 1) | (((id as number) >> index) & 1);
        return bits;
      },
    };
  }
  return mapChildren(expr, (child) => finishGroupingCalls(child, keyCount, groupingIdColumn));
}
