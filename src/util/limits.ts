// Every queue, buffer and message has a named maximum, kept together here (TigerBeetle's habit).
// Units come last in the name.

export const limits = {
  pageSizeBytesDefault: 8192,
  pageSizeBytesMin: 4096,
  pageSizeBytesMax: 65536,
  pageCacheBytesDefault: 256 * 1024 * 1024,
  walSegmentBytesMax: 64 * 1024 * 1024,
  checkpointWalBytesDefault: 64 * 1024 * 1024,
  checkpointIntervalMsDefault: 60_000,
  /** Largest frontend message the server accepts (PostgreSQL allows 1 GiB for most). */
  protocolMessageBytesMax: 1024 * 1024 * 1024,
  connectionsMax: 100,
  identifierLengthMax: 63,
  /** Values above this size leave the B-tree for the blob store. */
  blobThresholdBytesDefault: 2048,
  valueBytesMax: 1024 * 1024 * 1024 - 1,
  // SQL layer (added by the SQL engineer)
  /** Parsed query texts kept in the parse cache (LRU). */
  parseCacheEntriesMax: 2000,
  /** Longer query texts are not cached (COPY-sized literals would pin memory). */
  parseCacheSqlCharsMax: 16 * 1024,
  /** Rows the executor hands out before yielding to the event loop. */
  executorYieldRows: 1000,
  /** Prepared statements per session. */
  preparedStatementsMax: 10_000,
  /** Rows a sort or hash table may hold in memory (no spill yet). */
  inMemoryRowsMax: 50_000_000,
} as const;
