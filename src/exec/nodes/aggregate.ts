// Hash aggregation: one accumulator per (group, aggregate); DISTINCT, FILTER and ORDER BY
// inside aggregates; without GROUP BY an empty input still yields one row.
import type { AggregateCall, PlanNode, Row } from '../../plan/index.js';
import { getType, T, UNKNOWN } from '../../plan/index.js';
import type { AggregateAccumulator } from '../../types/functions/api.js';
import type { Value } from '../../types/index.js';
import { compile, type Compiled } from '../compile-expr.js';
import { RowHashTable } from '../hash-table.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';

interface AggregateRuntime {
  call: AggregateCall;
  args: Compiled[];
  filter: Compiled | null;
  orderBy: Compiled[];
}

interface GroupState {
  accumulators: AggregateAccumulator[];
  distinct: Array<RowHashTable<true> | null>;
  /** Buffered [sortKeys, args] per aggregate with ORDER BY. */
  buffered: Array<Array<{ keys: Value[]; args: Value[] }> | null>;
}

export function openAggregate(node: Extract<PlanNode, { kind: 'aggregate' }>, state: ExecState, open: OpenPlan): RowSource {
  let output: Row[] | undefined;
  let i = 0;
  const compute = (): Row[] => {
    const groupExprs = node.groupBy.map(compile);
    const aggregates: AggregateRuntime[] = node.aggregates.map((call) => ({
      call,
      args: call.args.map(compile),
      filter: call.filter ? compile(call.filter) : null,
      orderBy: call.orderBy.map((key) => compile(key.expr)),
    }));
    const newGroup = (): GroupState => ({
      accumulators: aggregates.map((aggregate) => aggregate.call.aggregate.create(aggregate.call.argTypes, state.runtime.functions)),
      distinct: aggregates.map((aggregate) => (aggregate.call.distinct ? new RowHashTable<true>(aggregate.call.argTypes.map((t) => getType(t === UNKNOWN ? T.text : t))) : null)),
      buffered: aggregates.map((aggregate) => (aggregate.call.orderBy.length > 0 ? [] : null)),
    });
    const groups = new RowHashTable<GroupState>(node.groupBy.map((expr) => getType(expr.type === UNKNOWN ? T.text : expr.type)));
    const order: Array<{ key: Value[]; group: GroupState }> = [];
    const input = open(node.input, state);
    for (let row = input.next(); row; row = input.next()) {
      const key = groupExprs.map((expr) => expr(row, state.runtime));
      const { payload: group, added } = groups.getOrAdd(key, newGroup);
      if (added) order.push({ key, group });
      for (let a = 0; a < aggregates.length; a++) {
        const aggregate = aggregates[a]!;
        if (aggregate.filter && aggregate.filter(row, state.runtime) !== true) continue;
        const args = aggregate.args.map((arg) => arg(row, state.runtime));
        if (aggregate.call.aggregate.strict && args.some((value) => value === null)) continue;
        const distinct = group.distinct[a];
        if (distinct && !distinct.getOrAdd(args, () => true).added) continue;
        const buffer = group.buffered[a];
        if (buffer) buffer.push({ keys: aggregate.orderBy.map((key) => key(row, state.runtime)), args });
        else group.accumulators[a]!.add(args);
      }
    }
    input.close();
    if (order.length === 0 && node.groupBy.length === 0) {
      const group = newGroup();
      order.push({ key: [], group });
    }
    return order.map(({ key, group }) => {
      aggregates.forEach((aggregate, a) => {
        const buffer = group.buffered[a];
        if (!buffer) return;
        const keys = aggregate.call.orderBy;
        buffer.sort((x, y) => {
          for (let k = 0; k < keys.length; k++) {
            const spec = keys[k]!;
            const p = x.keys[k] ?? null;
            const q = y.keys[k] ?? null;
            if (p === null || q === null) {
              if (p === q) continue;
              return (p === null) === spec.nullsFirst ? -1 : 1;
            }
            const c = spec.compare(p, q);
            if (c !== 0) return spec.descending ? -c : c;
          }
          return 0;
        });
        for (const entry of buffer) group.accumulators[a]!.add(entry.args);
      });
      return [...key, ...group.accumulators.map((accumulator) => accumulator.result())];
    });
  };
  return {
    next: () => {
      output ??= compute();
      return output[i++];
    },
    close: () => {},
  };
}
