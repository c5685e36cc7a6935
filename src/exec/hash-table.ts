// Hash table over rows of SQL values using each type's hash() and compare(), so values equal in
// SQL (1.0 and 1.00 numerics, say) meet in one entry. NULLs are equal to each other here
// (GROUP BY / DISTINCT semantics); joins skip NULL keys before probing.
import type { PgType, Value } from '../types/index.js';
import { limits } from '../util/limits.js';
import { SqlError, SqlState } from '../util/errors.js';

export class RowHashTable<T> {
  private readonly buckets = new Map<number, Array<{ key: Value[]; payload: T }>>();
  size = 0;

  constructor(private readonly types: readonly PgType[]) {}

  private hashOf(key: readonly Value[]): number {
    let hash = 17;
    for (let i = 0; i < key.length; i++) {
      const value = key[i];
      const h = value === null || value === undefined ? 0x9e3779b9 : this.types[i]!.hash(value);
      hash = (Math.imul(hash, 31) + h) | 0;
    }
    return hash;
  }

  private equal(a: readonly Value[], b: readonly Value[]): boolean {
    for (let i = 0; i < a.length; i++) {
      const x = a[i] ?? null;
      const y = b[i] ?? null;
      if (x === null || y === null) {
        if (x !== y) return false;
        continue;
      }
      if (this.types[i]!.compare(x, y) !== 0) return false;
    }
    return true;
  }

  get(key: readonly Value[]): T | undefined {
    const bucket = this.buckets.get(this.hashOf(key));
    if (!bucket) return undefined;
    for (const entry of bucket) if (this.equal(entry.key, key)) return entry.payload;
    return undefined;
  }

  /** Returns the existing payload, or stores and returns `create()`. */
  getOrAdd(key: Value[], create: () => T): { payload: T; added: boolean } {
    const hash = this.hashOf(key);
    let bucket = this.buckets.get(hash);
    if (!bucket) {
      bucket = [];
      this.buckets.set(hash, bucket);
    }
    for (const entry of bucket) if (this.equal(entry.key, key)) return { payload: entry.payload, added: false };
    const payload = create();
    bucket.push({ key, payload });
    if (++this.size > limits.inMemoryRowsMax) throw new SqlError(SqlState.outOfMemory, 'hash table exceeds the in-memory row limit');
    return { payload, added: true };
  }

  *entries(): IterableIterator<{ key: Value[]; payload: T }> {
    for (const bucket of this.buckets.values()) yield* bucket;
  }
}
