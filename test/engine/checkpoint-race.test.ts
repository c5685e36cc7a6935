// Checkpoints run while commits keep going through a tiny cache (so pages are evicted, freed and
// reused mid-checkpoint); after a power cut the recovered state must equal the last durable one.
import { expect } from 'chai';
import { openEngine, type CambiumEngine } from '../../src/engine/index.js';
import { MemoryVfs } from '../../src/vfs/index.js';

async function contents(engine: CambiumEngine): Promise<Map<string, string>> {
  const view = engine.view();
  const entries = new Map<string, string>();
  const cursor = view.cursor(1);
  while (cursor.next()) entries.set(Buffer.from(cursor.key).toString('hex'), Buffer.from(cursor.value).toString('hex'));
  view.release();
  return entries;
}

describe('engine (checkpoints concurrent with commits, tiny cache)', function () {
  this.timeout(60_000);
  it('recovers exactly the durable state after checkpoints raced commits', async () => {
    for (let trial = 0; trial < 6; trial++) {
      const vfs = new MemoryVfs();
      const options = { dir: '/db', vfs, pageSizeBytes: 4096, cacheBytes: 40 * 4096, checkpointIntervalMs: 0, checkpointWalBytes: 0 };
      const engine = await openEngine(options);
      await engine.commit([{ kind: 'createTree', tree: 1 }]).durable;
      const model = new Map<string, string>();
      let seed = 1000 + trial;
      const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      const checkpoints: Promise<void>[] = [];
      for (let round = 0; round < 60; round++) {
        const ops = [];
        for (let i = 0; i < 30; i++) {
          const key = Buffer.from(Math.floor(random() * 600).toString().padStart(5, '0'));
          if (random() < 0.3) {
            ops.push({ kind: 'delete' as const, tree: 1, key });
            model.delete(key.toString('hex'));
          } else {
            const value = Buffer.alloc(20 + Math.floor(random() * 200), round);
            ops.push({ kind: 'put' as const, tree: 1, key, value });
            model.set(key.toString('hex'), value.toString('hex'));
          }
        }
        const receipt = engine.commit(ops);
        if (round % 5 === 0) checkpoints.push(engine.checkpoint());
        await receipt.durable;
      }
      await Promise.all(checkpoints);
      expect(engine.check()).to.deep.equal([]);
      vfs.powerLoss();
      const reopened = await openEngine(options);
      expect(await contents(reopened)).to.deep.equal(model);
      expect(reopened.check()).to.deep.equal([]);
      await reopened.close();
    }
  });
});
