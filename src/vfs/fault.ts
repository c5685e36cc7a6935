// Fault injection over MemoryVfs: counts every write and sync, and at the chosen one either
// fails that operation with EIO or "loses power" (drops unsynced data and fails everything after),
// so a crash test can visit every write point of a workload deterministically.
import { MemoryVfs, type VfsOperation } from './memory.js';

export class PowerLossError extends Error {
  constructor(readonly point: number) {
    super(`simulated power loss at I/O point ${point}`);
    this.name = 'PowerLossError';
  }
}

export interface FaultPlan {
  /** 1-based index of the write/sync at which to act; undefined: never. */
  atPoint?: number;
  action: 'powerLoss' | 'fail';
  /** Only count these operations (default: writes and syncs). */
  operations?: VfsOperation[];
  /** With power loss: keep/tear unsynced writes at random instead of dropping them all. */
  random?: () => number;
}

export class FaultVfs extends MemoryVfs {
  points = 0;
  dead = false;
  private plan: FaultPlan | undefined;

  constructor() {
    super();
    this.onOperation = (operation) => this.observe(operation);
  }
  arm(plan: FaultPlan | undefined): void {
    this.plan = plan;
    this.points = 0;
    this.dead = false;
  }
  /** After a simulated power loss: the machine is back, files hold what survived. */
  restart(): void {
    this.dead = false;
    this.plan = undefined;
  }
  private observe(operation: VfsOperation): void {
    if (this.dead) throw new PowerLossError(this.points);
    const plan = this.plan;
    const counted = plan?.operations ?? ['write', 'sync'];
    if (!counted.includes(operation)) return;
    this.points++;
    if (!plan || plan.atPoint !== this.points) return;
    if (plan.action === 'fail') throw Object.assign(new Error(`EIO: injected failure at I/O point ${this.points}`), { code: 'EIO' });
    this.dead = true;
    this.powerLoss(plan.random);
    throw new PowerLossError(this.points);
  }
}
