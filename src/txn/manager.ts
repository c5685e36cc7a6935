// The transaction manager: hands out transactions, owns the shared commit history and row-lock
// table, and prunes history to what the oldest live writer at REPEATABLE READ/SERIALIZABLE can
// still be validated against.
import type { CommitSeq, Engine, TreeId } from '../engine/api.js';
import { limits } from '../util/limits.js';
import type { Transaction, TransactionManager, TransactionManagerOptions, TransactionOptions } from './api.js';
import { CommitHistory } from './commit-history.js';
import { RowLockManager } from './row-locks.js';
import { TransactionImpl, type TransactionContext } from './transaction.js';

export class TransactionManagerImpl implements TransactionManager, TransactionContext {
  readonly history = new CommitHistory();
  readonly locks = new RowLockManager();
  readonly readSetEntriesMax: number;
  readonly deadlockTimeoutMs: number;
  private readonly live = new Set<TransactionImpl>();
  private nextTransactionId = 1;
  private treeDescriber: ((tree: TreeId) => string) | undefined;

  constructor(
    readonly engine: Engine,
    options: TransactionManagerOptions = {},
  ) {
    this.readSetEntriesMax = options.readSetEntriesMax ?? limits.readSetEntriesMax;
    this.deadlockTimeoutMs = options.deadlockTimeoutMs ?? limits.deadlockTimeoutMsDefault;
    this.treeDescriber = options.describeTree;
  }

  begin(options: TransactionOptions): Transaction {
    const transaction = new TransactionImpl(this.nextTransactionId++, { ...options }, this);
    this.live.add(transaction);
    return transaction;
  }

  activeCount(): number {
    return this.live.size;
  }

  retainedCommitCount(): number {
    return this.history.length;
  }

  describeTree(tree: TreeId): string {
    return this.treeDescriber?.(tree) ?? `tree ${tree}`;
  }

  describeTreesWith(describe: (tree: TreeId) => string): void {
    this.treeDescriber = describe;
  }

  ended(transaction: TransactionImpl): void {
    this.live.delete(transaction);
    this.pruneHistory();
  }

  /**
   * Commits at or below the horizon are older than every snapshot that will be validated:
   * live transactions' validation snapshots (REPEATABLE READ/SERIALIZABLE writers; READ COMMITTED
   * ones with unlocked writes), and future ones (a new snapshot is the newest durable
   * commit or later).
   */
  private pruneHistory(): void {
    let horizon: CommitSeq = this.engine.durableSeq;
    for (const transaction of this.live) {
      const seq = transaction.validationSeq;
      if (seq !== undefined && seq < horizon) horizon = seq;
    }
    this.history.prune(horizon);
  }
}
