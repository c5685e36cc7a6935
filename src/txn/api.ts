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

  /**
   * Called at the start of every statement: takes the snapshot (first statement, or every one
   * under READ COMMITTED). Extension: `commandName` (a command tag such as 'INSERT' or
   * 'SELECT FOR UPDATE') names the statement in 25006 read-only errors.
   */
  beginStatement(commandName?: string): void;
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

  /**
   * Extension. Under READ COMMITTED, the newest committed version of a row (own buffered writes
   * first, then the newest applied commit), for PostgreSQL's EvalPlanQual behaviour: after
   * `lockRow` returns for a row the statement's snapshot saw, the executor re-reads it here,
   * re-checks its WHERE clause against this version and updates that (or skips the row when it
   * is gone or no longer qualifies). A READ COMMITTED write of a key that a commit newer than the
   * write's basis (the statement snapshot, or the version this method returned) also wrote fails
   * with 40001 rather than losing that update. Under REPEATABLE READ / SERIALIZABLE `lockRow` already threw
   * 40001 when a newer commit wrote the row, so there it equals `get`. Under SERIALIZABLE the
   * read is recorded like a point read.
   *
   * Unique keys (PostgreSQL's behaviour for concurrent inserts of one key): before inserting a
   * key into a primary or unique index tree, the executor calls `lockForInsert(tree, key)`; a
   * second inserter of the same key then waits until the first ends. Afterwards it calls
   * `readLatestCommitted(tree, key)`: a value → raise 23505 (the first inserter committed);
   * undefined → insert (the first rolled back, or nobody else had it). Same at every level.
   */
  readLatestCommitted(tree: TreeId, key: Uint8Array): Uint8Array | undefined;
  /**
   * Extension. An exclusive lock on a key that may not exist yet (see readLatestCommitted):
   * waits like lockRow(…, 'update', wait) but never raises 40001 afterwards, since the caller
   * decides from readLatestCommitted. Held until the transaction ends.
   */
  lockForInsert(tree: TreeId, key: Uint8Array, wait?: LockWait): Promise<boolean>;
  /**
   * Extension. Throws 25006 "cannot execute <commandName> in a read-only transaction" when the
   * transaction is read only. Call it at the start of every writing statement (PostgreSQL refuses
   * `UPDATE … WHERE false` too, before touching a row).
   */
  assertWritable(commandName: string): void;
  /** Extension: lock_timeout in milliseconds for lockRow/lockForInsert waits; 0 waits forever. */
  lockTimeoutMs: number;
  /**
   * Extension: deadlock_timeout in milliseconds: how long a wait lasts before it looks for a
   * deadlock (the longest waiter on a cycle is the victim, as in PostgreSQL); 0 looks at once.
   * Starts at the manager's option (default limits.deadlockTimeoutMsDefault, PostgreSQL's 1 s).
   */
  deadlockTimeoutMs: number;
  /**
   * Extension: fails the pending row-lock wait, if any, with `error` (statement_timeout, a
   * CancelRequest: 57014 "canceling statement due to user request").
   */
  cancelLockWait(error: Error): void;
  /**
   * Extension: marks the transaction failed after a statement error (PostgreSQL's aborted
   * transaction block): every later call but rollbackToSavepoint/rollback/commit throws 25P02.
   * The layer calls it itself when it throws 40001/40P01/55P03/25006.
   */
  fail(): void;

  /**
   * Extension: SET TRANSACTION inside the block. Before the first statement anything may change;
   * afterwards changing the isolation level throws 25001 "SET TRANSACTION ISOLATION LEVEL must be
   * called before any query", READ WRITE after READ ONLY throws 25001 "transaction read-write
   * mode must be set before any query"; READ ONLY may be set at any time (PostgreSQL's rules).
   */
  setCharacteristics(changes: { isolation?: IsolationLevel; readOnly?: boolean; deferrable?: boolean }): void;

  savepoint(name: string): void;
  releaseSavepoint(name: string): void;
  rollbackToSavepoint(name: string): void;

  /**
   * Validates and publishes; resolves when durable. Throws SqlError 40001 on a conflict (the
   * transaction is then rolled back). On a failed transaction it rolls back and rejects with
   * 25P02, so the session can answer COMMIT with ROLLBACK as PostgreSQL does.
   */
  commit(): Promise<void>;
  rollback(): void;
}

export interface TransactionManager {
  begin(options: TransactionOptions): Transaction;
  /** Number of live transactions, for stats views. */
  activeCount(): number;
  /** Extension: how many commits' write sets are retained for validation (stats, tests). */
  retainedCommitCount(): number;
  /**
   * Extension: names trees in error messages (55P03 "could not obtain lock on row in relation
   * …"), for when the catalog exists only after the manager (replaces options.describeTree).
   */
  describeTreesWith(describe: (tree: TreeId) => string): void;
}

/** Extension: options of createTransactionManager. */
export interface TransactionManagerOptions {
  /** Names a tree in error messages ("could not obtain lock on row in relation …"). */
  describeTree?: (tree: TreeId) => string;
  /** A SERIALIZABLE read set larger than this is coarsened (limits.readSetEntriesMax). */
  readSetEntriesMax?: number;
  /** Default deadlock_timeout of new transactions (limits.deadlockTimeoutMsDefault). */
  deadlockTimeoutMs?: number;
}
