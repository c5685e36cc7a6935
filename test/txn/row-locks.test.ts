// Row locks: PostgreSQL's conflict table, waiting, NOWAIT, SKIP LOCKED, deadlocks, lock_timeout,
// and what a waiter sees after the holder commits at each isolation level.
import { expect } from 'chai';
import { createTransactionManager, rowLockModesConflict } from '../../src/txn/index.js';
import type { RowLockMode, TransactionManager, TransactionOptions } from '../../src/txn/api.js';
import { SqlError } from '../../src/util/errors.js';
import { closeTestEngines, openTestEngine } from './test-engine.js';
import { bytes, expectRejects, putAll, settle, text } from './helpers.js';

let T = 0;
const rr: TransactionOptions = { isolation: 'repeatable read', readOnly: false };
const rc: TransactionOptions = { isolation: 'read committed', readOnly: false };
const modes: RowLockMode[] = ['key share', 'share', 'no key update', 'update'];

async function seeded(entries: Record<string, string>, deadlockTimeoutMs = 0): Promise<TransactionManager> {
  const engine = await openTestEngine();
  [T] = await engine.createTrees(1);
  const manager = createTransactionManager(engine, { describeTree: () => 'accounts', deadlockTimeoutMs });
  const setup = manager.begin(rr);
  putAll(setup, T, entries);
  await setup.commit();
  return manager;
}

