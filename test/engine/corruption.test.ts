// Corruption is detected and reported, never a crash or a wrong answer: a flipped byte in a page
// (SqlError XX001 naming the page), in a WAL record or a truncated WAL (replay stops at the last
// whole commit and says why), a lost or corrupt meta page (open falls back to the other one).
import { expect } from 'chai';
import { openEngine, type CambiumEngine } from '../../src/engine/index.js';
import { MemoryVfs } from '../../src/vfs/index.js';
import { SqlError } from '../../src/util/errors.js';
import { expectConsistent, intKey } from './helpers.js';

const options = { dir: '/db', pageSizeBytes: 4096, cacheBytes: 16 * 4096, checkpointIntervalMs: 0, checkpointWalBytes: 0 };
const tree = 1;

async function build(vfs: MemoryVfs, rows = 2000): Promise<CambiumEngine> {
  const engine = await openEngine({ ...options, vfs });
  await engine.commit([{ kind: 'createTree', tree }, ...Array.from({ length: rows }, (_, i) => ({ kind: 'put' as const, tree, key: intKey(i), value: Buffer.alloc(20, i & 0xff) }))]).durable;
  await engine.checkpoint();
  return engine;
}
/** Ten durable commits after the checkpoint, each writing marker key m<i>; then the power fails. */
async function tenCommitsThenCrash(engine: CambiumEngine, vfs: MemoryVfs): Promise<void> {
  for (let i = 0; i < 10; i++) await engine.commit([{ kind: 'put', tree, key: Buffer.from(`m${i}`), value: Buffer.alloc(100, i) }]).durable;
  vfs.powerLoss();
}
function markers(engine: CambiumEngine): number[] {
  const view = engine.view();
  const found = Array.from({ length: 10 }, (_, i) => i).filter((i) => view.get(tree, Buffer.from(`m${i}`)) !== undefined);
  view.release();
  return found;
}
function walFile(vfs: MemoryVfs): string {
  const names = vfs.list('/db/wal').sort();
  return `/db/wal/${names.at(-1)}`;
}

describe('engine (corruption is detected and reported)', () => {
  it('reports a flipped byte in a page as XX001 naming the page', async () => {
    const vfs = new MemoryVfs();
    const engine = await build(vfs);
    const view = engine.view();
    const root = view.rootPageId(tree);
    view.release();
    await engine.close();
    vfs.bytes('/db/data.cambium')[root * 4096 + 2000] ^= 0x40;
    let error: unknown;
    try {
      const reopened = await openEngine({ ...options, vfs });
      const reader = reopened.view();
      reader.get(tree, intKey(5));
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(SqlError);
    expect((error as SqlError).code).to.equal('XX001');
    expect((error as SqlError).message).to.contain(`block ${root}`);
  });

  it('stops replay at a flipped WAL byte and reports it', async () => {
    const vfs = new MemoryVfs();
    const engine = await build(vfs);
    await tenCommitsThenCrash(engine, vfs);
    const wal = vfs.bytes(walFile(vfs));
    // Each marker commit is one put record (16 + 11 + 2 + 100) and one commit record (16 + 9).
    const commitBytes = 16 + 11 + 2 + 100 + 16 + 9;
    wal[wal.length - 4 * commitBytes + 40] ^= 0x01;
    const reopened = await openEngine({ ...options, vfs });
    expect(reopened.recovery?.walStoppedBecause).to.contain('checksum');
    expect(markers(reopened)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expectConsistent(reopened);
    await reopened.close();
  });

  it('recovers to the last whole commit of a truncated WAL', async () => {
    const vfs = new MemoryVfs();
    const engine = await build(vfs);
    await tenCommitsThenCrash(engine, vfs);
    const path = walFile(vfs);
    const file = vfs.open(path, false);
    file.truncateSync(file.size() - 200);
    const reopened = await openEngine({ ...options, vfs });
    expect(reopened.recovery?.walStoppedBecause).to.contain('truncated');
    expect(markers(reopened)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    // Appends continue cleanly after the cut.
    await reopened.commit([{ kind: 'put', tree, key: Buffer.from('after'), value: Buffer.from('x') }]).durable;
    vfs.powerLoss();
    const again = await openEngine({ ...options, vfs });
    expect(again.recovery?.walStoppedBecause).to.equal(undefined);
    const view = again.view();
    expect(view.get(tree, Buffer.from('after'))).to.not.equal(undefined);
    view.release();
    expectConsistent(again);
  });

  it('opens from the other meta page when the newest one was lost or corrupted', async () => {
    const vfs = new MemoryVfs();
    const engine = await build(vfs);
    await engine.commit([{ kind: 'put', tree, key: Buffer.from('between'), value: Buffer.from('x') }]).durable;
    await engine.checkpoint();
    const generation = (engine as unknown as { meta: { generation: number } }).meta.generation;
    await tenCommitsThenCrash(engine, vfs);
    const data = vfs.bytes('/db/data.cambium');
    data.fill(0xee, (generation % 2) * 4096 + 100, (generation % 2) * 4096 + 140);
    const reopened = await openEngine({ ...options, vfs });
    expect(reopened.recovery?.metaFallback).to.equal(true);
    expect(reopened.recovery?.checkpointGeneration).to.equal(generation - 1);
    expect(markers(reopened)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const view = reopened.view();
    expect(view.get(tree, Buffer.from('between'))).to.not.equal(undefined);
    expect(view.count(tree)).to.equal(2000 + 1 + 10);
    view.release();
    expectConsistent(reopened);
    await reopened.close();
  });

  it('refuses to open when both meta pages are corrupt', async () => {
    const vfs = new MemoryVfs();
    const engine = await build(vfs, 10);
    await engine.close();
    const data = vfs.bytes('/db/data.cambium');
    data[40] ^= 1;
    data[4096 + 40] ^= 1;
    let error: unknown;
    await openEngine({ ...options, vfs }).catch((caught) => (error = caught));
    expect(error).to.be.instanceOf(SqlError);
    expect((error as SqlError).code).to.equal('XX001');
  });
});
