// Registration helper for built-in operators: looks up PostgreSQL's pg_operator OID and
// result type so each registration states only what differs.
import type { Value } from './api.js';
import { registerOperator, type FunctionContext } from './functions/api.js';
import { assert } from '../util/assert.js';
import { pgOperatorRows } from './operator-oids.js';

const rowsByKey = new Map<string, readonly [number, string, number, number, number]>();
for (const row of pgOperatorRows) rowsByKey.set(`${row[1]}:${row[2]}:${row[3]}`, row);

/** Registers operator `name` (left 0 for prefix operators) with PostgreSQL's OID and result type. */
export function defineOperator(
  name: string,
  left: number,
  right: number,
  impl: (left: Value, right: Value, context: FunctionContext, argTypes?: readonly [number, number]) => Value,
  result?: number | ((left: number, right: number) => number),
  strict = true,
): void {
  const row = rowsByKey.get(`${name}:${left}:${right}`);
  const resultType = result ?? row?.[4];
  assert(resultType !== undefined, `operator ${name}(${left}, ${right}) has no pg_operator row; give its result type`);
  registerOperator({ name, left, right, result: resultType, impl, strict, oid: row?.[0] ?? 0 });
}

export const comparisonNames = ['=', '<>', '<', '<=', '>', '>='] as const;

/** Registers the six comparison operators from a three-way compare. */
export function defineComparisons(left: number, right: number, compare: (a: Value, b: Value) => number): void {
  defineOperator('=', left, right, (a, b) => compare(a, b) === 0);
  defineOperator('<>', left, right, (a, b) => compare(a, b) !== 0);
  defineOperator('<', left, right, (a, b) => compare(a, b) < 0);
  defineOperator('<=', left, right, (a, b) => compare(a, b) <= 0);
  defineOperator('>', left, right, (a, b) => compare(a, b) > 0);
  defineOperator('>=', left, right, (a, b) => compare(a, b) >= 0);
}
