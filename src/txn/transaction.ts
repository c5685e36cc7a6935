// One transaction: a pinned snapshot view overlaid with buffered writes. Commit validates and
// applies in one synchronous section (first committer wins; SERIALIZABLE read-set validation),
// then awaits durability and releases row locks.
import type { CommitSeq, Engine, KeyRange, ReadView, TreeId } from '../engine/api.js';
import { isSqlError, SqlError, SqlState } from '../util/errors.js';
import { assert } from '../util/assert.js';
import type { IsolationLevel, LockWait, RowIterator, RowLockMode, ScanOptions, Transaction, TransactionOptions } from './api.js';
import type { CommitHistory } from './commit-history.js';
import {
  concurrentUpdateError,
  inFailedTransactionError,
  readOnlyTransactionError,
  readWriteDependencyError,
  transactionEndedError,
} from './errors.js';
import { copyBytes, keyString, toStringRange, type KeyString } from './keys.js';
import { MergeScan } from './merge-scan.js';
import { ReadSet } from './read-set.js';
import type { RowLockManager } from './row-locks.js';
import { WriteBuffer } from './write-buffer.js';

/** What a transaction needs from its manager. */
export interface TransactionContext {
  readonly engine: Engine;
  readonly history: CommitHistory;
  readonly locks: RowLockManager;
  readonly readSetEntriesMax: number;
  readonly deadlockTimeoutMs: number;
  describeTree(tree: TreeId): string;
  /** The transaction ended (committed or rolled back): forget it, prune history. */
  ended(transaction: TransactionImpl): void;
}

type State = Transaction['state'];

export class TransactionImpl implements Transaction {
  state: State = 'active';
  lockTimeoutMs = 0;
  deadlockTimeoutMs: number;
  private view: ReadView | undefined;
  /** The snapshot the first statement took: what first-committer-wins compares against. */
  private firstSnapshotSeq: CommitSeq | undefined;
  /** Views replaced (READ COMMITTED) while scans still read them: released when those close. */
  private readonly viewScanCounts = new Map<ReadView, number>();
  private readonly buffer = new WriteBuffer();
  private readSet: ReadSet | undefined;
  private currentOptions: TransactionOptions;
  private readonly openScans = new Set<MergeScan>();
  private commandName = 'this command';
  private committing = false;
  private statementNumber = 0;
  /** READ COMMITTED: the oldest state a write was based on (history must reach back to it). */
  private oldestWriteBasisSeq: CommitSeq | undefined;
  /** READ COMMITTED: per `tree:key`, the commit readLatestCommitted last saw (EvalPlanQual re-reads). */
  private readonly latestReadSeqs = new Map<string, CommitSeq>();
  /** The statement whose first write already checked the read set (SERIALIZABLE early abort). */
  private readsCheckedInStatement = -1;

  constructor(
    readonly id: number,
    options: TransactionOptions,
    private readonly context: TransactionContext,
  ) {
    this.currentOptions = { ...options };
    this.deadlockTimeoutMs = context.deadlockTimeoutMs;
    this.readSet = this.newReadSetIfTracking();
  }

  get options(): TransactionOptions {
    return this.currentOptions;
  }

  setCharacteristics(changes: { isolation?: IsolationLevel; readOnly?: boolean; deferrable?: boolean }): void {
    this.ensureActive();
    const started = this.view !== undefined;
    if (started && changes.isolation !== undefined && changes.isolation !== this.currentOptions.isolation) {
      throw new SqlError(SqlState.activeSqlTransaction, 'SET TRANSACTION ISOLATION LEVEL must be called before any query');
    }
    if (started && changes.readOnly === false && this.currentOptions.readOnly) {
      throw new SqlError(SqlState.activeSqlTransaction, 'transaction read-write mode must be set before any query');
    }
    this.currentOptions = { ...this.currentOptions, ...changes };
    // Before the snapshot nothing was read yet; after it (only READ ONLY can be set then) the
    // reads so far still validate the writes so far.
    if (!started) this.readSet = this.newReadSetIfTracking();
  }

  private newReadSetIfTracking(): ReadSet | undefined {
    const tracksReads = this.currentOptions.isolation === 'serializable' && !this.readOnly;
    return tracksReads ? new ReadSet(this.context.readSetEntriesMax) : undefined;
  }

  get readOnly(): boolean {
    return this.options.readOnly || this.options.asOfSeq !== undefined;
  }

