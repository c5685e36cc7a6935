// Power loss at every write and fsync point of a small workload, in turn (SQLite's crash-test
// idea): after each, recovery must hold every acknowledged commit and no partial one. Three
// fates for unsynced data: all dropped, a random subset kept or torn, and a plain EIO failure.
import { expect } from 'chai';
import { openEngine, type CambiumEngine, type TreeOp } from '../../src/engine/index.js';
import { FaultVfs, MemoryVfs, type FaultPlan } from '../../src/vfs/index.js';
import { expectConsistent } from './helpers.js';

type State = Map<string, string>;

function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

/** The workload's commits, and the model state after each prefix of them. */
function workload(): { batches: TreeOp[][][]; states: State[] } {
  const next = random(42);
  const state: State = new Map();
  const states: State[] = [new Map()];
  const batches: TreeOp[][][] = [];
  for (let round = 0; round < 4; round++) {
    const batch: TreeOp[][] = [];
    for (let c = 0; c < 3; c++) {
      const ops: TreeOp[] = [];
      for (let i = 0; i < 25; i++) {
        const tree = 1 + Math.floor(next() * 2);
        const key = Buffer.from(Math.floor(next() * 300).toString().padStart(4, '0'));
        if (next() < 0.25) {
          ops.push({ kind: 'delete', tree, key });
          state.delete(`${tree}:${key}`);
        } else {
          const value = Buffer.alloc(Math.floor(next() * 200), round * 3 + c);
          ops.push({ kind: 'put', tree, key, value });
          state.set(`${tree}:${key}`, value.toString('hex'));
        }
      }
      batch.push(ops);
      states.push(new Map(state));
    }
    batches.push(batch);
  }
  return { batches, states };
}

async function readState(engine: CambiumEngine): Promise<State> {
  const view = engine.view();
  const state: State = new Map();
  for (const tree of [1, 2]) {
    if (!view.hasTree(tree)) continue;
    const cursor = view.cursor(tree);
    while (cursor.next()) state.set(`${tree}:${Buffer.from(cursor.key).toString()}`, Buffer.from(cursor.value).toString('hex'));
  }
  view.release();
  return state;
}

const options = { dir: '/db', pageSizeBytes: 4096, cacheBytes: 16 * 4096, checkpointIntervalMs: 0, checkpointWalBytes: 0 };

/** Runs the workload until the fault; returns how many commits were acknowledged and attempted. */
async function runUntilFault(vfs: FaultVfs, plan: FaultPlan | undefined, batches: TreeOp[][][]): Promise<{ acknowledged: number; attempted: number; completed: boolean }> {
  let acknowledged = 0;
  let attempted = 1;
  vfs.arm(plan);
  try {
    const engine = await openEngine({ ...options, vfs });
    await engine.commit([{ kind: 'createTree', tree: 1 }, { kind: 'createTree', tree: 2 }]).durable;
    acknowledged = 1;
    for (let round = 0; round < batches.length; round++) {
      const receipts = batches[round]!.map((ops) => {
        attempted++;
        return engine.commit(ops);
      });
      const results = await Promise.allSettled(receipts.map((receipt) => receipt.durable));
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      acknowledged = attempted;
      if (round === 1 || round === 3) await engine.checkpoint();
    }
    await engine.close();
    return { acknowledged, attempted, completed: true };
  } catch {
    return { acknowledged, attempted, completed: false };
  }
}

describe('engine (power loss at every write and fsync point)', function () {
  this.timeout(120_000);
  const { batches, states } = workload();

  for (const fate of ['drop unsynced', 'keep or tear unsynced at random', 'fail with EIO'] as const) {
    it(`recovers every acknowledged commit and nothing partial (${fate})`, async () => {
      const dry = new FaultVfs();
      const baseline = await runUntilFault(dry, undefined, batches);
      expect(baseline.completed).to.equal(true);
      const points = dry.points;
      expect(points).to.be.greaterThan(20);
      let recoveredBeyondAcknowledged = 0;
      for (let point = 1; point <= points; point++) {
        const vfs = new FaultVfs();
        const plan: FaultPlan =
          fate === 'fail with EIO' ? { atPoint: point, action: 'fail' } : { atPoint: point, action: 'powerLoss', random: fate === 'drop unsynced' ? undefined : random(point) };
        const outcome = await runUntilFault(vfs, plan, batches);
        // Let the dead engine's pending callbacks run out before the machine "restarts".
        await new Promise((resolve) => setImmediate(resolve));
        const restarted: MemoryVfs = vfs.survivor();
        const engine = await openEngine({ ...options, vfs: restarted });
        const seq = engine.durableSeq;
        const context = `fault at point ${point}/${points}: acknowledged ${outcome.acknowledged}, attempted ${outcome.attempted}, recovered ${seq}`;
        expect(seq, context).to.be.at.least(outcome.acknowledged);
        expect(seq, context).to.be.at.most(outcome.attempted);
        if (seq > outcome.acknowledged) recoveredBeyondAcknowledged++;
        expect(await readState(engine), context).to.deep.equal(seq === 0 ? new Map() : states[seq - 1]);
        expect(engine.check(), context).to.deep.equal([]);
        if (point % 4 === 0) {
          // The recovered database keeps working.
          await engine.commit([{ kind: 'createTree', tree: 99 }]).durable;
          await engine.checkpoint();
          expectConsistent(engine);
        }
        await engine.close();
      }
    });
  }
});
