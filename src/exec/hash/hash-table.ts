// An in-memory hash table over composite keys (arrays of SQL values) with caller-supplied hashing
// and equality (the types' hash() and compare() === 0), plus the partitioning helpers the spilling
// hash join and hash aggregate share.
import type { Value } from '../../types/api.js';

export type Key = readonly Value[];

export interface KeyFunctions {
  /** Hash of a key with no NULL columns. */
  hash(key: Key): number;
  equals(a: Key, b: Key): boolean;
}

export class KeyedTable<Entry> {
  private readonly buckets = new Map<number, Array<{ key: Key; entry: Entry }>>();
  private readonly keys: KeyFunctions;
  size = 0;

  constructor(keys: KeyFunctions) {
    this.keys = keys;
  }

  get(key: Key, hash = this.keys.hash(key)): Entry | undefined {
    const chain = this.buckets.get(hash);
    if (!chain) return undefined;
    for (const slot of chain) if (this.keys.equals(slot.key, key)) return slot.entry;
    return undefined;
  }

  set(key: Key, entry: Entry, hash = this.keys.hash(key)): void {
    let chain = this.buckets.get(hash);
    if (!chain) {
      chain = [];
      this.buckets.set(hash, chain);
    }
    chain.push({ key, entry });
    this.size++;
  }

  *entries(): Generator<[Key, Entry], void, void> {
    for (const chain of this.buckets.values()) for (const slot of chain) yield [slot.key, slot.entry];
  }

  clear(): void {
    this.buckets.clear();
    this.size = 0;
  }
}

/** A key containing NULL never equals anything (SQL equality), so it never enters a join table. */
export function keyHasNull(key: Key): boolean {
  for (const value of key) if (value === null || value === undefined) return true;
  return false;
}

/** Which spill partition a hash goes to at a recursion depth (a different mix per depth). */
export function partitionOf(hash: number, depth: number, partitions: number): number {
  let h = (hash ^ Math.imul(depth + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) % partitions;
}
