// The wal layer's door: the write-ahead log with group commit, and its replay.
export { WalWriter, replayLog, listSegments, type ReplayResult, type Segment } from './log.js';
export type { TreeOp, WalEntry } from './ops.js';
