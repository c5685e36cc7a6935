// The engine's narrow interface: many COW B-trees in one data file, atomic multi-tree commits,
// O(1) pinned snapshots. Everything above (txn, catalog, exec) sees only this.
// Keys and values are byte strings; keys compare with memcmp order.

/** Stable identifier of one B-tree (a table, an index, a system tree). 0 is never a tree. */
export type TreeId = number;

/** Monotonic commit sequence number. The empty database is commit 0. */
export type CommitSeq = number;

export interface KeyRange {
  /** Absent: from the first key. */
  lower?: Uint8Array;
  lowerInclusive?: boolean; // default true
  /** Absent: to the last key. */
  upper?: Uint8Array;
  upperInclusive?: boolean; // default false
}

/**
 * A forward or backward cursor. `key`/`value` are views valid only until the next `next()` call
 * (they may point into a cached page: copy them to keep them).
 */
export interface Cursor {
  next(): boolean;
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  close(): void;
}

/** A pinned, immutable committed state. Reading it never blocks and is never blocked. */
export interface ReadView {
  readonly commitSeq: CommitSeq;
  get(tree: TreeId, key: Uint8Array): Uint8Array | undefined;
  cursor(tree: TreeId, range?: KeyRange, reverse?: boolean): Cursor;
  count(tree: TreeId, range?: KeyRange): number;
  hasTree(tree: TreeId): boolean;
  /** The page id of the tree's root in this view (0 when empty); equal ids mean equal subtrees. */
  rootPageId(tree: TreeId): number;
  /** Drop the pin; afterwards the pages it alone kept may be reused. Idempotent. */
  release(): void;
}

export type TreeOp =
  | { kind: 'put'; tree: TreeId; key: Uint8Array; value: Uint8Array }
  | { kind: 'delete'; tree: TreeId; key: Uint8Array }
  | { kind: 'createTree'; tree: TreeId }
  | { kind: 'dropTree'; tree: TreeId }
  /** Empties a tree in O(1) (root swap to empty). */
  | { kind: 'clearTree'; tree: TreeId }
  /** Makes `tree` share the root of `source` as it is in commit `sourceSeq` (a retained snapshot): O(1). */
  | { kind: 'cloneTree'; tree: TreeId; source: TreeId; sourceSeq: CommitSeq }
  /**
   * Keeps the whole state this commit produces (every tree) readable across restarts and
   * crashes until a later `unretain` of this commit's seq: this is what a named snapshot is.
   * Durable with the commit that carries it.
   */
  | { kind: 'retain' }
  | { kind: 'unretain'; seq: CommitSeq };

export interface CommitReceipt {
  readonly commitSeq: CommitSeq;
  /** Resolves once the commit is durable (WAL fdatasync'd, group-committed) and visible to new views. */
  readonly durable: Promise<void>;
}

export interface EngineStats {
  commitSeq: CommitSeq;
  durableSeq: CommitSeq;
  pageCount: number;
  freePageCount: number;
  cacheHits: number;
  cacheMisses: number;
  cacheEvictions: number;
  walBytes: number;
  walRecords: number;
  walFsyncs: number;
  checkpoints: number;
  checkpointPagesWritten: number;
}

export interface Engine {
  /** Newest durable, visible commit. */
  readonly durableSeq: CommitSeq;
  /** Newest applied commit (may not be durable yet). */
  readonly appliedSeq: CommitSeq;
  /** Pins the newest durable state: O(1). */
  view(): ReadView;
  /** Pins the newest applied state, durable or not (for the txn layer's validation only). */
  appliedView(): ReadView;
  /** Never reused, not transactional (like PostgreSQL's OIDs). */
  allocateTreeId(): TreeId;
  /**
   * Applies `ops` atomically as the next commit, synchronously (so a caller's validation and
   * apply happen in one tick); durability is reported through the receipt.
   */
  commit(ops: readonly TreeOp[]): CommitReceipt;
  /** Commits kept by `retain` ops, oldest first. */
  retainedSeqs(): CommitSeq[];
  /** Opens a view of a retained commit. Throws SqlError 72000 when it is no longer kept. */
  viewAt(seq: CommitSeq): ReadView;
  checkpoint(): Promise<void>;
  stats(): EngineStats;
  close(): Promise<void>;
}
