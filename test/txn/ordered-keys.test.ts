// The write buffer's ordered key set against a sorted-array model, and scans that stay stable
// while the transaction writes under them.
import { expect } from 'chai';
import { OrderedKeys } from '../../src/txn/ordered-keys.js';

describe('txn: ordered keys', () => {
  it('matches a sorted array under random inserts and deletes (successor/predecessor, both inclusivities)', () => {
    let state = 99;
    const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
    const keys = new OrderedKeys();
    const model = new Set<string>();
    const key = () => String.fromCharCode(97 + Math.floor(next() * 26)) + String(Math.floor(next() * 200));
    for (let step = 0; step < 20_000; step++) {
      const k = key();
      if (next() < 0.7) {
        keys.insert(k);
        model.add(k);
      } else {
        keys.delete(k);
        model.delete(k);
      }
      if (step % 97 === 0) {
        const sorted = [...model].sort();
        expect([...keys]).to.deep.equal(sorted);
        expect(keys.size).to.equal(sorted.length);
        const probe = key();
        for (const inclusive of [true, false]) {
          expect(keys.successor(probe, inclusive)).to.equal(sorted.find((candidate) => (inclusive ? candidate >= probe : candidate > probe)));
          expect(keys.predecessor(probe, inclusive)).to.equal([...sorted].reverse().find((candidate) => (inclusive ? candidate <= probe : candidate < probe)));
        }
        expect(keys.successor(undefined, true)).to.equal(sorted[0]);
        expect(keys.predecessor(undefined, true)).to.equal(sorted[sorted.length - 1]);
      }
    }
  });
});
