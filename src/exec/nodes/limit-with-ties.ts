// FETCH FIRST n ROWS WITH TIES: after OFFSET, returns n rows and then every following row that
// ties with the n-th on the ORDER BY keys.
import type { PlanNode, Row } from '../../plan/index.js';
import { SqlError } from '../../util/errors.js';
import { compile } from '../compile-expr.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';

export function openLimitWithTies(node: Extract<PlanNode, { kind: 'limit' }>, state: ExecState, open: OpenPlan): RowSource {
  const keys = (node.withTies ?? []).map((key) => ({ key, value: compile(key.expr) }));
  const count = (expr: typeof node.limit, code: string, what: string): number | null => {
    if (!expr) return null;
    const value = compile(expr)([], state.runtime);
    if (value === null) return null;
    const n = Number(value);
    if (n < 0) throw new SqlError(code, `${what} must not be negative`);
    return n;
  };
  const limit = count(node.limit, '2201W', 'LIMIT');
  let skip = count(node.offset, '2201X', 'OFFSET') ?? 0;
  if (limit === null) throw new SqlError('2201W', 'row count cannot be null in FETCH FIRST ... WITH TIES clause');
  let input: RowSource | undefined;
  let produced = 0;
  let last: unknown[] | undefined;
  let done = false;
  const tiesWithLast = (row: Row): boolean => {
    const values = keys.map(({ value }) => value(row, state.runtime));
    return keys.every(({ key }, k) => {
      const x = values[k] ?? null;
      const y = last![k] ?? null;
      if (x === null || y === null) return x === y;
      return key.compare(x, y) === 0;
    });
  };
  return {
    next: () => {
      if (done) return undefined;
      input ??= open(node.input, state);
      for (let row = input.next(); row; row = input.next()) {
        if (skip > 0) {
          skip--;
          continue;
        }
        if (produced < limit) {
          produced++;
          if (produced === limit) last = keys.map(({ value }) => value(row, state.runtime));
          return row;
        }
        if (last && tiesWithLast(row)) return row;
        break;
      }
      done = true;
      return undefined;
    },
    close: () => input?.close(),
  };
}