  /** REPEATABLE READ and SERIALIZABLE writers: first committer wins, history is needed. */
  get checksWriteConflicts(): boolean {
    // A transaction set READ ONLY after writing still validates those writes.
    const writes = !this.readOnly || !this.buffer.isEmpty;
    return writes && (this.options.isolation === 'repeatable read' || this.options.isolation === 'serializable');
  }

  get snapshotSeq(): CommitSeq | undefined {
    return this.view?.commitSeq;
  }

  /** The oldest commit whose write set this transaction may still compare against (history pruning). */
  get validationSeq(): CommitSeq | undefined {
    if (this.checksWriteConflicts) return this.firstSnapshotSeq;
    if (this.readOnly || this.view === undefined) return this.oldestWriteBasisSeq;
    // READ COMMITTED may still write unlocked rows based on the current statement's snapshot.
    return Math.min(this.oldestWriteBasisSeq ?? Number.POSITIVE_INFINITY, this.view.commitSeq);
  }

  private get readCommitted(): boolean {
    return this.options.isolation === 'read committed' || this.options.isolation === 'read uncommitted';
  }

  beginStatement(commandName?: string): void {
    this.ensureActive();
    this.commandName = commandName ?? 'this command';
    this.statementNumber++;
    // A re-read's basis is used by the write that follows it in the same statement.
    this.latestReadSeqs.clear();
    if (this.view !== undefined && !(this.readCommitted && this.options.asOfSeq === undefined)) return;
    this.replaceView(this.options.asOfSeq !== undefined ? this.context.engine.viewAt(this.options.asOfSeq) : this.context.engine.view());
  }

  get(tree: TreeId, key: Uint8Array): Uint8Array | undefined {
    this.ensureActive();
    const view = this.snapshotView();
    const keyText = keyString(key);
    const treeBuffer = this.buffer.tree(tree);
    const buffered = treeBuffer?.entries.get(keyText);
    if (buffered !== undefined) return buffered.value === undefined ? undefined : copyBytes(buffered.value);
    if (treeBuffer?.baseHidden) return undefined;
    this.readSet?.addPoint(tree, keyText);
    const value = view.get(tree, key);
    return value === undefined ? undefined : copyBytes(value);
  }

  scan(tree: TreeId, range?: KeyRange, options: ScanOptions = {}): RowIterator {
    this.ensureActive();
    const view = this.snapshotView();
    const treeBuffer = this.buffer.tree(tree);
    const reverse = options.reverse ?? false;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const base = treeBuffer?.baseHidden ? undefined : view.cursor(tree, range, reverse);
    this.viewScanCounts.set(view, (this.viewScanCounts.get(view) ?? 0) + 1);
    const visibleThrough = this.buffer.scanStarted();
    const scan: MergeScan = new MergeScan(base, treeBuffer, visibleThrough, toStringRange(range), reverse, limit, (covered) => {
      this.buffer.scanEnded();
      this.openScans.delete(scan);
      if (covered !== undefined && this.state === 'active') this.readSet?.addRange(tree, covered);
      this.scanClosed(view);
    });
    this.openScans.add(scan);
    return scan;
  }

  put(tree: TreeId, key: Uint8Array, value: Uint8Array): void {
    this.write(tree, key, copyBytes(value));
  }

  delete(tree: TreeId, key: Uint8Array): void {
    this.write(tree, key, undefined);
  }

  createTree(tree: TreeId): void {
    this.ensureWritable();
    this.buffer.structural({ kind: 'createTree', tree });
  }

  dropTree(tree: TreeId): void {
    this.ensureWritable();
    this.buffer.structural({ kind: 'dropTree', tree });
  }

  clearTree(tree: TreeId): void {
    this.ensureWritable();
    this.buffer.structural({ kind: 'clearTree', tree });
  }

  async lockRow(tree: TreeId, key: Uint8Array, mode: RowLockMode, wait: LockWait): Promise<boolean> {
    const keyText = this.beforeLock(key);
    const granted = await this.acquire(tree, keyText, mode, wait);
    if (granted && this.checksWriteConflicts) this.failOn(() => this.checkNotWrittenSinceSnapshot(tree, keyText));
    return granted;
  }

  async lockForInsert(tree: TreeId, key: Uint8Array, wait: LockWait = 'wait'): Promise<boolean> {
    const keyText = this.beforeLock(key);
    return this.acquire(tree, keyText, 'update', wait);
  }

