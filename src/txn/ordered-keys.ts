// An ordered set of keys (latin1 strings) with O(log n) insert and delete: sorted chunks of
// bounded size, split when full. Cursors survive concurrent inserts and deletes: a cursor
// remembers its last key and, when the set changed under it, re-seeks past that key.
import { assert } from '../util/assert.js';
import type { KeyString } from './keys.js';

const chunkKeysMax = 512;

export class OrderedKeys {
  private chunks: KeyString[][] = [];
  /** Bumped whenever positions may shift, so cursors know to re-seek. */
  version = 0;
  size = 0;

  insert(key: KeyString): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.size = 1;
      this.version++;
      return;
    }
    const chunkIndex = this.chunkFor(key);
    const chunk = this.chunks[chunkIndex]!;
    const offset = lowerBound(chunk, key);
    if (chunk[offset] === key) return;
    chunk.splice(offset, 0, key);
    this.size++;
    this.version++;
    if (chunk.length > chunkKeysMax) this.chunks.splice(chunkIndex + 1, 0, chunk.splice(chunk.length >>> 1));
  }

  delete(key: KeyString): void {
    if (this.chunks.length === 0) return;
    const chunkIndex = this.chunkFor(key);
    const chunk = this.chunks[chunkIndex]!;
    const offset = lowerBound(chunk, key);
    if (chunk[offset] !== key) return;
    chunk.splice(offset, 1);
    this.size--;
    this.version++;
    if (chunk.length === 0) this.chunks.splice(chunkIndex, 1);
  }

  /** The smallest key > `after` (≥ when `inclusive`), or the first key when `after` is undefined. */
  successor(after: KeyString | undefined, inclusive: boolean): KeyString | undefined {
    if (this.chunks.length === 0) return undefined;
    if (after === undefined) return this.chunks[0]![0];
    let chunkIndex = this.chunkFor(after);
    for (; chunkIndex < this.chunks.length; chunkIndex++) {
      const chunk = this.chunks[chunkIndex]!;
      const offset = inclusive ? lowerBound(chunk, after) : upperBound(chunk, after);
      if (offset < chunk.length) return chunk[offset];
    }
    return undefined;
  }

  /** The largest key < `before` (≤ when `inclusive`), or the last key when `before` is undefined. */
  predecessor(before: KeyString | undefined, inclusive: boolean): KeyString | undefined {
    if (this.chunks.length === 0) return undefined;
    if (before === undefined) {
      const last = this.chunks[this.chunks.length - 1]!;
      return last[last.length - 1];
    }
    for (let chunkIndex = this.chunkFor(before); chunkIndex >= 0; chunkIndex--) {
      const chunk = this.chunks[chunkIndex]!;
      const offset = (inclusive ? upperBound(chunk, before) : lowerBound(chunk, before)) - 1;
      if (offset >= 0) return chunk[offset];
    }
    return undefined;
  }

  *[Symbol.iterator](): Generator<KeyString> {
    for (const chunk of this.chunks) yield* chunk;
  }

  /** The chunk that holds `key` or where it would go: the last one whose first key ≤ key. */
  private chunkFor(key: KeyString): number {
    let low = 0;
    let high = this.chunks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.chunks[middle]![0]! <= key) low = middle + 1;
      else high = middle;
    }
    const index = Math.max(0, low - 1);
    assert(index < this.chunks.length, 'chunk index in range');
    return index;
  }
}

function lowerBound(keys: KeyString[], key: KeyString): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

function upperBound(keys: KeyString[], key: KeyString): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle]! <= key) low = middle + 1;
    else high = middle;
  }
  return low;
}
