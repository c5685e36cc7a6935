// Hash tables for joins and aggregation that spill to temp files beyond work_mem.
export { KeyedTable, keyHasNull, partitionOf, type Key, type KeyFunctions } from './hash-table.js';
export { SpillingHashAggregate, type HashAggregateOptions, type HashAggregateStatistics } from './spilling-hash-aggregate.js';
export { SpillingHashJoin, type BuildEntry, type HashJoinOptions, type HashJoinStatistics, type JoinEvent } from './spilling-hash-join.js';
