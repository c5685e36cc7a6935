// Row locks with PostgreSQL's four modes (FOR KEY SHARE < FOR SHARE < FOR NO KEY UPDATE <
// FOR UPDATE, each blocking a superset of what the weaker one blocks), a FIFO wait queue per
// row, NOWAIT / SKIP LOCKED, lock_timeout, and deadlock detection on the wait-for graph: the
// transaction whose wait would close a cycle is the victim (40P01). Locks are held until the
// transaction ends.
import type { TreeId } from '../engine/api.js';
import { SqlError, SqlState } from '../util/errors.js';
import { assert } from '../util/assert.js';
import type { LockWait, RowLockMode } from './api.js';
import type { KeyString } from './keys.js';

const strength: Record<RowLockMode, number> = { 'key share': 0, share: 1, 'no key update': 2, update: 3 };

/** PostgreSQL's row-level lock conflict table (explicit-locking.html, Table 13.3). */
export function rowLockModesConflict(a: RowLockMode, b: RowLockMode): boolean {
  const weaker = strength[a] <= strength[b] ? a : b;
  const stronger = weaker === a ? b : a;
  switch (weaker) {
    case 'key share':
      return stronger === 'update';
    case 'share':
      return stronger === 'no key update' || stronger === 'update';
    case 'no key update':
    case 'update':
      return true;
  }
}

interface Waiter {
  readonly transactionId: number;
  readonly rowId: string;
  readonly mode: RowLockMode;
  readonly resolve: (granted: boolean) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
  deadlockTimer: NodeJS.Timeout | undefined;
}

interface RowLockState {
  readonly holders: Map<number, RowLockMode>;
  readonly queue: Waiter[];
}

export interface LockRequest {
  transactionId: number;
  tree: TreeId;
  key: KeyString;
  mode: RowLockMode;
  wait: LockWait;
  /** 0: wait forever. */
  timeoutMs: number;
  /** Wait this long before looking for a deadlock (PostgreSQL's deadlock_timeout); 0: at once. */
  deadlockTimeoutMs: number;
  relationName: string;
}

export class RowLockManager {
  private readonly rows = new Map<string, RowLockState>();
  private readonly heldRows = new Map<number, Set<string>>();
  private readonly waiting = new Map<number, Waiter>();

