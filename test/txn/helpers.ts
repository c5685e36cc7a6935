// Shared helpers for the transaction-layer tests.
import { expect } from 'chai';
import type { RowIterator, Transaction } from '../../src/txn/api.js';
import { isSqlError } from '../../src/util/errors.js';

export const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');
export const text = (value: Uint8Array | undefined): string | undefined =>
  value === undefined ? undefined : Buffer.from(value).toString('latin1');

export function drain(iterator: RowIterator): string[] {
  const rows: string[] = [];
  for (let row = iterator.next(); row !== undefined; row = iterator.next()) rows.push(`${text(row.key)}=${text(row.value)}`);
  iterator.close();
  return rows;
}

export function expectSqlError(action: () => unknown, code: string, message?: RegExp): void {
  try {
    action();
  } catch (error) {
    expect(isSqlError(error), String(error)).to.equal(true);
    expect((error as { code: string }).code).to.equal(code);
    if (message) expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected SqlError ${code}`);
}

export async function expectRejects(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(isSqlError(error), String(error)).to.equal(true);
    expect((error as { code: string }).code).to.equal(code);
    if (message) expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected SqlError ${code}`);
}

/** Begins a statement and puts text key/values. */
export function putAll(transaction: Transaction, tree: number, entries: Record<string, string>): void {
  transaction.beginStatement('INSERT');
  for (const [key, value] of Object.entries(entries)) transaction.put(tree, bytes(key), bytes(value));
}

/** Lets pending promise callbacks and timers of 0 ms run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
