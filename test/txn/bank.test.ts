// Bank-transfer stress at the API level: concurrent SERIALIZABLE transfers retried on 40001,
// READ COMMITTED transfers that lock rows and re-read the newest version (EvalPlanQual), and
// read-only audits at REPEATABLE READ and SERIALIZABLE. The total is conserved and no audit
// ever sees a wrong total.
import { expect } from 'chai';
import { createTransactionManager } from '../../src/txn/index.js';
import type { Transaction, TransactionManager, TransactionOptions } from '../../src/txn/api.js';
import { isSqlError } from '../../src/util/errors.js';
import { closeTestEngines, openTestEngine } from './test-engine.js';
import { bytes, settle, text } from './helpers.js';

const ACCOUNTS = 8;
const INITIAL = 100;
let T = 0;
const account = (index: number) => bytes(`acct${index}`);

function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
}

async function retrying(manager: TransactionManager, options: TransactionOptions, body: (transaction: Transaction) => Promise<void>): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const transaction = manager.begin(options);
    try {
      await body(transaction);
      await transaction.commit();
      return attempt;
    } catch (error) {
      transaction.rollback();
      if (!isSqlError(error) || (error.code !== '40001' && error.code !== '40P01')) throw error;
      await settle();
    }
  }
}

function sumAll(transaction: Transaction): number {
  transaction.beginStatement('SELECT');
  let total = 0;
  let rows = 0;
  const iterator = transaction.scan(T);
  for (let row = iterator.next(); row !== undefined; row = iterator.next()) {
    total += Number(text(row.value));
    rows++;
  }
  iterator.close();
  expect(rows).to.equal(ACCOUNTS);
  return total;
}

describe('txn: bank-transfer stress', function () {
  afterEach(closeTestEngines);
  this.timeout(30_000);

  for (const mixed of [true, false]) {
  it(mixed ? 'conserves the total; every audit sees it (SERIALIZABLE and READ COMMITTED writers, all locking rows)' : 'conserves the total with lock-free writers (SERIALIZABLE validation; READ COMMITTED safety net)', async () => {
    const engine = await openTestEngine();
    [T] = await engine.createTrees(1);
    const manager = createTransactionManager(engine, { deadlockTimeoutMs: 5 }); // deadlocks resolve fast here
    const setup = manager.begin({ isolation: 'serializable', readOnly: false });
    setup.beginStatement();
    for (let index = 0; index < ACCOUNTS; index++) setup.put(T, account(index), bytes(String(INITIAL)));
    await setup.commit();

    const next = random(42);
    let transfers = 0;
    let retries = 0;
    let audits = 0;
    const transferSerializable = async () => {
      const from = Math.floor(next() * ACCOUNTS);
      const to = (from + 1 + Math.floor(next() * (ACCOUNTS - 1))) % ACCOUNTS;
      const amount = 1 + Math.floor(next() * 20);
      const attempts = await retrying(manager, { isolation: 'serializable', readOnly: false }, async (transaction) => {
        transaction.beginStatement('SELECT');
        const balance = Number(text(transaction.get(T, account(from))));
        await settle();
        if (balance < amount) return;
        // Like the executor, every writer of an existing row locks it first.
        transaction.beginStatement('UPDATE');
        if (mixed) await transaction.lockRow(T, account(from), 'no key update', 'wait');
        transaction.put(T, account(from), bytes(String(balance - amount)));
        await settle();
        transaction.beginStatement('UPDATE');
        const target = Number(text(transaction.get(T, account(to))));
        if (mixed) await transaction.lockRow(T, account(to), 'no key update', 'wait');
        transaction.put(T, account(to), bytes(String(target + amount)));
      });
      transfers++;
      retries += attempts - 1;
    };
    const transferReadCommitted = async () => {
      const from = Math.floor(next() * ACCOUNTS);
      const to = (from + 1 + Math.floor(next() * (ACCOUNTS - 1))) % ACCOUNTS;
      await retrying(manager, { isolation: 'read committed', readOnly: false }, async (transaction) => {
        for (const [key, delta] of [[account(from), -5], [account(to), 5]] as const) {
          transaction.beginStatement('UPDATE');
          let latest: number;
          if (mixed) {
            await transaction.lockRow(T, key, 'no key update', 'wait');
            latest = Number(text(transaction.readLatestCommitted(T, key)));
          } else {
            latest = Number(text(transaction.get(T, key))); // unlocked: the safety net must catch races
          }
          transaction.put(T, key, bytes(String(latest + delta)));
          await settle();
        }
      });
      transfers++;
    };
    const audit = async (isolation: 'repeatable read' | 'serializable') => {
      const transaction = manager.begin({ isolation, readOnly: true });
      expect(sumAll(transaction)).to.equal(ACCOUNTS * INITIAL);
      await settle();
      expect(sumAll(transaction)).to.equal(ACCOUNTS * INITIAL);
      await transaction.commit();
      audits++;
    };
    const client = async (work: () => Promise<void>, rounds: number) => {
      for (let round = 0; round < rounds; round++) await work();
    };
    await Promise.all([
      ...Array.from({ length: 6 }, () => client(transferSerializable, 60)),
      ...Array.from({ length: 2 }, () => client(transferReadCommitted, 40)),
      client(() => audit('repeatable read'), 100),
      client(() => audit('serializable'), 100),
    ]);
    const final = manager.begin({ isolation: 'serializable', readOnly: true });
    expect(sumAll(final)).to.equal(ACCOUNTS * INITIAL);
    final.rollback();
    expect(transfers).to.equal(6 * 60 + 2 * 40);
    expect(audits).to.equal(200);
    expect(retries).to.be.greaterThan(0); // the workload really was contended
    expect(manager.activeCount()).to.equal(0);
    expect(manager.retainedCommitCount()).to.equal(0);
    expect(engine.pinnedViews).to.equal(0);
  });
  }
});
