// API-level tests of snapshots, buffered writes, first-committer-wins, read-only and savepoints.
import { expect } from 'chai';
import { createTransactionManager } from '../../src/txn/index.js';
import type { TransactionManager, TransactionOptions } from '../../src/txn/api.js';
import { closeTestEngines, openTestEngine, type CountingEngine } from './test-engine.js';
import { bytes, drain, expectRejects, expectSqlError, putAll, text } from './helpers.js';

let T = 0;
const rr: TransactionOptions = { isolation: 'repeatable read', readOnly: false };
const rc: TransactionOptions = { isolation: 'read committed', readOnly: false };

async function seeded(entries: Record<string, string>): Promise<{ engine: CountingEngine; manager: TransactionManager }> {
  const engine = await openTestEngine();
  [T] = await engine.createTrees(1);
  const manager = createTransactionManager(engine, { describeTree: (tree) => `t${tree}` });
  const setup = manager.begin(rr);
  putAll(setup, T, entries);
  await setup.commit();
  return { engine, manager };
}

describe('txn: snapshots and buffered writes', () => {
  afterEach(closeTestEngines);
  it('reads its own writes over the snapshot, and scans merge both in key order', async () => {
    const { manager } = await seeded({ a: '1', c: '3', e: '5', g: '7' });
    const transaction = manager.begin(rr);
    transaction.beginStatement();
    transaction.put(T, bytes('b'), bytes('2'));
    transaction.put(T, bytes('c'), bytes('33'));
    transaction.delete(T, bytes('e'));
    transaction.put(T, bytes('h'), bytes('8'));
    expect(text(transaction.get(T, bytes('c')))).to.equal('33');
    expect(transaction.get(T, bytes('e'))).to.equal(undefined);
    expect(drain(transaction.scan(T))).to.deep.equal(['a=1', 'b=2', 'c=33', 'g=7', 'h=8']);
    expect(drain(transaction.scan(T, undefined, { reverse: true }))).to.deep.equal(['h=8', 'g=7', 'c=33', 'b=2', 'a=1']);
    const range = { lower: bytes('b'), lowerInclusive: false, upper: bytes('g'), upperInclusive: true };
    expect(drain(transaction.scan(T, range))).to.deep.equal(['c=33', 'g=7']);
    expect(drain(transaction.scan(T, range, { reverse: true }))).to.deep.equal(['g=7', 'c=33']);
    expect(drain(transaction.scan(T, { lower: bytes('b'), upper: bytes('g') }))).to.deep.equal(['b=2', 'c=33']);
    expect(drain(transaction.scan(T, undefined, { limit: 2 }))).to.deep.equal(['a=1', 'b=2']);
    expect(drain(transaction.scan(T, undefined, { limit: 2, reverse: true }))).to.deep.equal(['h=8', 'g=7']);
    await transaction.commit();
    const reader = manager.begin(rr);
    reader.beginStatement();
    expect(drain(reader.scan(T))).to.deep.equal(['a=1', 'b=2', 'c=33', 'g=7', 'h=8']);
    reader.rollback();
  });

  it('a scan is not disturbed by writes made while it runs (no Halloween problem)', async () => {
    const { manager } = await seeded({ a: '1', b: '2' });
    const transaction = manager.begin(rr);
    transaction.beginStatement('UPDATE');
    const scan = transaction.scan(T);
    const seen: string[] = [];
    for (let row = scan.next(); row !== undefined; row = scan.next()) {
      seen.push(text(row.key)!);
      transaction.put(T, bytes(text(row.key)! + 'x'), row.value);
    }
    expect(seen).to.deep.equal(['a', 'b']);
    // Overwrites, deletes and inserts made while scans run (forward and reverse) stay invisible
    // to them; a scan started afterwards sees them all.
    for (const reverse of [false, true]) {
      const before = drain(transaction.scan(T, undefined, { reverse }));
      const scan2 = transaction.scan(T, undefined, { reverse });
      const seen2: string[] = [];
      for (let row = scan2.next(); row !== undefined; row = scan2.next()) {
        seen2.push(`${text(row.key)}=${text(row.value)}`);
        transaction.put(T, row.key, bytes('changed'));
        transaction.delete(T, bytes('b'));
        transaction.put(T, bytes('aa' + seen2.length), bytes('new'));
        transaction.put(T, bytes('0' + seen2.length), bytes('new'));
      }
      expect(seen2).to.deep.equal(before);
    }
    expect(drain(transaction.scan(T)).every((row) => row.endsWith('=changed') || row.endsWith('=new'))).to.equal(true);
    transaction.rollback();
  });

  it('takes the snapshot at the first statement; READ COMMITTED takes one per statement', async () => {
    const { manager } = await seeded({ a: '1' });
    const repeatable = manager.begin(rr);
    const committed = manager.begin(rc);
    const writer = manager.begin(rr);
    putAll(writer, T, { a: '2' });
    await writer.commit();
    repeatable.beginStatement();
    committed.beginStatement();
    expect(text(repeatable.get(T, bytes('a')))).to.equal('2');
    expect(text(committed.get(T, bytes('a')))).to.equal('2');
    const second = manager.begin(rr);
    putAll(second, T, { a: '3' });
    await second.commit();
    repeatable.beginStatement();
    committed.beginStatement();
    expect(text(repeatable.get(T, bytes('a')))).to.equal('2');
    expect(text(committed.get(T, bytes('a')))).to.equal('3');
    repeatable.rollback();
    committed.rollback();
  });

  it('first committer wins: the loser gets 40001 at its write, or at COMMIT', async () => {
    const { manager } = await seeded({ a: '1', b: '1' });
    const first = manager.begin(rr);
    const second = manager.begin(rr);
    first.beginStatement();
    second.beginStatement();
    second.put(T, bytes('b'), bytes('second'));
    first.put(T, bytes('a'), bytes('first'));
    first.put(T, bytes('b'), bytes('first'));
    await first.commit();
    expectSqlError(() => second.put(T, bytes('a'), bytes('second')), '40001', /concurrent update/);
    expect(second.state).to.equal('failed');
    second.rollback();

    const third = manager.begin(rr);
    const fourth = manager.begin({ isolation: 'serializable', readOnly: false });
    third.beginStatement();
    fourth.beginStatement();
    third.put(T, bytes('a'), bytes('third'));
    fourth.put(T, bytes('a'), bytes('fourth'));
    await third.commit();
    await expectRejects(fourth.commit(), '40001', /concurrent update/);
    expect(fourth.state).to.equal('aborted');
  });

  it('READ COMMITTED writers do not fail on concurrent updates (row locks order them)', async () => {
    const { manager } = await seeded({ a: '1' });
    const first = manager.begin(rc);
    const second = manager.begin(rc);
    putAll(first, T, { a: '2' });
    putAll(second, T, { b: '2' });
    await first.commit();
    second.beginStatement();
    second.put(T, bytes('a'), bytes('3'));
    await second.commit();
  });

  it('READ COMMITTED: a write without a row lock over a newer commit fails with 40001 instead of losing it', async () => {
    const { manager } = await seeded({ a: '1' });
    const first = manager.begin(rc);
    const second = manager.begin(rc);
    first.beginStatement('UPDATE');
    second.beginStatement('UPDATE');
    second.put(T, bytes('a'), bytes('second'));
    second.put(T, bytes('new'), bytes('second'));
    first.put(T, bytes('a'), bytes('first'));
    first.put(T, bytes('new'), bytes('first'));
    await first.commit();
    await expectRejects(second.commit(), '40001', /concurrent update/);
    // At the write itself when the newer commit is already there; never under a row lock.
    const third = manager.begin(rc);
    const fourth = manager.begin(rc);
    third.beginStatement('UPDATE');
    fourth.beginStatement('UPDATE');
    putAll(third, T, { a: 'third' });
    await third.commit();
    expectSqlError(() => fourth.put(T, bytes('a'), bytes('fourth')), '40001');
    fourth.rollback();
    const fifth = manager.begin(rc);
    const sixth = manager.begin(rc);
    fifth.beginStatement('UPDATE');
    sixth.beginStatement('UPDATE');
    await fifth.lockRow(T, bytes('a'), 'no key update', 'wait');
    fifth.put(T, bytes('a'), bytes('fifth'));
    const waiting = sixth.lockRow(T, bytes('a'), 'no key update', 'wait');
    await fifth.commit();
    await waiting;
    expect(text(sixth.readLatestCommitted(T, bytes('a')))).to.equal('fifth');
    sixth.put(T, bytes('a'), bytes('sixth'));
    await sixth.commit();
    // Locked but not re-read: writing a value computed from the stale snapshot fails too.
    const seventh = manager.begin(rc);
    const eighth = manager.begin(rc);
    seventh.beginStatement('UPDATE');
    eighth.beginStatement('UPDATE');
    await seventh.lockRow(T, bytes('a'), 'no key update', 'wait');
    seventh.put(T, bytes('a'), bytes('seventh'));
    const eighthWaits = eighth.lockRow(T, bytes('a'), 'no key update', 'wait');
    await seventh.commit();
    await eighthWaits;
    expectSqlError(() => eighth.put(T, bytes('a'), bytes(text(eighth.get(T, bytes('a')))! + '+1')), '40001');
    eighth.rollback();
    expect(manager.retainedCommitCount()).to.equal(0);
  });

  it('read-only transactions refuse writes with 25006 naming the command', async () => {
    const { manager } = await seeded({ a: '1' });
    const reader = manager.begin({ isolation: 'repeatable read', readOnly: true });
    reader.beginStatement('UPDATE');
    expectSqlError(() => reader.put(T, bytes('a'), bytes('2')), '25006', /^cannot execute UPDATE in a read-only transaction$/);
    reader.rollback();
    const other = manager.begin({ isolation: 'serializable', readOnly: true });
    expectSqlError(() => other.assertWritable('DELETE'), '25006', /cannot execute DELETE in a read-only transaction/);
    expectSqlError(() => other.get(T, bytes('a')), '25P02');
    await expectRejects(other.commit(), '25P02');
    const locker = manager.begin({ isolation: 'read committed', readOnly: true });
    locker.beginStatement('SELECT FOR UPDATE');
    await expectRejects(locker.lockRow(T, bytes('a'), 'update', 'wait'), '25006', /SELECT FOR UPDATE/);
    locker.rollback();
  });

  it('SET TRANSACTION: anything before the first statement; afterwards only READ ONLY (25001 otherwise)', async () => {
    const { manager } = await seeded({ x: '1', y: '1' });
    const transaction = manager.begin(rc);
    transaction.setCharacteristics({ isolation: 'serializable', readOnly: true });
    transaction.setCharacteristics({ readOnly: false });
    expect(transaction.options.isolation).to.equal('serializable');
    transaction.beginStatement('SELECT');
    transaction.get(T, bytes('x'));
    expectSqlError(() => transaction.setCharacteristics({ isolation: 'read committed' }), '25001', /^SET TRANSACTION ISOLATION LEVEL must be called before any query$/);
    transaction.put(T, bytes('y'), bytes('2'));
    transaction.setCharacteristics({ readOnly: true });
    expectSqlError(() => transaction.setCharacteristics({ readOnly: false }), '25001', /read-write mode must be set before any query/);
    expectSqlError(() => transaction.put(T, bytes('y'), bytes('3')), '25006');
    transaction.rollback();
    // Writes made before READ ONLY still validate at COMMIT (here: write skew under SERIALIZABLE).
    const first = manager.begin({ isolation: 'serializable', readOnly: false });
    const second = manager.begin({ isolation: 'serializable', readOnly: false });
    first.beginStatement();
    second.beginStatement();
    first.get(T, bytes('x'));
    second.get(T, bytes('y'));
    first.put(T, bytes('y'), bytes('first'));
    second.put(T, bytes('x'), bytes('second'));
    second.setCharacteristics({ readOnly: true });
    await first.commit();
    await expectRejects(second.commit(), '40001');
  });

  it('savepoints nest; ROLLBACK TO undoes later writes and keeps the savepoint; RELEASE keeps writes', async () => {
    const { manager } = await seeded({ a: '1' });
    const transaction = manager.begin(rr);
    putAll(transaction, T, { b: '2' });
    transaction.savepoint('one');
    putAll(transaction, T, { c: '3', a: '11' });
    transaction.savepoint('two');
    transaction.delete(T, bytes('b'));
    transaction.clearTree(T);
    transaction.put(T, bytes('z'), bytes('26'));
    expect(drain(transaction.scan(T))).to.deep.equal(['z=26']);
    transaction.rollbackToSavepoint('two');
    expect(drain(transaction.scan(T))).to.deep.equal(['a=11', 'b=2', 'c=3']);
    transaction.delete(T, bytes('c'));
    transaction.rollbackToSavepoint('one');
    expect(drain(transaction.scan(T))).to.deep.equal(['a=1', 'b=2']);
    expectSqlError(() => transaction.rollbackToSavepoint('two'), '3B001', /savepoint "two" does not exist/);
    transaction.put(T, bytes('d'), bytes('4'));
    transaction.savepoint('three');
    transaction.put(T, bytes('e'), bytes('5'));
    transaction.releaseSavepoint('one');
    expectSqlError(() => transaction.releaseSavepoint('three'), '3B001');
    transaction.savepoint('four');
    transaction.put(T, bytes('e'), bytes('55'));
    transaction.delete(T, bytes('d'));
    transaction.rollbackToSavepoint('four');
    await transaction.commit();
    const reader = manager.begin(rr);
    reader.beginStatement();
    expect(drain(reader.scan(T))).to.deep.equal(['a=1', 'b=2', 'd=4', 'e=5']);
    reader.rollback();
  });

  it('ROLLBACK TO SAVEPOINT recovers a failed transaction', async () => {
    const { manager } = await seeded({ a: '1' });
    const transaction = manager.begin(rr);
    putAll(transaction, T, { b: '2' });
    transaction.savepoint('s');
    transaction.fail();
    expectSqlError(() => transaction.get(T, bytes('a')), '25P02', /current transaction is aborted/);
    transaction.rollbackToSavepoint('s');
    expect(transaction.state).to.equal('active');
    await transaction.commit();
  });

  it('create, clear and drop trees travel with the commit', async () => {
    const { engine, manager } = await seeded({ a: '1' });
    const tree = engine.allocateTreeId();
    const transaction = manager.begin(rr);
    transaction.beginStatement('CREATE TABLE');
    transaction.createTree(tree);
    transaction.put(tree, bytes('x'), bytes('1'));
    transaction.clearTree(T);
    transaction.put(T, bytes('q'), bytes('2'));
    expect(drain(transaction.scan(tree))).to.deep.equal(['x=1']);
    await transaction.commit();
    const view = engine.view();
    expect(view.hasTree(tree)).to.equal(true);
    expect(view.count(T)).to.equal(1);
    view.release();
    const dropper = manager.begin(rr);
    dropper.beginStatement();
    dropper.dropTree(tree);
    await dropper.commit();
    expect(engine.view().hasTree(tree)).to.equal(false);
  });

  it('rollback and commit release views, and write-set history is pruned when no one needs it', async () => {
    const { engine, manager } = await seeded({ a: '1' });
    const old = manager.begin(rr);
    old.beginStatement();
    for (let index = 0; index < 5; index++) {
      const writer = manager.begin(rr);
      putAll(writer, T, { [`k${index}`]: 'v' });
      await writer.commit();
    }
    expect(manager.retainedCommitCount()).to.be.greaterThan(4);
    const scan = old.scan(T);
    scan.next();
    old.rollback();
    expect(manager.activeCount()).to.equal(0);
    expect(manager.retainedCommitCount()).to.equal(0);
    expect(engine.pinnedViews).to.equal(0);
  });

  it('READ COMMITTED keeps an older statement view pinned while a scan of it is open', async () => {
    const { engine, manager } = await seeded({ a: '1', b: '2' });
    const transaction = manager.begin(rc);
    transaction.beginStatement();
    const scan = transaction.scan(T);
    expect(text(scan.next()?.key)).to.equal('a');
    const writer = manager.begin(rc);
    putAll(writer, T, { c: '3' });
    await writer.commit();
    transaction.beginStatement();
    expect(text(scan.next()?.key)).to.equal('b');
    expect(scan.next()).to.equal(undefined);
    expect(drain(transaction.scan(T)).length).to.equal(3);
    await transaction.commit();
    expect(engine.pinnedViews).to.equal(0);
  });

  it('AS OF reads a retained commit and is read only', async () => {
    const { engine, manager } = await seeded({ a: '1' });
    const retain = manager.begin(rr);
    putAll(retain, T, { a: 'old' });
    await retain.commit();
    const receipt = engine.commit([{ kind: 'retain' }]);
    await receipt.durable;
    const writer = manager.begin(rr);
    putAll(writer, T, { a: 'new' });
    await writer.commit();
    const asOf = manager.begin({ isolation: 'repeatable read', readOnly: false, asOfSeq: receipt.commitSeq });
    asOf.beginStatement('INSERT');
    expect(text(asOf.get(T, bytes('a')))).to.equal('old');
    expectSqlError(() => asOf.put(T, bytes('a'), bytes('x')), '25006');
    asOf.rollback();
  });
});
