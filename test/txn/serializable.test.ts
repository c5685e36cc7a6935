// SERIALIZABLE read-set validation: write skew, phantoms, misses, LIMIT truncation, read-only
// transactions and read-set coarsening.
import { expect } from 'chai';
import { createTransactionManager } from '../../src/txn/index.js';
import type { TransactionManager, TransactionManagerOptions, TransactionOptions } from '../../src/txn/api.js';
import { ReadSet } from '../../src/txn/read-set.js';
import { closeTestEngines, openTestEngine } from './test-engine.js';
import { bytes, drain, expectRejects, putAll } from './helpers.js';

let T = 0;
let INDEX = 0;
const serializable: TransactionOptions = { isolation: 'serializable', readOnly: false };
const rr: TransactionOptions = { isolation: 'repeatable read', readOnly: false };

async function seeded(entries: Record<string, string>, options?: TransactionManagerOptions): Promise<TransactionManager> {
  const engine = await openTestEngine();
  [T, INDEX] = (await engine.createTrees(2)) as [number, number];
  const manager = createTransactionManager(engine, options);
  const setup = manager.begin(rr);
  putAll(setup, T, entries);
  await setup.commit();
  return manager;
}

const rwDependency = /^could not serialize access due to read\/write dependencies among transactions$/;

