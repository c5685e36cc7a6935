import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEngine, type CambiumEngine } from '../../src/engine/index.js';
import { MemoryVfs } from '../../src/vfs/index.js';
import { SqlError } from '../../src/util/errors.js';
import { bytes, expectConsistent, intKey, tempDir, text } from './helpers.js';

function collect(engine: CambiumEngine, tree: number, range = {}, reverse = false): string[] {
  const view = engine.view();
  const cursor = view.cursor(tree, range, reverse);
  const keys: string[] = [];
  while (cursor.next()) keys.push(text(cursor.key)!);
  cursor.close();
  view.release();
  return keys;
}

describe('engine (public API)', () => {
  it('commits atomically across trees and makes them visible once durable', async () => {
    const engine = await openEngine({ dir: '/db', vfs: new MemoryVfs(), pageSizeBytes: 4096 });
    const a = engine.allocateTreeId();
    const b = engine.allocateTreeId();
    expect(a).to.not.equal(b);
    const receipt = engine.commit([
      { kind: 'createTree', tree: a },
      { kind: 'createTree', tree: b },
      { kind: 'put', tree: a, key: bytes('k1'), value: bytes('v1') },
      { kind: 'put', tree: b, key: bytes('k2'), value: bytes('v2') },
    ]);
    expect(receipt.commitSeq).to.equal(1);
    expect(engine.appliedSeq).to.equal(1);
    const applied = engine.appliedView();
    expect(text(applied.get(a, bytes('k1')))).to.equal('v1');
    applied.release();
    await receipt.durable;
    expect(engine.durableSeq).to.equal(1);
    const view = engine.view();
    expect(view.commitSeq).to.equal(1);
    expect(text(view.get(a, bytes('k1')))).to.equal('v1');
    expect(text(view.get(b, bytes('k2')))).to.equal('v2');
    expect(view.get(a, bytes('k2'))).to.equal(undefined);
    expect(view.hasTree(a)).to.equal(true);
    expect(view.hasTree(999)).to.equal(false);
    view.release();
    expectConsistent(engine);
    await engine.close();
  });

  it('keeps an old view stable while later commits change the tree', async () => {
    const engine = await openEngine({ dir: '/db', vfs: new MemoryVfs(), pageSizeBytes: 4096 });
    const tree = engine.allocateTreeId();
    const ops = [{ kind: 'createTree' as const, tree }, ...Array.from({ length: 2000 }, (_, i) => ({ kind: 'put' as const, tree, key: intKey(i), value: bytes(`v${i}`) }))];
    await engine.commit(ops).durable;
    const old = engine.view();
    for (let round = 0; round < 5; round++) {
      await engine.commit(Array.from({ length: 400 }, (_, i) => ({ kind: 'delete' as const, tree, key: intKey(round * 400 + i) }))).durable;
      expectConsistent(engine);
    }
    expect(old.count(tree)).to.equal(2000);
    expect(text(old.get(tree, intKey(1234)))).to.equal('v1234');
    const now = engine.view();
    expect(now.count(tree)).to.equal(0);
    expect(now.rootPageId(tree)).to.equal(0);
    now.release();
    old.release();
    await engine.commit([]).durable;
    expectConsistent(engine);
    await engine.close();
  });

  it('scans ranges in both directions with inclusive and exclusive bounds, and counts them', async () => {
    const engine = await openEngine({ dir: '/db', vfs: new MemoryVfs(), pageSizeBytes: 4096 });
    const tree = engine.allocateTreeId();
    await engine.commit([{ kind: 'createTree', tree }, ...Array.from({ length: 1000 }, (_, i) => ({ kind: 'put' as const, tree, key: intKey(i * 2), value: bytes('x'.repeat(i % 50)) }))]).durable;
    const all = collect(engine, tree);
    expect(all.length).to.equal(1000);
    expect(collect(engine, tree, {}, true)).to.deep.equal([...all].reverse());
    const range = { lower: intKey(100), upper: intKey(200) };
    expect(collect(engine, tree, range)).to.deep.equal(all.filter((k) => k >= text(intKey(100))! && k < text(intKey(200))!));
    expect(collect(engine, tree, { ...range, lowerInclusive: false, upperInclusive: true })).to.deep.equal(all.filter((k) => k > text(intKey(100))! && k <= text(intKey(200))!));
    expect(collect(engine, tree, { ...range, upperInclusive: true }, true)).to.deep.equal(all.filter((k) => k >= text(intKey(100))! && k <= text(intKey(200))!).reverse());
    expect(collect(engine, tree, { lower: intKey(101), upper: intKey(105) })).to.deep.equal([text(intKey(102)), text(intKey(104))]);
    const view = engine.view();
    expect(view.count(tree)).to.equal(1000);
    expect(view.count(tree, range)).to.equal(50);
    expect(view.count(tree, { ...range, lowerInclusive: false, upperInclusive: true })).to.equal(50);
    expect(view.count(tree, { lower: intKey(5000) })).to.equal(0);
    view.release();
    await engine.close();
  });

  it('reopens after close and after a crash (WAL replay), keeping tree ids unique', async () => {
    const vfs = new MemoryVfs();
    let engine = await openEngine({ dir: '/db', vfs, pageSizeBytes: 4096 });
    const tree = engine.allocateTreeId();
    await engine.commit([{ kind: 'createTree', tree }, { kind: 'put', tree, key: bytes('a'), value: bytes('1') }]).durable;
    await engine.close();
    engine = await openEngine({ dir: '/db', vfs });
    expect(text(engine.view().get(tree, bytes('a')))).to.equal('1');
    await engine.commit([{ kind: 'put', tree, key: bytes('b'), value: bytes('2') }]).durable;
    const other = engine.allocateTreeId();
    await engine.commit([{ kind: 'createTree', tree: other }]).durable;
    engine.commit([{ kind: 'put', tree, key: bytes('c'), value: bytes('never durable') }]);
    vfs.powerLoss();
    engine = await openEngine({ dir: '/db', vfs });
    const view = engine.view();
    expect(text(view.get(tree, bytes('b')))).to.equal('2');
    expect(view.get(tree, bytes('c'))).to.equal(undefined);
    expect(view.hasTree(other)).to.equal(true);
    view.release();
    expect(engine.allocateTreeId()).to.be.greaterThan(other);
    expectConsistent(engine);
    await engine.close();
  });

  it('rejects a bad commit atomically', async () => {
    const engine = await openEngine({ dir: '/db', vfs: new MemoryVfs(), pageSizeBytes: 4096 });
    const tree = engine.allocateTreeId();
    await engine.commit([{ kind: 'createTree', tree }]).durable;
    expect(() => engine.commit([{ kind: 'put', tree, key: bytes('a'), value: bytes('1') }, { kind: 'put', tree: 12345, key: bytes('a'), value: bytes('1') }])).to.throw(SqlError);
    expect(() => engine.commit([{ kind: 'put', tree, key: new Uint8Array(5000), value: bytes('1') }])).to.throw(SqlError).with.property('code', '54000');
    expect(engine.appliedSeq).to.equal(1);
    const view = engine.appliedView();
    expect(view.get(tree, bytes('a'))).to.equal(undefined);
    view.release();
    expectConsistent(engine);
    await engine.close();
  });

  it('group-commits concurrent committers into few fsyncs', async () => {
    const engine = await openEngine({ dir: '/db', vfs: new MemoryVfs(), pageSizeBytes: 4096 });
    const tree = engine.allocateTreeId();
    await engine.commit([{ kind: 'createTree', tree }]).durable;
    const before = engine.stats().walFsyncs;
    await Promise.all(Array.from({ length: 50 }, (_, i) => engine.commit([{ kind: 'put', tree, key: intKey(i), value: bytes('v') }]).durable));
    expect(engine.stats().walFsyncs - before).to.be.lessThan(5);
    expect(engine.durableSeq).to.equal(51);
    await engine.close();
  });

  it('retains commits as named snapshots across restarts and releases them', async () => {
    const vfs = new MemoryVfs();
    let engine = await openEngine({ dir: '/db', vfs, pageSizeBytes: 4096 });
    const tree = engine.allocateTreeId();
    await engine.commit([{ kind: 'createTree', tree }, ...Array.from({ length: 500 }, (_, i) => ({ kind: 'put' as const, tree, key: intKey(i), value: bytes('old') }))]).durable;
    const snap = engine.commit([{ kind: 'retain' }]);
    await snap.durable;
    await engine.commit(Array.from({ length: 500 }, (_, i) => ({ kind: 'put' as const, tree, key: intKey(i), value: bytes('new') }))).durable;
    expectConsistent(engine);
    expect(engine.retainedSeqs()).to.deep.equal([snap.commitSeq]);
    await engine.checkpoint();
    engine.commit([{ kind: 'delete', tree, key: intKey(7) }]);
    vfs.powerLoss();
    engine = await openEngine({ dir: '/db', vfs });
    expect(engine.retainedSeqs()).to.deep.equal([snap.commitSeq]);
    const old = engine.viewAt(snap.commitSeq);
    expect(text(old.get(tree, intKey(7)))).to.equal('old');
    old.release();
    expect(() => engine.viewAt(snap.commitSeq + 1)).to.throw(SqlError).with.property('code', '72000');
    const clone = engine.allocateTreeId();
    await engine.commit([{ kind: 'cloneTree', tree: clone, source: tree, sourceSeq: snap.commitSeq }]).durable;
    await engine.commit([{ kind: 'unretain', seq: snap.commitSeq }, { kind: 'put', tree: clone, key: intKey(1), value: bytes('clone') }]).durable;
    expect(engine.retainedSeqs()).to.deep.equal([]);
    expectConsistent(engine);
    const view = engine.view();
    expect(text(view.get(clone, intKey(1)))).to.equal('clone');
    expect(text(view.get(clone, intKey(2)))).to.equal('old');
    expect(text(view.get(tree, intKey(2)))).to.equal('new');
    view.release();
    await engine.commit([{ kind: 'dropTree', tree: clone }]).durable;
    await engine.checkpoint();
    await engine.commit([]).durable;
    expectConsistent(engine);
    await engine.close();
  });

  it('stores values larger than a page in overflow chains and frees them again', async () => {
    const vfs = new MemoryVfs();
    let engine = await openEngine({ dir: '/db', vfs, pageSizeBytes: 4096, checkpointIntervalMs: 0 });
    const tree = engine.allocateTreeId();
    const big = (i: number) => Buffer.alloc(3000 + i * 1500, i);
    await engine.commit([{ kind: 'createTree', tree }, ...Array.from({ length: 20 }, (_, i) => ({ kind: 'put' as const, tree, key: intKey(i), value: big(i) }))]).durable;
    expectConsistent(engine);
    const pagesWhenFull = engine.stats().pageCount;
    await engine.close();
    engine = await openEngine({ dir: '/db', vfs, checkpointIntervalMs: 0 });
    let view = engine.view();
    for (let i = 0; i < 20; i++) expect(Buffer.compare(Buffer.from(view.get(tree, intKey(i))!), big(i))).to.equal(0);
    const cursor = view.cursor(tree, { lower: intKey(3) }, true);
    expect(cursor.next()).to.equal(true);
    expect(Buffer.from(cursor.value).equals(big(19))).to.equal(true);
    view.release();
    await engine.commit([{ kind: 'put', tree, key: intKey(0), value: bytes('small now') }]).durable;
    await engine.commit(Array.from({ length: 19 }, (_, i) => ({ kind: 'delete' as const, tree, key: intKey(i + 1) }))).durable;
    expectConsistent(engine);
    await engine.compact();
    await engine.commit([]).durable;
    expectConsistent(engine);
    // Emptied, the file shrinks back.
    expect(engine.stats().pageCount).to.be.lessThan(pagesWhenFull / 4);
    view = engine.view();
    expect(text(view.get(tree, intKey(0)))).to.equal('small now');
    view.release();
    await engine.close();
  });

  it('refuses a data directory another live process holds, and takes over a dead one\'s lock', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'cambium.pid'), `${process.ppid}\n`);
      let error: unknown;
      await openEngine({ dir: dir.path }).catch((caught) => (error = caught));
      expect(error).to.be.instanceOf(SqlError);
      expect((error as SqlError).code).to.equal('55006');
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      writeFileSync(join(dir.path, 'cambium.pid'), `${dead}\n`);
      const engine = await openEngine({ dir: dir.path });
      expect(readFileSync(join(dir.path, 'cambium.pid'), 'utf8').trim()).to.equal(String(process.pid));
      await engine.close();
      expect(existsSync(join(dir.path, 'cambium.pid'))).to.equal(false);
    } finally {
      dir.remove();
    }
  });

  it('with synchronousCommit off, acknowledges at once and loses at most whole recent commits', async () => {
    const vfs = new MemoryVfs();
    const engine = await openEngine({ dir: '/db', vfs, pageSizeBytes: 4096, synchronousCommit: false });
    const tree = engine.allocateTreeId();
    await engine.commit([{ kind: 'createTree', tree }]).durable;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const receipts = Array.from({ length: 20 }, (_, i) => engine.commit([{ kind: 'put', tree, key: intKey(i), value: bytes('a') }, { kind: 'put', tree, key: intKey(1000 + i), value: bytes('b') }]));
    await Promise.all(receipts.map((receipt) => receipt.durable));
    expect(engine.durableSeq).to.equal(21);
    const view = engine.view();
    expect(view.count(tree)).to.equal(40);
    view.release();
    vfs.powerLoss();
    const reopened = await openEngine({ dir: '/db', vfs });
    const after = reopened.view();
    expect(after.hasTree(tree)).to.equal(true);
    for (let i = 0; i < 20; i++) expect(after.get(tree, intKey(i)) === undefined).to.equal(after.get(tree, intKey(1000 + i)) === undefined);
    after.release();
    await reopened.close();
  });

  it('works on real files with the Node VFS', async () => {
    const dir = tempDir();
    try {
      let engine = await openEngine({ dir: dir.path });
      const tree = engine.allocateTreeId();
      await engine.commit([{ kind: 'createTree', tree }, { kind: 'put', tree, key: bytes('k'), value: bytes('v') }]).durable;
      await engine.close();
      engine = await openEngine({ dir: dir.path });
      const view = engine.view();
      expect(text(view.get(tree, bytes('k')))).to.equal('v');
      view.release();
      await engine.close();
    } finally {
      dir.remove();
    }
  });
});
