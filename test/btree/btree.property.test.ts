// The COW B+tree against a sorted-map model: random puts and deletes (down to empty), reads,
// cursors in both directions and counts, and reads through old roots after later writes.
import { expect } from 'chai';
import fc from 'fast-check';
import { Pager } from '../../src/pager/index.js';
import { MemoryVfs } from '../../src/vfs/index.js';
import { TreeCursor, checkTree, treeBulkLoad, treeContext, treeCount, treeDelete, treeGet, treePut } from '../../src/btree/index.js';

type Model = Map<string, string>;
const hex = (key: Uint8Array) => Buffer.from(key).toString('hex');
const sortedKeys = (model: Model) => [...model.keys()].sort();

function scan(pager: Pager, root: number, lower: string | undefined, upper: string | undefined, lowerInclusive: boolean, upperInclusive: boolean, reverse: boolean): string[] {
  const cursor = new TreeCursor(pager, root, { lower: lower === undefined ? undefined : Buffer.from(lower, 'hex'), upper: upper === undefined ? undefined : Buffer.from(upper, 'hex'), lowerInclusive, upperInclusive }, reverse);
  const keys: string[] = [];
  while (cursor.next()) keys.push(hex(cursor.key));
  return keys;
}
function expected(model: Model, lower: string | undefined, upper: string | undefined, lowerInclusive: boolean, upperInclusive: boolean, reverse: boolean): string[] {
  const keys = sortedKeys(model).filter((key) => {
    if (lower !== undefined && (key < lower || (key === lower && !lowerInclusive))) return false;
    if (upper !== undefined && (key > upper || (key === upper && !upperInclusive))) return false;
    return true;
  });
  return reverse ? keys.reverse() : keys;
}

const keyArbitrary = fc.oneof(fc.uint8Array({ minLength: 0, maxLength: 3, max: 6 }), fc.uint8Array({ minLength: 1, maxLength: 40 }));
const valueArbitrary = fc.oneof({ weight: 4, arbitrary: fc.uint8Array({ maxLength: 8 }) }, { weight: 4, arbitrary: fc.uint8Array({ maxLength: 600 }) }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 900, maxLength: 9000 }) });
const operation = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('put' as const), key: keyArbitrary, value: valueArbitrary }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: keyArbitrary }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteAll' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('commit' as const) }) },
);

