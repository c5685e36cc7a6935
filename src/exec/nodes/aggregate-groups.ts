// Per-group aggregate state shared by the in-memory (aggregate.ts) and spilling
// (spilling-aggregate.ts) hash aggregates: one accumulator per (group, aggregate), with
// FILTER, strictness, DISTINCT and ORDER BY inside aggregates applied the same way in both.
import type { AggregateCall, PlanNode, Row } from '../../plan/index.js';
import { getType, T, UNKNOWN } from '../../plan/index.js';
import type { AggregateAccumulator } from '../../types/functions/api.js';
import type { PgType, Value } from '../../types/index.js';
import { compile, type Compiled } from '../compile-expr.js';
import { RowHashTable } from '../hash-table.js';
import type { ExecState } from '../state.js';

interface AggregateRuntime {
  call: AggregateCall;
  args: Compiled[];
  filter: Compiled | null;
  orderBy: Compiled[];
}

export interface GroupState {
  accumulators: AggregateAccumulator[];
  distinct: Array<RowHashTable<true> | null>;
  /** Buffered [sortKeys, args] per aggregate with ORDER BY, fed in order at finish. */
  buffered: Array<Array<{ keys: Value[]; args: Value[] }> | null>;
}

export interface AggregateGroups {
  newGroup(): GroupState;
  /** Feeds one input row to every aggregate of the group. */
  update(group: GroupState, row: Row): void;
  /** The aggregates' results for the group, in plan order. */
  finish(group: GroupState): Value[];
}

export const aggregateTypeOf = (oid: number): PgType => getType(oid === UNKNOWN ? T.text : oid);

export function aggregateGroups(node: Extract<PlanNode, { kind: 'aggregate' }>, state: ExecState): AggregateGroups {
  const aggregates: AggregateRuntime[] = node.aggregates.map((call) => ({
    call,
    args: call.args.map(compile),
    filter: call.filter ? compile(call.filter) : null,
    orderBy: call.orderBy.map((key) => compile(key.expr)),
  }));
  const newGroup = (): GroupState => ({
    accumulators: aggregates.map((aggregate) => aggregate.call.aggregate.create(aggregate.call.argTypes, state.runtime.functions)),
    distinct: aggregates.map((aggregate) => (aggregate.call.distinct ? new RowHashTable<true>(aggregate.call.argTypes.map(aggregateTypeOf)) : null)),
    buffered: aggregates.map((aggregate) => (aggregate.call.orderBy.length > 0 ? [] : null)),
  });
  const update = (group: GroupState, row: Row): void => {
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
  };
  const finish = (group: GroupState): Value[] => {
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
    return group.accumulators.map((accumulator) => accumulator.result());
  };
  return { newGroup, update, finish };
}
