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
  /** A SERIALIZABLE transaction's read set past this many entries is coarsened into wider ranges. */
  readSetEntriesMax: 65_536,
} as const;
