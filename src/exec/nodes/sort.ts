// Sorting (in memory; a bounded top-N heap when a LIMIT sits right above is future work).
import type { PlanNode, Row } from '../../plan/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import { limits } from '../../util/limits.js';
import { compile } from '../compile-expr.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';

export function openSort(node: Extract<PlanNode, { kind: 'sort' }>, state: ExecState, open: OpenPlan): RowSource {
  let rows: Row[] | undefined;
  let i = 0;
  const keys = node.keys.map((key) => ({ ...key, value: compile(key.expr) }));
  return {
    next: () => {
      if (!rows) {
        const input = open(node.input, state);
        const decorated: Array<{ row: Row; keys: unknown[] }> = [];
        for (let row = input.next(); row; row = input.next()) {
          decorated.push({ row, keys: keys.map((key) => key.value(row, state.runtime)) });
          if (decorated.length > limits.inMemoryRowsMax) throw new SqlError(SqlState.outOfMemory, 'sort exceeds the in-memory row limit');
        }
        input.close();
        decorated.sort((a, b) => {
          for (let k = 0; k < keys.length; k++) {
            const key = keys[k]!;
            const x = a.keys[k] ?? null;
            const y = b.keys[k] ?? null;
            if (x === null || y === null) {
              if (x === y) continue;
              return (x === null) === key.nullsFirst ? -1 : 1;
            }
            const c = key.compare(x, y);
            if (c !== 0) return key.descending ? -c : c;
          }
          return 0;
        });
        rows = decorated.map((entry) => entry.row);
      }
      return rows[i++];
    },
    close: () => {},
  };
}