describe('btree (property: against a sorted map)', () => {
  it('matches the model through current and old roots', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 300 }), fc.array(fc.tuple(fc.option(keyArbitrary), fc.option(keyArbitrary), fc.boolean(), fc.boolean(), fc.boolean()), { minLength: 3, maxLength: 3 }), (operations, ranges) => {
        const vfs = new MemoryVfs();
        const pager = new Pager(vfs.open('/data', true), 4096, 64 * 4096, 2);
        const context = treeContext(pager);
        const model: Model = new Map();
        let seq = 1;
        let root = 0;
        const history: { root: number; model: Model }[] = [];
        pager.beginCommit(seq);
        for (const op of operations) {
          if (op.kind === 'commit') {
            pager.endCommit();
            history.push({ root, model: new Map(model) });
            pager.beginCommit(++seq);
          } else if (op.kind === 'put') {
            root = treePut(context, root, op.key, op.value);
            model.set(hex(op.key), hex(op.value));
          } else if (op.kind === 'delete') {
            const next = treeDelete(context, root, op.key);
            expect(next !== undefined).to.equal(model.has(hex(op.key)));
            if (next !== undefined) root = next;
            model.delete(hex(op.key));
          } else {
            for (const key of sortedKeys(model)) root = treeDelete(context, root, Buffer.from(key, 'hex'))!;
            model.clear();
            expect(root).to.equal(0);
          }
        }
        pager.endCommit();
        history.push({ root, model: new Map(model) });
        for (const state of history) {
          const check = checkTree(pager, state.root);
          expect(check.problems).to.deep.equal([]);
          expect(check.entries).to.equal(state.model.size);
          for (const [key, value] of state.model) expect(hex(treeGet(pager, state.root, Buffer.from(key, 'hex'))!)).to.equal(value);
          expect(scan(pager, state.root, undefined, undefined, true, false, false)).to.deep.equal(sortedKeys(state.model));
          expect(scan(pager, state.root, undefined, undefined, true, false, true)).to.deep.equal(sortedKeys(state.model).reverse());
          for (const [lowerKey, upperKey, lowerInclusive, upperInclusive, reverse] of ranges) {
            const lower = lowerKey === null ? undefined : hex(lowerKey);
            const upper = upperKey === null ? undefined : hex(upperKey);
            const want = expected(state.model, lower, upper, lowerInclusive, upperInclusive, reverse);
            expect(scan(pager, state.root, lower, upper, lowerInclusive, upperInclusive, reverse)).to.deep.equal(want);
            const bounds = { lower: lower === undefined ? undefined : Buffer.from(lower, 'hex'), upper: upper === undefined ? undefined : Buffer.from(upper, 'hex'), lowerInclusive, upperInclusive };
            expect(state.root === 0 ? 0 : treeCount(pager, state.root, bounds)).to.equal(want.length);
          }
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 150) },
    );
  });

  it('grows to many levels and shrinks back to empty with sequential and random keys', () => {
    const vfs = new MemoryVfs();
    const pager = new Pager(vfs.open('/data', true), 4096, 32 * 4096, 2);
    const context = treeContext(pager);
    let root = 0;
    pager.beginCommit(1);
    const keys = Array.from({ length: 20000 }, (_, i) => Buffer.from(i.toString().padStart(8, '0')));
    for (const key of keys) root = treePut(context, root, key, key);
    let check = checkTree(pager, root);
    expect(check.problems).to.deep.equal([]);
    expect(check.entries).to.equal(20000);
    // Sequential inserts fill pages nearly full.
    expect(check.pages.length).to.be.lessThan(20000 * 22 / (4096 - 32) * 1.2);
    pager.endCommit();
    pager.beginCommit(2);
    const order = keys.map((key, i) => ({ key, rank: (i * 7919) % 20000 })).sort((a, b) => a.rank - b.rank);
    order.forEach(({ key }, i) => {
      root = treeDelete(context, root, key)!;
      if (i % 5000 === 0) expect(checkTree(pager, root).problems).to.deep.equal([]);
    });
    expect(root).to.equal(0);
    pager.endCommit();
  });

  it('bulk loads sorted input into a valid tree that later puts and deletes keep valid', () => {
    fc.assert(
      fc.property(fc.uniqueArray(keyArbitrary, { selector: hex, maxLength: 800 }), fc.array(operation, { maxLength: 200 }), (keys, operations) => {
        const vfs = new MemoryVfs();
        const pager = new Pager(vfs.open('/data', true), 4096, 64 * 4096, 2);
        const context = treeContext(pager);
        const sorted = [...keys].sort(Buffer.compare);
        const model: Model = new Map();
        pager.beginCommit(1);
        let root = treeBulkLoad(context, sorted.map((key, i) => ({ key, value: Buffer.alloc(i % 3 === 0 ? 1500 : 10, i) })));
        sorted.forEach((key, i) => model.set(hex(key), hex(Buffer.alloc(i % 3 === 0 ? 1500 : 10, i))));
        pager.endCommit();
        expect(checkTree(pager, root).problems).to.deep.equal([]);
        pager.beginCommit(2);
        for (const op of operations) {
          if (op.kind === 'put') {
            root = treePut(context, root, op.key, op.value);
            model.set(hex(op.key), hex(op.value));
          } else if (op.kind === 'delete') {
            root = treeDelete(context, root, op.key) ?? root;
            model.delete(hex(op.key));
          }
        }
        pager.endCommit();
        const check = checkTree(pager, root);
        expect(check.problems).to.deep.equal([]);
        expect(check.entries).to.equal(model.size);
        expect(scan(pager, root, undefined, undefined, true, false, false)).to.deep.equal(sortedKeys(model));
        for (const [key, value] of model) expect(hex(treeGet(pager, root, Buffer.from(key, 'hex'))!)).to.equal(value);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 60) },
    );
  });
});
