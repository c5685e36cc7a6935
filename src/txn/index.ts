// The transaction layer's door: snapshot transactions over the engine with first-committer-wins,
// SERIALIZABLE read-set validation, savepoints and row locks. See docs/transactions.md.
import type { Engine } from '../engine/api.js';
import type { TransactionManager, TransactionManagerOptions } from './api.js';
import { TransactionManagerImpl } from './manager.js';

export type * from './api.js';
export { rowLockModesConflict } from './row-locks.js';

export function createTransactionManager(engine: Engine, options?: TransactionManagerOptions): TransactionManager {
  return new TransactionManagerImpl(engine, options);
}