  readLatestCommitted(tree: TreeId, key: Uint8Array): Uint8Array | undefined {
    this.ensureActive();
    this.snapshotView();
    const keyText = keyString(key);
    const treeBuffer = this.buffer.tree(tree);
    const buffered = treeBuffer?.entries.get(keyText);
    if (buffered !== undefined) return buffered.value === undefined ? undefined : copyBytes(buffered.value);
    if (treeBuffer?.baseHidden) return undefined;
    this.readSet?.addPoint(tree, keyText);
    const latest = this.context.engine.appliedView();
    if (this.readCommitted) this.latestReadSeqs.set(`${tree}:${keyText}`, latest.commitSeq);
    try {
      if (!latest.hasTree(tree)) return undefined;
      const value = latest.get(tree, key);
      return value === undefined ? undefined : copyBytes(value);
    } finally {
      latest.release();
    }
  }

  assertWritable(commandName: string): void {
    this.ensureActive();
    if (this.readOnly) this.failOn(() => {
      throw readOnlyTransactionError(commandName);
    });
  }

  cancelLockWait(error: Error): void {
    this.context.locks.cancelWait(this.id, error);
  }

  fail(): void {
    if (this.state === 'active') this.state = 'failed';
  }

  savepoint(name: string): void {
    this.ensureActive();
    this.buffer.savepoint(name);
  }

  releaseSavepoint(name: string): void {
    this.ensureActive();
    this.buffer.release(name);
  }

  rollbackToSavepoint(name: string): void {
    if (this.state !== 'failed') this.ensureActive();
    else if (!this.buffer.hasSavepoint(name)) throw new SqlError('3B001', `savepoint "${name}" does not exist`);
    this.buffer.rollbackTo(name);
    this.state = 'active';
  }

  async commit(): Promise<void> {
    if (this.state === 'failed') {
      this.rollback();
      throw inFailedTransactionError();
    }
    this.ensureActive();
    assert(!this.committing, 'commit is called once');
    this.committing = true;
    // Scans left open end here: what they returned so far is what was read.
    for (const scan of [...this.openScans]) scan.close();
    const ops = this.buffer.ops();
    if (ops.length === 0) {
      this.finish('committed');
      return;
    }
    let durable: Promise<void>;
    try {
      this.validate();
      const writeSet = this.buffer.writeSet();
      const receipt = this.context.engine.commit(ops);
      this.context.history.record(receipt.commitSeq, writeSet);
      durable = receipt.durable;
    } catch (error) {
      this.committing = false;
      this.rollback();
      throw error;
    }
    this.releaseViews();
    try {
      await durable;
    } finally {
      this.finish('committed');
    }
  }

  rollback(): void {
    // Once the engine applied the commit there is nothing left to roll back.
    if (this.state === 'committed' || this.state === 'aborted' || this.committing) return;
    for (const scan of [...this.openScans]) scan.close();
    this.finish('aborted');
  }

  private write(tree: TreeId, key: Uint8Array, value: Uint8Array | undefined): void {
    this.ensureWritable();
    this.snapshotView();
    const keyText = keyString(key);
    let basedOnSeq = this.view!.commitSeq;
    if (this.checksWriteConflicts) this.failOn(() => this.checkNotWrittenSinceSnapshot(tree, keyText));
    else if (this.readCommitted) {
      basedOnSeq = Math.max(basedOnSeq, this.latestReadSeqs.get(`${tree}:${keyText}`) ?? 0);
      this.failOn(() => this.checkWriteBasis(tree, keyText, basedOnSeq));
      if (this.oldestWriteBasisSeq === undefined || basedOnSeq < this.oldestWriteBasisSeq) this.oldestWriteBasisSeq = basedOnSeq;
    }
    if (this.readSet !== undefined && this.readsCheckedInStatement !== this.statementNumber) {
      // A read already overwritten by a newer commit dooms the transaction: say so at its first
      // write in each statement rather than only at COMMIT (PostgreSQL reports it early too).
      this.readsCheckedInStatement = this.statementNumber;
      this.failOn(() => this.validateReads());
    }
    this.buffer.put(tree, keyText, copyBytes(key), value, basedOnSeq);
  }

  /**
   * READ COMMITTED safety net. A write is based on the statement's snapshot, or on the newer
   * version readLatestCommitted returned for that key (PostgreSQL's EvalPlanQual path, under a
   * row lock). If a commit newer than that basis wrote the key, the write would silently lose
   * that update (or duplicate a key): it fails with 40001 instead. An executor that locks rows
   * and re-reads them never gets here.
   */
  private checkWriteBasis(tree: TreeId, key: KeyString, basedOnSeq: CommitSeq): void {
    if (this.context.history.newestWriteOf(tree, key) > basedOnSeq) throw concurrentUpdateError();
  }

