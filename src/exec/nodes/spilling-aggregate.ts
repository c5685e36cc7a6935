// Hash aggregation with bounded memory: the same semantics as aggregate.ts (DISTINCT, FILTER and
// ORDER BY inside aggregates; one row for an empty input without GROUP BY), on
// src/exec/hash's spilling hash aggregate: past work_mem, rows of groups not yet in memory go to
// partition files and are aggregated partition by partition. Reading the input is resumable
// (yielding.ts), so a long aggregation hands control back to the event loop.
import type { PlanNode, Row } from '../../plan/index.js';
import { decodeRow, encodeRow, type Value } from '../../types/index.js';
import { limits } from '../../util/limits.js';
import { compile } from '../compile-expr.js';
import { SpillingHashAggregate, type Key } from '../hash/index.js';
import { aggregateGroups, aggregateTypeOf, type GroupState } from './aggregate-groups.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';
import { checkYield, workMemBytes } from './yielding.js';

const typeOf = aggregateTypeOf;

/** Rough memory of one group: key, accumulators, bookkeeping. */
function groupBytes(node: Extract<PlanNode, { kind: 'aggregate' }>): number {
  return 160 + node.groupBy.length * 24 + node.aggregates.length * 96;
}

export function openSpillingAggregate(node: Extract<PlanNode, { kind: 'aggregate' }>, state: ExecState, open: OpenPlan): RowSource {
  const groupExprs = node.groupBy.map(compile);
  const keyTypes = node.groupBy.map((expr) => typeOf(expr.type));
  const inputTypes = node.input.columns.map((column) => typeOf(column.type));
  const { newGroup, update, finish } = aggregateGroups(node, state);
  const keyFunctions = {
    hash: (key: Key) => {
      let hash = 17;
      for (let i = 0; i < key.length; i++) {
        const value = key[i];
        const h = value === null || value === undefined ? 0x9e3779b9 : keyTypes[i]!.hash(value);
        hash = (Math.imul(hash, 31) + h) | 0;
      }
      return hash >>> 0;
    },
    equals: (a: Key, b: Key) => {
      for (let i = 0; i < a.length; i++) {
        const x = a[i] ?? null;
        const y = b[i] ?? null;
        if (x === null || y === null) {
          if (x !== y) return false;
          continue;
        }
        if (keyTypes[i]!.compare(x, y) !== 0) return false;
      }
      return true;
    },
  };
  let table: SpillingHashAggregate<Row, GroupState> | undefined;
  let input: RowSource | undefined;
  let groups: Generator<[Key, GroupState], void, void> | undefined;
  let emitted = 0;
  let sinceYield = 0;
  let finished = false;
  return {
    next: () => {
      if (finished) return undefined;
      if (!groups) {
        if (!table) {
          table = new SpillingHashAggregate<Row, GroupState>({
            groupKey: (row) => groupExprs.map((expr) => expr(row, state.runtime)),
            keys: keyFunctions,
            createState: () => newGroup(),
            update,
            codec: { encode: (row) => encodeRow(inputTypes, row), decode: (bytes) => decodeRow(inputTypes, bytes) },
            groupBytes: groupBytes(node),
            memoryBytes: workMemBytes(state),
          });
          input = open(node.input, state);
        }
        for (let row = input!.next(); row; row = input!.next()) {
          table.add(row);
          if (++sinceYield >= limits.executorYieldRows) {
            sinceYield = 0;
            checkYield(state, node);
          }
        }
        input!.close();
        groups = table.groups();
      }
      const step = groups.next();
      if (step.done) {
        finished = true;
        if (emitted === 0 && node.groupBy.length === 0) return finish(newGroup());
        return undefined;
      }
      emitted++;
      const [key, group] = step.value;
      return [...key, ...finish(group)];
    },
    close: () => {
      input?.close();
      groups?.return();
      table?.close();
    },
  };
}