describe('txn: row locks', () => {
  afterEach(closeTestEngines);
  it('follows PostgreSQL’s row-level lock conflict table', async () => {
    // Rows: requested; columns: held (FOR KEY SHARE, FOR SHARE, FOR NO KEY UPDATE, FOR UPDATE).
    const expected = [
      [false, false, false, true],
      [false, false, true, true],
      [false, true, true, true],
      [true, true, true, true],
    ];
    modes.forEach((requested, row) =>
      modes.forEach((held, column) => expect(rowLockModesConflict(requested, held), `${requested} vs ${held}`).to.equal(expected[row]![column])),
    );
    const manager = await seeded({ a: '1' });
    for (const [row, requested] of modes.entries()) {
      for (const [column, held] of modes.entries()) {
        const holder = manager.begin(rc);
        const requester = manager.begin(rc);
        holder.beginStatement();
        requester.beginStatement();
        expect(await holder.lockRow(T, bytes('a'), held, 'wait')).to.equal(true);
        expect(await requester.lockRow(T, bytes('a'), requested, 'skip locked')).to.equal(!expected[row]![column]);
        holder.rollback();
        requester.rollback();
      }
    }
  });

  it('a second locker waits until the holder ends; NOWAIT fails with 55P03; SKIP LOCKED reports false', async () => {
    const manager = await seeded({ a: '1' });
    const holder = manager.begin(rc);
    holder.beginStatement();
    await holder.lockRow(T, bytes('a'), 'update', 'wait');
    const nowait = manager.begin(rc);
    nowait.beginStatement();
    await expectRejects(nowait.lockRow(T, bytes('a'), 'share', 'nowait'), '55P03', /^could not obtain lock on row in relation "accounts"$/);
    expect(nowait.state).to.equal('failed');
    nowait.rollback();
    manager.describeTreesWith(() => 'renamed');
    const again = manager.begin(rc);
    await expectRejects(again.lockRow(T, bytes('a'), 'share', 'nowait'), '55P03', /relation "renamed"$/);
    again.rollback();
    const waiter = manager.begin(rc);
    waiter.beginStatement();
    let granted = false;
    const waiting = waiter.lockRow(T, bytes('a'), 'share', 'wait').then((result) => (granted = result));
    await settle();
    expect(granted).to.equal(false);
    holder.rollback();
    await waiting;
    expect(granted).to.equal(true);
    waiter.rollback();
  });

  it('a holder can upgrade its lock, and holding a stronger mode covers a weaker request', async () => {
    const manager = await seeded({ a: '1' });
    const transaction = manager.begin(rc);
    transaction.beginStatement();
    await transaction.lockRow(T, bytes('a'), 'key share', 'wait');
    await transaction.lockRow(T, bytes('a'), 'update', 'nowait');
    await transaction.lockRow(T, bytes('a'), 'share', 'nowait');
    const other = manager.begin(rc);
    other.beginStatement();
    expect(await other.lockRow(T, bytes('a'), 'key share', 'skip locked')).to.equal(false);
    transaction.rollback();
    other.rollback();
  });

  it('detects a deadlock: the transaction closing the cycle gets 40P01, the other proceeds', async () => {
    const manager = await seeded({ a: '1', b: '2' });
    const first = manager.begin(rc);
    const second = manager.begin(rc);
    first.beginStatement();
    second.beginStatement();
    await first.lockRow(T, bytes('a'), 'update', 'wait');
    await second.lockRow(T, bytes('b'), 'update', 'wait');
    const firstWaits = first.lockRow(T, bytes('b'), 'update', 'wait');
    await expectRejects(second.lockRow(T, bytes('a'), 'update', 'wait'), '40P01', /^deadlock detected$/);
    second.rollback();
    expect(await firstWaits).to.equal(true);
    first.rollback();
  });

  it('with a deadlock_timeout, the longest waiter on the cycle is the victim, after the timeout (PostgreSQL)', async () => {
    const manager = await seeded({ a: '1', b: '2' }, 40);
    const first = manager.begin(rc);
    const second = manager.begin(rc);
    first.beginStatement();
    second.beginStatement();
    await first.lockRow(T, bytes('a'), 'update', 'wait');
    await second.lockRow(T, bytes('b'), 'update', 'wait');
    const started = Date.now();
    const firstWaits = first.lockRow(T, bytes('b'), 'update', 'wait');
    await settle();
    const secondWaits = second.lockRow(T, bytes('a'), 'update', 'wait');
    await expectRejects(firstWaits, '40P01', /^deadlock detected$/);
    expect(Date.now() - started).to.be.at.least(35);
    first.rollback();
    expect(await secondWaits).to.equal(true);
    second.rollback();
    // No deadlock: nothing happens at the timeout; the wait goes on until the holder ends.
    const holder = manager.begin(rc);
    const waiter = manager.begin(rc);
    holder.beginStatement();
    waiter.beginStatement();
    await holder.lockRow(T, bytes('a'), 'update', 'wait');
    let granted = false;
    const waiting = waiter.lockRow(T, bytes('a'), 'update', 'wait').then((result) => (granted = result));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(granted).to.equal(false);
    holder.rollback();
    await waiting;
    expect(granted).to.equal(true);
    waiter.rollback();
  });

  it('detects a deadlock between two share holders upgrading', async () => {
    const manager = await seeded({ a: '1' });
    const first = manager.begin(rc);
    const second = manager.begin(rc);
    first.beginStatement();
    second.beginStatement();
    await first.lockRow(T, bytes('a'), 'share', 'wait');
    await second.lockRow(T, bytes('a'), 'share', 'wait');
    const firstUpgrade = first.lockRow(T, bytes('a'), 'no key update', 'wait');
    await expectRejects(second.lockRow(T, bytes('a'), 'no key update', 'wait'), '40P01');
    second.rollback();
    expect(await firstUpgrade).to.equal(true);
    first.rollback();
  });

  it('detects a three-way deadlock', async () => {
    const manager = await seeded({ a: '1', b: '2', c: '3' });
    const [x, y, z] = [manager.begin(rc), manager.begin(rc), manager.begin(rc)];
    for (const [transaction, key] of [[x, 'a'], [y, 'b'], [z, 'c']] as const) {
      transaction.beginStatement();
      await transaction.lockRow(T, bytes(key), 'update', 'wait');
    }
    const xWaits = x.lockRow(T, bytes('b'), 'update', 'wait');
    const yWaits = y.lockRow(T, bytes('c'), 'update', 'wait');
    await expectRejects(z.lockRow(T, bytes('a'), 'update', 'wait'), '40P01');
    z.rollback();
    expect(await yWaits).to.equal(true);
    y.rollback();
    expect(await xWaits).to.equal(true);
    x.rollback();
  });

  it('lock_timeout cancels the wait with 55P03; cancelLockWait fails it with the given error', async () => {
    const manager = await seeded({ a: '1' });
    const holder = manager.begin(rc);
    holder.beginStatement();
    await holder.lockRow(T, bytes('a'), 'no key update', 'wait');
    const waiter = manager.begin(rc);
    waiter.beginStatement();
    waiter.lockTimeoutMs = 20;
    const started = Date.now();
    await expectRejects(waiter.lockRow(T, bytes('a'), 'update', 'wait'), '55P03', /^canceling statement due to lock timeout$/);
    expect(Date.now() - started).to.be.at.least(15);
    waiter.rollback();
    const canceled = manager.begin(rc);
    canceled.beginStatement();
    const waiting = canceled.lockRow(T, bytes('a'), 'update', 'wait');
    await settle();
    canceled.cancelLockWait(new SqlError('57014', 'canceling statement due to user request'));
    await expectRejects(waiting, '57014');
    canceled.rollback();
    holder.rollback();
  });

  it('after the holder commits an update, a REPEATABLE READ waiter gets 40001', async () => {
    const manager = await seeded({ a: '1' });
    const holder = manager.begin(rr);
    const waiter = manager.begin({ isolation: 'serializable', readOnly: false });
    holder.beginStatement('UPDATE');
    waiter.beginStatement('UPDATE');
    await holder.lockRow(T, bytes('a'), 'no key update', 'wait');
    holder.put(T, bytes('a'), bytes('2'));
    const waiting = waiter.lockRow(T, bytes('a'), 'no key update', 'wait');
    await holder.commit();
    await expectRejects(waiting, '40001', /^could not serialize access due to concurrent update$/);
    waiter.rollback();
  });

  it('after the holder only locked (no write), a REPEATABLE READ waiter proceeds', async () => {
    const manager = await seeded({ a: '1' });
    const holder = manager.begin(rr);
    const waiter = manager.begin(rr);
    holder.beginStatement();
    waiter.beginStatement();
    await holder.lockRow(T, bytes('a'), 'update', 'wait');
    const waiting = waiter.lockRow(T, bytes('a'), 'update', 'wait');
    await holder.commit();
    expect(await waiting).to.equal(true);
    waiter.put(T, bytes('a'), bytes('3'));
    await waiter.commit();
  });

  it('READ COMMITTED: after the holder commits, the waiter re-reads the newest committed version', async () => {
    const manager = await seeded({ a: '10' });
    const holder = manager.begin(rc);
    const waiter = manager.begin(rc);
    holder.beginStatement('UPDATE');
    waiter.beginStatement('UPDATE');
    await holder.lockRow(T, bytes('a'), 'no key update', 'wait');
    holder.put(T, bytes('a'), bytes(String(Number(text(holder.get(T, bytes('a'))!)) + 1)));
    const waiting = waiter.lockRow(T, bytes('a'), 'no key update', 'wait');
    await holder.commit();
    expect(await waiting).to.equal(true);
    expect(text(waiter.get(T, bytes('a')))).to.equal('10');
    const latest = waiter.readLatestCommitted(T, bytes('a'));
    expect(text(latest)).to.equal('11');
    waiter.put(T, bytes('a'), bytes(String(Number(text(latest)) + 1)));
    expect(text(waiter.readLatestCommitted(T, bytes('a')))).to.equal('12');
    await waiter.commit();
    const reader = manager.begin(rr);
    expect(text(reader.get(T, bytes('a')))).to.equal('12');
    reader.rollback();
  });

  for (const isolation of ['read committed', 'repeatable read', 'serializable'] as const) {
    it(`concurrent inserts of one key at ${isolation}: the second waits, then sees the key (23505) or inserts after a rollback`, async () => {
      const manager = await seeded({});
      const options: TransactionOptions = { isolation, readOnly: false };
      for (const firstCommits of [true, false]) {
        const key = bytes(`k-${firstCommits}`);
        const first = manager.begin(options);
        const second = manager.begin(options);
        first.beginStatement('INSERT');
        second.beginStatement('INSERT');
        await first.lockForInsert(T, key);
        expect(first.readLatestCommitted(T, key)).to.equal(undefined);
        first.put(T, key, bytes('first'));
        let secondGranted = false;
        const waiting = second.lockForInsert(T, key).then((granted) => (secondGranted = granted));
        await settle();
        expect(secondGranted).to.equal(false);
        if (firstCommits) await first.commit();
        else first.rollback();
        await waiting;
        const existing = second.readLatestCommitted(T, key);
        if (firstCommits) {
          expect(text(existing)).to.equal('first');
          second.rollback();
        } else {
          expect(existing).to.equal(undefined);
          second.put(T, key, bytes('second'));
          await second.commit();
        }
      }
    });
  }

  it('random lock storms never grant conflicting modes together and never hang (every deadlock is found)', async function () {
    this.timeout(20_000);
    const manager = await seeded({}, 2);
    let state = 7;
    const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
    const holders = new Map<string, Map<number, RowLockMode>>();
    let deadlocks = 0;
    let commits = 0;
    const worker = async (rounds: number) => {
      for (let round = 0; round < rounds; round++) {
        const transaction = manager.begin(rc);
        transaction.beginStatement();
        const held: string[] = [];
        try {
          for (let step = 0; step < 3; step++) {
            const row = `r${Math.floor(next() * 4)}`;
            const mode = modes[Math.floor(next() * modes.length)]!;
            await transaction.lockRow(T, bytes(row), mode, 'wait');
            const rowHolders = holders.get(row) ?? new Map<number, RowLockMode>();
            holders.set(row, rowHolders);
            for (const [other, otherMode] of rowHolders) {
              if (other !== transaction.id) expect(rowLockModesConflict(otherMode, mode), `${row}: ${otherMode} held with ${mode}`).to.equal(false);
            }
            const previous = rowHolders.get(transaction.id);
            if (previous === undefined || modes.indexOf(previous) < modes.indexOf(mode)) rowHolders.set(transaction.id, mode);
            held.push(row);
            await settle();
          }
          commits++;
        } catch (error) {
          expect((error as { code?: string }).code).to.equal('40P01');
          deadlocks++;
        }
        for (const row of held) holders.get(row)?.delete(transaction.id);
        if (transaction.state === 'failed' || commits % 2 === 0) transaction.rollback();
        else await transaction.commit();
      }
    };
    await Promise.all(Array.from({ length: 8 }, () => worker(40)));
    expect(commits + deadlocks).to.equal(320);
    expect(deadlocks).to.be.greaterThan(0);
    expect(manager.activeCount()).to.equal(0);
  });

  it('rollback releases every lock the transaction holds', async () => {
    const manager = await seeded({ a: '1', b: '2' });
    const holder = manager.begin(rc);
    holder.beginStatement();
    await holder.lockRow(T, bytes('a'), 'update', 'wait');
    await holder.lockRow(T, bytes('b'), 'share', 'wait');
    holder.rollback();
    const other = manager.begin(rc);
    other.beginStatement();
    expect(await other.lockRow(T, bytes('a'), 'update', 'nowait')).to.equal(true);
    expect(await other.lockRow(T, bytes('b'), 'update', 'nowait')).to.equal(true);
    other.rollback();
  });
});
