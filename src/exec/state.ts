// What a running statement carries: its transaction, run-time context (parameters, outer rows,
// services) and the open-plan entry point used for subqueries.
import type { Transaction } from '../txn/api.js';
import type { Row, RuntimeContext } from '../plan/index.js';

export interface RowSource {
  /** The next row, or undefined at the end. Rows may be reused by the producer only after the next call. */
  next(): Row | undefined;
  close(): void;
}

export interface ExecState {
  readonly runtime: RuntimeContext;
  /** The statement's transaction (begun lazily by the session). */
  txn(): Transaction;
}

export const emptySource: RowSource = { next: () => undefined, close: () => {} };

export function arraySource(rows: Row[]): RowSource {
  let i = 0;
  return { next: () => rows[i++], close: () => {} };
}