  /** First committer wins: a key written by a commit newer than our snapshot cannot be written. */
  private checkNotWrittenSinceSnapshot(tree: TreeId, key: KeyString): void {
    const snapshot = this.firstSnapshotSeq;
    if (snapshot !== undefined && this.context.history.newestWriteOf(tree, key) > snapshot) throw concurrentUpdateError();
  }

  /** Commit-time validation, inside the same synchronous section as engine.commit. */
  private validate(): void {
    if (this.oldestWriteBasisSeq !== undefined && !this.checksWriteConflicts) {
      for (const [tree, write] of this.buffer.writes()) {
        this.checkWriteBasis(tree, write.key, write.basedOnSeq);
      }
    }
    if (!this.checksWriteConflicts) return;
    const snapshot = this.firstSnapshotSeq;
    if (snapshot === undefined) return;
    for (const [tree, write] of this.buffer.writes()) this.checkNotWrittenSinceSnapshot(tree, write.key);
    this.validateReads();
  }

  /** SERIALIZABLE: no commit newer than the snapshot wrote into the read set. */
  private validateReads(): void {
    const readSet = this.readSet;
    const snapshot = this.firstSnapshotSeq;
    if (readSet === undefined || readSet.size === 0 || snapshot === undefined) return;
    for (const commit of this.context.history.commitsAfter(snapshot)) {
      for (const tree of commit.writeSet.wholeTrees) {
        if (readSet.readsTree(tree)) throw readWriteDependencyError(`A concurrent transaction rewrote ${this.context.describeTree(tree)}.`);
      }
      for (const [tree, keys] of commit.writeSet.keys) {
        for (const key of keys) {
          if (readSet.contains(tree, key)) {
            throw readWriteDependencyError(`A concurrent transaction wrote a row of ${this.context.describeTree(tree)} that this transaction read.`);
          }
        }
      }
    }
  }

  private beforeLock(key: Uint8Array): KeyString {
    this.ensureActive();
    this.snapshotView();
    if (this.readOnly) this.failOn(() => {
      throw readOnlyTransactionError(this.commandName === 'this command' ? 'SELECT FOR UPDATE' : this.commandName);
    });
    return keyString(key);
  }

  private async acquire(tree: TreeId, key: KeyString, mode: RowLockMode, wait: LockWait): Promise<boolean> {
    try {
      return await this.context.locks.acquire({
        transactionId: this.id,
        tree,
        key,
        mode,
        wait,
        timeoutMs: this.lockTimeoutMs,
        deadlockTimeoutMs: this.deadlockTimeoutMs,
        relationName: this.context.describeTree(tree),
      });
    } catch (error) {
      if (isSqlError(error)) this.fail();
      throw error;
    }
  }

  /** Runs `check`; a SqlError it throws also fails the transaction. */
  private failOn(check: () => void): void {
    try {
      check();
    } catch (error) {
      if (isSqlError(error)) this.fail();
      throw error;
    }
  }

  private ensureActive(): void {
    if (this.state === 'active' && !this.committing) return;
    if (this.committing) throw transactionEndedError('committing');
    if (this.state === 'failed') throw inFailedTransactionError();
    throw transactionEndedError(this.state);
  }

  private ensureWritable(): void {
    this.ensureActive();
    if (this.readOnly) this.failOn(() => {
      throw readOnlyTransactionError(this.commandName);
    });
  }

  /** The statement's view; a call before any beginStatement starts the first statement. */
  private snapshotView(): ReadView {
    if (this.view === undefined) this.beginStatement(this.commandName);
    return this.view!;
  }

  private replaceView(view: ReadView): void {
    const previous = this.view;
    this.view = view;
    if (this.firstSnapshotSeq === undefined) this.firstSnapshotSeq = view.commitSeq;
    if (previous !== undefined && !this.viewScanCounts.has(previous)) previous.release();
  }

  private scanClosed(view: ReadView): void {
    const count = this.viewScanCounts.get(view)! - 1;
    if (count > 0) {
      this.viewScanCounts.set(view, count);
      return;
    }
    this.viewScanCounts.delete(view);
    if (view !== this.view) view.release();
  }

  private releaseViews(): void {
    for (const view of this.viewScanCounts.keys()) if (view !== this.view) view.release();
    this.viewScanCounts.clear();
    this.view?.release();
  }

  private finish(state: 'committed' | 'aborted'): void {
    if (this.state === 'committed' || this.state === 'aborted') return;
    this.state = state;
    this.releaseViews();
    this.context.locks.releaseAll(this.id);
    this.context.ended(this);
  }
}