  /** Resolves true once held, false for SKIP LOCKED when busy; rejects with 55P03 or 40P01. */
  acquire(request: LockRequest): Promise<boolean> {
    const { transactionId, mode } = request;
    assert(!this.waiting.has(transactionId), 'a transaction waits for one lock at a time');
    const rowId = `${request.tree}:${request.key}`;
    let state = this.rows.get(rowId);
    if (state === undefined) {
      state = { holders: new Map(), queue: [] };
      this.rows.set(rowId, state);
    }
    const held = state.holders.get(transactionId);
    if (held !== undefined && strength[held] >= strength[mode]) return Promise.resolve(true);
    if (this.grantable(state, transactionId, mode, state.queue.length)) {
      this.grant(state, rowId, transactionId, mode);
      return Promise.resolve(true);
    }
    if (request.wait === 'skip locked') {
      this.dropIfUnused(rowId, state);
      return Promise.resolve(false);
    }
    if (request.wait === 'nowait') {
      this.dropIfUnused(rowId, state);
      return Promise.reject(new SqlError(SqlState.lockNotAvailable, `could not obtain lock on row in relation "${request.relationName}"`));
    }
    return new Promise<boolean>((resolve, reject) => {
      const waiter: Waiter = { transactionId, rowId, mode, resolve, reject, timer: undefined, deadlockTimer: undefined };
      state.queue.push(waiter);
      this.waiting.set(transactionId, waiter);
      const checkForDeadlock = () => {
        waiter.deadlockTimer = undefined;
        if (this.waiting.get(transactionId) !== waiter) return;
        const cycle = this.findCycleFrom(transactionId);
        if (cycle !== undefined) this.abandonWait(waiter, deadlockError(cycle));
      };
      if (request.deadlockTimeoutMs <= 0) {
        checkForDeadlock();
        if (this.waiting.get(transactionId) !== waiter) return;
      } else {
        // Any cycle runs through its newest waiter, whose own check comes last, so none is missed.
        waiter.deadlockTimer = setTimeout(checkForDeadlock, request.deadlockTimeoutMs);
      }
      if (request.timeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          this.abandonWait(waiter, new SqlError(SqlState.lockNotAvailable, 'canceling statement due to lock timeout'));
        }, request.timeoutMs);
      }
    });
  }

  /** Fails the transaction's pending wait, if any (statement cancel, rollback). */
  cancelWait(transactionId: number, error: Error): void {
    const waiter = this.waiting.get(transactionId);
    if (waiter !== undefined) this.abandonWait(waiter, error);
  }

  /** Releases every lock the transaction holds and wakes whoever can now proceed. */
  releaseAll(transactionId: number): void {
    // (The error is built only when there is a wait: an Error captures a stack, which is costly.)
    if (this.waiting.has(transactionId)) {
      this.cancelWait(transactionId, new SqlError(SqlState.queryCanceled, 'canceling statement because the transaction ended'));
    }
    const rowIds = this.heldRows.get(transactionId);
    if (rowIds === undefined) return;
    this.heldRows.delete(transactionId);
    for (const rowId of rowIds) {
      const state = this.rows.get(rowId);
      assert(state !== undefined, 'held row lock has a state');
      state.holders.delete(transactionId);
      this.wake(rowId, state);
    }
  }

  /** For tests and stats. */
  get lockedRowCount(): number {
    return this.rows.size;
  }

  holdsLock(transactionId: number, tree: TreeId, key: KeyString): RowLockMode | undefined {
    return this.rows.get(`${tree}:${key}`)?.holders.get(transactionId);
  }

  private grantable(state: RowLockState, transactionId: number, mode: RowLockMode, queuedAhead: number): boolean {
    for (const [holder, heldMode] of state.holders) {
      if (holder !== transactionId && rowLockModesConflict(heldMode, mode)) return false;
    }
    // An upgrade by a current holder does not queue behind waiters that already wait for it.
    if (state.holders.has(transactionId)) return true;
    for (let index = 0; index < queuedAhead; index++) {
      const waiter = state.queue[index]!;
      if (waiter.transactionId !== transactionId && rowLockModesConflict(waiter.mode, mode)) return false;
    }
    return true;
  }

  private grant(state: RowLockState, rowId: string, transactionId: number, mode: RowLockMode): void {
    const held = state.holders.get(transactionId);
    state.holders.set(transactionId, held !== undefined && strength[held] > strength[mode] ? held : mode);
    let rowIds = this.heldRows.get(transactionId);
    if (rowIds === undefined) {
      rowIds = new Set();
      this.heldRows.set(transactionId, rowIds);
    }
    rowIds.add(rowId);
  }

  private wake(rowId: string, state: RowLockState): void {
    for (let index = 0; index < state.queue.length; ) {
      const waiter = state.queue[index]!;
      if (this.grantable(state, waiter.transactionId, waiter.mode, index)) {
        state.queue.splice(index, 1);
        this.finishWait(waiter);
        this.grant(state, rowId, waiter.transactionId, waiter.mode);
        waiter.resolve(true);
      } else {
        index++;
      }
    }
    this.dropIfUnused(rowId, state);
  }

  private abandonWait(waiter: Waiter, error: Error): void {
    const state = this.rows.get(waiter.rowId);
    assert(state !== undefined, 'waited-for row has a state');
    const index = state.queue.indexOf(waiter);
    assert(index >= 0, 'waiter is queued');
    state.queue.splice(index, 1);
    this.finishWait(waiter);
    waiter.reject(error);
    this.wake(waiter.rowId, state);
  }

  private finishWait(waiter: Waiter): void {
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    if (waiter.deadlockTimer !== undefined) clearTimeout(waiter.deadlockTimer);
    this.waiting.delete(waiter.transactionId);
  }

  private dropIfUnused(rowId: string, state: RowLockState): void {
    if (state.holders.size === 0 && state.queue.length === 0) this.rows.delete(rowId);
  }

  /** Transactions the waiter waits for: conflicting holders and conflicting waiters queued ahead. */
  private blockersOf(transactionId: number): number[] {
    const waiter = this.waiting.get(transactionId);
    if (waiter === undefined) return [];
    const state = this.rows.get(waiter.rowId)!;
    const blockers: number[] = [];
    for (const [holder, heldMode] of state.holders) {
      if (holder !== transactionId && rowLockModesConflict(heldMode, waiter.mode)) blockers.push(holder);
    }
    if (!state.holders.has(transactionId)) {
      for (const ahead of state.queue) {
        if (ahead === waiter) break;
        if (ahead.transactionId !== transactionId && rowLockModesConflict(ahead.mode, waiter.mode)) blockers.push(ahead.transactionId);
      }
    }
    return blockers;
  }

  /** A wait-for cycle through `start`, as the list of transactions on it, or undefined. */
  private findCycleFrom(start: number): number[] | undefined {
    const visited = new Set<number>();
    const path: number[] = [];
    const visit = (transactionId: number): boolean => {
      for (const blocker of this.blockersOf(transactionId)) {
        if (blocker === start) {
          path.push(transactionId);
          return true;
        }
        if (visited.has(blocker)) continue;
        visited.add(blocker);
        if (visit(blocker)) {
          path.push(transactionId);
          return true;
        }
      }
      return false;
    };
    return visit(start) ? path.reverse() : undefined;
  }
}

function deadlockError(cycle: number[]): SqlError {
  const detail = cycle
    .map((transactionId, index) => {
      const blocker = cycle[(index + 1) % cycle.length]!;
      return `Transaction ${transactionId} waits for a row lock held by transaction ${blocker}.`;
    })
    .join('\n');
  return new SqlError(SqlState.deadlockDetected, 'deadlock detected', { detail, hint: 'See server log for query details.' });
}
