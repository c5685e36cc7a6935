// Aggregation over grouping sets: the input is read once, then aggregated once per set (by the
// plain aggregate node over the buffered rows); keys outside the set come out NULL and a last
// column carries the grouping id (bit i set = key i not grouped) for GROUPING().
import type { PlanNode, Row } from '../../plan/index.js';
import { arraySource, type ExecState, type RowSource } from '../state.js';
import { openAggregate } from './aggregate.js';
import type { OpenPlan } from './index.js';

type AggregateNode = Extract<PlanNode, { kind: 'aggregate' }>;

export function openGroupingSets(node: AggregateNode, sets: number[][], state: ExecState, open: OpenPlan): RowSource {
  let output: Row[] | undefined;
  let position = 0;
  const compute = (): Row[] => {
    const input = open(node.input, state);
    const rows: Row[] = [];
    for (let row = input.next(); row; row = input.next()) rows.push([...row]);
    input.close();
    const keyCount = node.groupBy.length;
    const out: Row[] = [];
    for (const set of sets) {
      const single: AggregateNode = { ...node, groupBy: set.map((index) => node.groupBy[index]!) };
      delete (single as { groupingSets?: unknown }).groupingSets;
      const replay: OpenPlan = (child, childState) => (child === node.input ? arraySource(rows) : open(child, childState));
      const source = openAggregate(single, state, replay);
      let groupingId = 0;
      for (let key = 0; key < keyCount; key++) if (!set.includes(key)) groupingId |= 1 << key;
      for (let row = source.next(); row; row = source.next()) {
        const full: Row = new Array(keyCount).fill(null);
        set.forEach((index, k) => (full[index] = row[k] ?? null));
        for (let a = set.length; a < row.length; a++) full.push(row[a] ?? null);
        full.push(groupingId);
        out.push(full);
      }
      source.close();
    }
    return out;
  };
  return {
    next: () => {
      output ??= compute();
      return output[position++];
    },
    close: () => {},
  };
}
