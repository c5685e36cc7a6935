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
  // Wire server (src/server), added by the wire engineer.
  /** PostgreSQL's MAX_STARTUP_PACKET_LENGTH. */
  startupPacketBytesMax: 10_000,
  /** Messages before authentication completes (PostgreSQL's PQ_SMALL_MESSAGE_LIMIT). */
  authenticationMessageBytesMax: 10_000,
  /** PostgreSQL's authentication_timeout: start-up and auth must finish within this. */
  authenticationTimeoutMs: 60_000,
  /** Initial size of a connection's output buffer. */
  serverOutputBufferBytes: 64 * 1024,
  /** Output is handed to the socket once this much is buffered while rows stream. */
  serverOutputFlushBytes: 64 * 1024,
  /** Framed but unprocessed input above this pauses reading from the socket. */
  serverInputQueuedBytesMax: 4 * 1024 * 1024,
  /** On shutdown, running statements get this long to finish before they are cancelled. */
  shutdownGraceMs: 5_000,
  identifierLengthMax: 63,
  /** Values above this size leave the B-tree for the blob store. */
  blobThresholdBytesDefault: 2048,
  valueBytesMax: 1024 * 1024 * 1024 - 1,
  /** Largest value one storage-engine entry holds (bigger ones belong in the blob store); one WAL record must hold it. */
  engineValueBytesMax: 32 * 1024 * 1024,
  /** A SERIALIZABLE transaction's read set past this many entries is coarsened into wider ranges. */
  readSetEntriesMax: 65_536,
  /** PostgreSQL's deadlock_timeout default: a row-lock wait looks for a deadlock after this long. */
  deadlockTimeoutMsDefault: 1_000,
  // SQL layer (added by the SQL engineer)
  /** Parsed query texts kept in the parse cache (LRU). */
  parseCacheEntriesMax: 2000,
  /** Longer query texts are not cached (COPY-sized literals would pin memory). */
  parseCacheSqlCharsMax: 16 * 1024,
  /** Rows the executor hands out before yielding to the event loop. */
  executorYieldRows: 1000,
  /** Plans of simple-query statements kept per session for reuse (LRU). */
  simplePlanCacheEntriesMax: 256,
  /** Prepared statements per session. */
  preparedStatementsMax: 10_000,
  /** Rows a sort or hash table may hold in memory (no spill yet). */
  inMemoryRowsMax: 50_000_000,
  // Query execution (src/exec; added by the query-language engineer).
  /** work_mem: memory a sort or hash table may use before spilling to temp files (PostgreSQL's default 4 MB). */
  workMemBytesDefault: 4 * 1024 * 1024,
  /** Sorted runs merged at once; more runs are merged in several passes. */
  sortMergeFanInMax: 64,
  /** Buffer size of each temp-file reader and writer. */
  spillFileBufferBytes: 64 * 1024,
  /** Partitions a spilling hash join or hash aggregate splits its input into (per level). */
  hashSpillPartitions: 32,
  /** Re-partitioning depth before a hash partition is processed however large it is. */
  hashSpillDepthMax: 4,
} as const;
