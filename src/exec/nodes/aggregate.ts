// Hash aggregation: one accumulator per (group, aggregate); DISTINCT, FILTER and ORDER BY
// inside aggregates; without GROUP BY an empty input still yields one row.
import type { PlanNode, Row } from '../../plan/index.js';
import type { Value } from '../../types/index.js';
import { compile } from '../compile-expr.js';
import { aggregateGroups, aggregateTypeOf, type GroupState } from './aggregate-groups.js';
import { RowHashTable } from '../hash-table.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';

export function openAggregate(node: Extract<PlanNode, { kind: 'aggregate' }>, state: ExecState, open: OpenPlan): RowSource {
  let output: Row[] | undefined;
  let i = 0;
  const compute = (): Row[] => {
    const groupExprs = node.groupBy.map(compile);
    const { newGroup, update, finish } = aggregateGroups(node, state);
    const groups = new RowHashTable<GroupState>(node.groupBy.map((expr) => aggregateTypeOf(expr.type)));
    const order: Array<{ key: Value[]; group: GroupState }> = [];
    const input = open(node.input, state);
    for (let row = input.next(); row; row = input.next()) {
      const key = groupExprs.map((expr) => expr(row, state.runtime));
      const { payload: group, added } = groups.getOrAdd(key, newGroup);
      if (added) order.push({ key, group });
      update(group, row);
    }
    input.close();
    if (order.length === 0 && node.groupBy.length === 0) order.push({ key: [], group: newGroup() });
    return order.map(({ key, group }) => [...key, ...finish(group)]);
  };
  return {
    next: () => {
      output ??= compute();
      return output[i++];
    },
    close: () => {},
  };
}