describe('txn: SERIALIZABLE validation', () => {
  afterEach(closeTestEngines);
  it('prevents write skew (G2-item) that REPEATABLE READ allows', async () => {
    for (const [options, skewAllowed] of [[rr, true], [serializable, false]] as const) {
      const manager = await seeded({ x: 'on', y: 'on' });
      const first = manager.begin(options);
      const second = manager.begin(options);
      first.beginStatement();
      second.beginStatement();
      first.get(T, bytes('x'));
      first.get(T, bytes('y'));
      second.get(T, bytes('x'));
      second.get(T, bytes('y'));
      first.put(T, bytes('x'), bytes('off'));
      second.put(T, bytes('y'), bytes('off'));
      await first.commit();
      if (skewAllowed) await second.commit();
      else await expectRejects(second.commit(), '40001', rwDependency);
    }
  });

  it('catches phantoms: an insert into a scanned range', async () => {
    const manager = await seeded({ a: '1', c: '3' });
    const scanner = manager.begin(serializable);
    const inserter = manager.begin(serializable);
    scanner.beginStatement();
    inserter.beginStatement();
    expect(drain(scanner.scan(T, { lower: bytes('a'), upper: bytes('d') }))).to.deep.equal(['a=1', 'c=3']);
    inserter.get(T, bytes('q'));
    inserter.put(T, bytes('b'), bytes('2'));
    scanner.put(T, bytes('q'), bytes('summary'));
    await inserter.commit();
    await expectRejects(scanner.commit(), '40001', rwDependency);
  });

  it('does not conflict on writes outside the scanned range, or past the last key a LIMIT returned', async () => {
    const manager = await seeded({ a: '1', c: '3', e: '5' });
    const scanner = manager.begin(serializable);
    const writer = manager.begin(serializable);
    scanner.beginStatement();
    writer.beginStatement();
    expect(drain(scanner.scan(T, { lower: bytes('a') }, { limit: 2 }))).to.deep.equal(['a=1', 'c=3']);
    expect(drain(scanner.scan(T, { upper: bytes('z') }, { limit: 1, reverse: true }))).to.deep.equal(['e=5']);
    scanner.put(T, bytes('z'), bytes('26'));
    writer.put(T, bytes('d'), bytes('4'));
    await writer.commit();
    await scanner.commit();
  });

  it('a scan stopped early covers only what it returned; one read to the end covers the gap too', async () => {
    const manager = await seeded({ a: '1', c: '3' });
    const scanner = manager.begin(serializable);
    const writer = manager.begin(serializable);
    scanner.beginStatement();
    writer.beginStatement();
    const scan = scanner.scan(T, { lower: bytes('a'), upper: bytes('m') });
    scan.next();
    scan.next();
    expect(scan.next()).to.equal(undefined); // exhausted: the gap (c, m) was read as empty
    scanner.put(T, bytes('z'), bytes('1'));
    writer.put(T, bytes('k'), bytes('1'));
    await writer.commit();
    await expectRejects(scanner.commit(), '40001', rwDependency);
  });

  it('reports a doomed transaction at its next write, not only at COMMIT (Fekete et al.’s example)', async () => {
    const manager = await seeded({ a: '10', b: '20' });
    const first = manager.begin(serializable);
    first.beginStatement('SELECT');
    expect(drain(first.scan(T))).to.deep.equal(['a=10', 'b=20']);
    const second = manager.begin(serializable);
    putAll(second, T, { b: '25' });
    await second.commit();
    first.beginStatement('UPDATE');
    expect(() => first.put(T, bytes('a'), bytes('0'))).to.throw(/read\/write dependencies/);
    expect(first.state).to.equal('failed');
    first.rollback();
  });

  it('records point-read misses', async () => {
    const manager = await seeded({});
    const reader = manager.begin(serializable);
    const writer = manager.begin(serializable);
    reader.beginStatement();
    writer.beginStatement();
    expect(reader.get(INDEX, bytes('email:x'))).to.equal(undefined);
    reader.put(T, bytes('other'), bytes('1'));
    writer.put(INDEX, bytes('email:x'), bytes('1'));
    await writer.commit();
    await expectRejects(reader.commit(), '40001', rwDependency);
  });

  it('a whole-tree write (TRUNCATE) conflicts with any read of that tree', async () => {
    const manager = await seeded({ a: '1' });
    const reader = manager.begin(serializable);
    const truncater = manager.begin(serializable);
    reader.beginStatement();
    truncater.beginStatement();
    reader.get(T, bytes('a'));
    reader.put(INDEX, bytes('i'), bytes('1'));
    truncater.clearTree(T);
    await truncater.commit();
    await expectRejects(reader.commit(), '40001', rwDependency);
  });

  it('read-only SERIALIZABLE transactions need no tracking and never fail', async () => {
    const manager = await seeded({ x: '1' });
    const reader = manager.begin({ isolation: 'serializable', readOnly: true });
    const writer = manager.begin(serializable);
    reader.beginStatement();
    writer.beginStatement();
    reader.get(T, bytes('x'));
    drain(reader.scan(T));
    writer.put(T, bytes('x'), bytes('2'));
    await writer.commit();
    await reader.commit();
  });

  it('commits that precede the snapshot do not conflict', async () => {
    const manager = await seeded({ x: '1' });
    const writer = manager.begin(serializable);
    putAll(writer, T, { x: '2' });
    await writer.commit();
    const reader = manager.begin(serializable);
    reader.beginStatement();
    reader.get(T, bytes('x'));
    reader.put(T, bytes('y'), bytes('1'));
    await reader.commit();
  });

  it('a read set past its limit is coarsened into wider ranges, never dropped', async () => {
    const manager = await seeded({}, { readSetEntriesMax: 16 });
    const reader = manager.begin(serializable);
    const writer = manager.begin(serializable);
    reader.beginStatement();
    writer.beginStatement();
    for (let index = 0; index < 200; index++) reader.get(T, bytes(`k${String(index).padStart(3, '0')}`));
    reader.put(INDEX, bytes('x'), bytes('1'));
    writer.put(T, bytes('k123'), bytes('1'));
    await writer.commit();
    await expectRejects(reader.commit(), '40001', rwDependency);

    const readSet = new ReadSet(8);
    for (let index = 0; index < 100; index++) readSet.addPoint(1, `p${String(index).padStart(3, '0')}`);
    expect(readSet.size).to.be.at.most(8);
    for (let index = 0; index < 100; index++) expect(readSet.contains(1, `p${String(index).padStart(3, '0')}`)).to.equal(true);
    expect(readSet.contains(1, 'a')).to.equal(false);
    expect(readSet.contains(1, 'q')).to.equal(false);
  });
});
