// The engine against a model of committed states: random multi-tree commits, views held across
// later commits (and released), retained snapshots, checkpoints and reopen — with the checker
// run after every commit (strict mode), so page reuse never touches a page someone can read.
import { expect } from 'chai';
import fc from 'fast-check';
import { openEngine, type CambiumEngine, type ReadView, type TreeOp } from '../../src/engine/index.js';
import { MemoryVfs } from '../../src/vfs/index.js';
import { expectConsistent } from './helpers.js';

type State = Map<number, Map<string, string>>;
const trees = [1, 2];
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function viewContents(view: ReadView): State {
  const state: State = new Map();
  for (const tree of trees) {
    if (!view.hasTree(tree)) continue;
    const entries = new Map<string, string>();
    const cursor = view.cursor(tree);
    while (cursor.next()) entries.set(hex(cursor.key), hex(cursor.value));
    expect(view.count(tree)).to.equal(entries.size);
    state.set(tree, entries);
  }
  return state;
}
function copyState(state: State): State {
  return new Map([...state].map(([tree, entries]) => [tree, new Map(entries)]));
}

const step = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.record({ tree: fc.constantFrom(...trees), key: fc.integer({ min: 0, max: 400 }), value: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }) }), { minLength: 1, maxLength: 60 }).map((writes) => ({ kind: 'write' as const, writes })) },
  { weight: 1, arbitrary: fc.constantFrom(...trees).map((tree) => ({ kind: 'clear' as const, tree })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'openView' as const }) },
  { weight: 2, arbitrary: fc.nat().map((which) => ({ kind: 'releaseView' as const, which })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'retain' as const }) },
  { weight: 1, arbitrary: fc.nat().map((which) => ({ kind: 'unretain' as const, which })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'checkpoint' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
);

describe('engine (property: views, snapshots, checkpoints, reopen)', () => {
  it('every view and retained commit reads exactly its committed state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const vfs = new MemoryVfs();
        let engine: CambiumEngine = await openEngine({ dir: '/db', vfs, pageSizeBytes: 4096, cacheBytes: 16 * 4096, checkpointIntervalMs: 0 });
        await engine.commit(trees.map((tree) => ({ kind: 'createTree' as const, tree }))).durable;
        let model: State = new Map(trees.map((tree) => [tree, new Map()]));
        const views: { view: ReadView; state: State }[] = [];
        const retained = new Map<number, State>();
        for (const action of steps) {
          if (action.kind === 'write' || action.kind === 'clear' || action.kind === 'retain' || action.kind === 'unretain') {
            const ops: TreeOp[] = [];
            const next = copyState(model);
            let unretained: number | undefined;
            if (action.kind === 'write') {
              for (const write of action.writes) {
                const key = Buffer.from(write.key.toString(16).padStart(4, '0'));
                if (write.value === undefined) {
                  ops.push({ kind: 'delete', tree: write.tree, key });
                  next.get(write.tree)!.delete(hex(key));
                } else {
                  const value = Buffer.alloc(write.value, write.key & 0xff);
                  ops.push({ kind: 'put', tree: write.tree, key, value });
                  next.get(write.tree)!.set(hex(key), hex(value));
                }
              }
            } else if (action.kind === 'clear') {
              ops.push({ kind: 'clearTree', tree: action.tree });
              next.set(action.tree, new Map());
            } else if (action.kind === 'retain') ops.push({ kind: 'retain' });
            else {
              const seqs = [...retained.keys()];
              if (seqs.length === 0) continue;
              unretained = seqs[action.which % seqs.length]!;
              ops.push({ kind: 'unretain', seq: unretained });
            }
            const receipt = engine.commit(ops);
            await receipt.durable;
            model = next;
            if (action.kind === 'retain') retained.set(receipt.commitSeq, copyState(model));
            if (unretained !== undefined) retained.delete(unretained);
          } else if (action.kind === 'openView') {
            views.push({ view: engine.view(), state: copyState(model) });
          } else if (action.kind === 'releaseView') {
            if (views.length === 0) continue;
            views.splice(action.which % views.length, 1)[0]!.view.release();
          } else if (action.kind === 'checkpoint') {
            await engine.checkpoint();
          } else if (action.kind === 'compact') {
            await engine.compact();
          } else {
            for (const { view } of views.splice(0)) view.release();
            await engine.close();
            engine = await openEngine({ dir: '/db', vfs, cacheBytes: 16 * 4096, checkpointIntervalMs: 0 });
          }
          expectConsistent(engine);
          const head = engine.view();
          expect(viewContents(head)).to.deep.equal(model);
          head.release();
          for (const { view, state } of views) expect(viewContents(view)).to.deep.equal(state);
          expect(engine.retainedSeqs()).to.deep.equal([...retained.keys()].sort((a, b) => a - b));
          for (const [seq, state] of retained) {
            const view = engine.viewAt(seq);
            expect(viewContents(view)).to.deep.equal(state);
            view.release();
          }
        }
        for (const { view } of views) view.release();
        await engine.close();
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 40) },
    );
  });
});
