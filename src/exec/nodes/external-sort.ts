// The sort node on src/exec/sort's external sort: rows beyond work_mem spill to sorted runs in
// temp files and are k-way merged; with a LIMIT right above (the planner sets `limit`), a top-N
// heap keeps only the rows that can be returned. Consuming the input is resumable (see
// yielding.ts): a long sort hands control back to the event loop between slices of rows.
import type { PlanNode, Row } from '../../plan/index.js';
import { getType, T, UNKNOWN } from '../../plan/index.js';
import { decodeRow, encodeRow, type PgType, type Value } from '../../types/index.js';
import { limits } from '../../util/limits.js';
import { compile } from '../compile-expr.js';
import { ExternalSort, type SortStatistics } from '../sort/index.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';
import { checkYield, workMemBytes } from './yielding.js';

type SortNode = Extract<PlanNode, { kind: 'sort' }>;

/** A row with its sort keys appended (keys are computed once per row). */
type Decorated = Value[];

/** Rough in-memory size of a row, for the work_mem budget. */
function rowBytes(row: Decorated): number {
  let bytes = 56 + row.length * 8;
  for (const value of row) {
    if (typeof value === 'string') bytes += 16 + value.length * 2;
    else if (value instanceof Uint8Array) bytes += 64 + value.length;
    else if (value !== null && typeof value === 'object') bytes += 64;
  }
  return bytes;
}

const sortStatistics = new WeakMap<SortNode, SortStatistics>();

/** What the last run of a sort node did (EXPLAIN ANALYZE's "Sort Method"). */
export function lastSortStatistics(node: SortNode): SortStatistics | undefined {
  return sortStatistics.get(node);
}

export function openExternalSort(node: SortNode, state: ExecState, open: OpenPlan): RowSource {
  const width = node.columns.length;
  const keys = node.keys.map((key) => ({ ...key, value: compile(key.expr) }));
  const rowTypes: PgType[] = [
    ...node.columns.map((column) => getType(column.type === UNKNOWN ? T.text : column.type)),
    ...node.keys.map((key) => getType(key.expr.type === UNKNOWN ? T.text : key.expr.type)),
  ];
  const compare = (a: Decorated, b: Decorated): number => {
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const x = a[width + k] ?? null;
      const y = b[width + k] ?? null;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === key.nullsFirst ? -1 : 1;
      }
      const c = key.compare(x, y);
      if (c !== 0) return key.descending ? -c : c;
    }
    return 0;
  };
  let input: RowSource | undefined;
  let sorter: ExternalSort<Decorated> | undefined;
  let sorted: Generator<Decorated, void, void> | undefined;
  let sinceYield = 0;
  return {
    next: () => {
      if (!sorted) {
        if (!sorter) {
          const limitValue = node.limit ? compile(node.limit)([], state.runtime) : null;
          const limit = limitValue === null || limitValue === undefined ? undefined : Math.max(0, Number(limitValue));
          sorter = new ExternalSort<Decorated>({
            compare,
            codec: { encode: (row) => encodeRow(rowTypes, row), decode: (bytes) => decodeRow(rowTypes, bytes) },
            rowBytes,
            memoryBytes: workMemBytes(state),
            ...(limit !== undefined ? { limit } : {}),
          });
          input = open(node.input, state);
        }
        for (let row = input!.next(); row; row = input!.next()) {
          const decorated: Decorated = new Array(width + keys.length);
          for (let i = 0; i < width; i++) decorated[i] = row[i] ?? null;
          for (let k = 0; k < keys.length; k++) decorated[width + k] = keys[k]!.value(row, state.runtime);
          sorter.add(decorated);
          if (++sinceYield >= limits.executorYieldRows) {
            sinceYield = 0;
            checkYield(state, node);
          }
        }
        input!.close();
        sortStatistics.set(node, sorter.statistics());
        sorted = sorter.sorted();
      }
      const step = sorted.next();
      if (step.done) {
        sortStatistics.set(node, sorter!.statistics());
        return undefined;
      }
      return step.value.length === width ? step.value : step.value.slice(0, width);
    },
    close: () => {
      input?.close();
      sorted?.return();
      sorter?.close();
    },
  };
}

export type { Row };
