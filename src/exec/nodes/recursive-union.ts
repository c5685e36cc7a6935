// WITH RECURSIVE at run time: the non-recursive term's rows seed the work table; each iteration
// re-runs the recursive term over the previous iteration's new rows, until one produces none.
// Rows stream out as they are produced, so an outer LIMIT can stop an unbounded recursion
// (as in PostgreSQL). UNION (without ALL) drops rows already produced.
import type { PlanNode, Row } from '../../plan/index.js';
import { getType, T, UNKNOWN } from '../../plan/index.js';
import { RowHashTable } from '../hash-table.js';
import { arraySource, type ExecState, type RowSource } from '../state.js';
import type { OpenPlan } from './index.js';

/** The current work table of each running recursive union, per statement. */
const workTables = new WeakMap<ExecState, Map<number, Row[]>>();

export function openRecursiveUnion(node: Extract<PlanNode, { kind: 'recursiveUnion' }>, state: ExecState, open: OpenPlan): RowSource {
  const seen = node.all ? null : new RowHashTable<true>(node.columns.map((column) => getType(column.type === UNKNOWN ? T.text : column.type)));
  let tables = workTables.get(state);
  if (!tables) workTables.set(state, (tables = new Map()));
  const registry = tables;
  let source: RowSource | undefined = open(node.nonRecursive, state);
  let produced: Row[] = [];
  return {
    next: () => {
      while (source) {
        const row = source.next();
        if (row) {
          if (seen && !seen.getOrAdd(row, () => true).added) continue;
          const copy = [...row];
          produced.push(copy);
          return copy;
        }
        source.close();
        source = undefined;
        if (produced.length === 0) break;
        registry.set(node.workTableId, produced);
        produced = [];
        source = open(node.recursive, state);
      }
      registry.delete(node.workTableId);
      return undefined;
    },
    close: () => {
      source?.close();
      registry.delete(node.workTableId);
    },
  };
}

export function openWorkTableScan(node: Extract<PlanNode, { kind: 'workTableScan' }>, state: ExecState): RowSource {
  return arraySource(workTables.get(state)?.get(node.workTableId) ?? []);
}
