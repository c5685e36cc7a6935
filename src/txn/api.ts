// The transaction layer's interface, used by catalog and exec. A transaction reads one pinned
// engine view (its snapshot) overlaid with its own buffered writes; commit validates (first
// committer wins; SERIALIZABLE read-set validation) and applies everything as one engine commit.
import type { CommitSeq, KeyRange, TreeId } from '../engine/api.js';

export type IsolationLevel = 'read uncommitted' | 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  isolation: IsolationLevel;
  readOnly: boolean;
  deferrable?: boolean;
  /** Read a retained commit (a named snapshot) instead of the newest state; implies read only. */
  asOfSeq?: CommitSeq;
}

export type RowLockMode = 'update' | 'no key update' | 'share' | 'key share';
export type LockWait = 'wait' | 'nowait' | 'skip locked';

export interface ScanOptions {
  reverse?: boolean;
  /** Stop after this many rows; under SERIALIZABLE the recorded read range ends at the last key returned. */
  limit?: number;
}

/** A pull iterator over [key, value]; key/value buffers are owned by the caller. */
export interface RowIterator {
  next(): { key: Uint8Array; value: Uint8Array } | undefined;
  close(): void;
}

export interface Transaction {
  readonly id: number;
  readonly options: TransactionOptions;
  /** Commit the snapshot reads (the engine view), or undefined before the first statement. */
  readonly snapshotSeq: CommitSeq | undefined;
  readonly state: 'active' | 'failed' | 'committed' | 'aborted';

  /** Called at the start of every statement: takes the snapshot (first statement, or every one under READ COMMITTED). */
  beginStatement(): void;
  /** Reads own writes first. Under SERIALIZABLE records the point read (a miss too). */
  get(tree: TreeId, key: Uint8Array): Uint8Array | undefined;
  scan(tree: TreeId, range?: KeyRange, options?: ScanOptions): RowIterator;
  /** Throws 25006 in a read-only transaction; may throw 40001 when a newer commit already wrote the key. */
  put(tree: TreeId, key: Uint8Array, value: Uint8Array): void;
  delete(tree: TreeId, key: Uint8Array): void;
  /** Structural ops (create/drop/clear tree, retain) carried atomically with the writes. */
  createTree(tree: TreeId): void;
  dropTree(tree: TreeId): void;
  clearTree(tree: TreeId): void;
  /** Row lock (SELECT … FOR UPDATE and writes): waits, fails with 55P03 or reports false for SKIP LOCKED. */
  lockRow(tree: TreeId, key: Uint8Array, mode: RowLockMode, wait: LockWait): Promise<boolean>;

  savepoint(name: string): void;
  releaseSavepoint(name: string): void;
  rollbackToSavepoint(name: string): void;

  /** Validates and publishes; resolves when durable. Throws SqlError 40001 on a conflict. */
  commit(): Promise<void>;
  rollback(): void;
}

export interface TransactionManager {
  begin(options: TransactionOptions): Transaction;
  /** Number of live transactions, for stats views. */
  activeCount(): number;
}
