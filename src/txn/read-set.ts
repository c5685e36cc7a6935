// A SERIALIZABLE transaction's read set: point reads (misses included) and the key ranges its
// scans covered, per tree. Past a size limit it is coarsened into fewer, wider ranges — a
// superset of what was read, so validation stays correct and only gains false positives.
import type { TreeId } from '../engine/api.js';
import { compareLower, compareUpper, rangeContains, rangeIsEmpty, rangesTouch, type KeyString, type StringRange } from './keys.js';

class TreeReads {
  points = new Set<KeyString>();
  ranges: StringRange[] = [];
  /** Disjoint, sorted ranges (points folded in), built for validation. */
  private merged: StringRange[] | undefined;

  get size(): number {
    return this.points.size + this.ranges.length;
  }

  changed(): void {
    this.merged = undefined;
  }

  /** Folds everything into sorted, disjoint ranges. */
  mergedRanges(): StringRange[] {
    if (this.merged !== undefined) return this.merged;
    const all: StringRange[] = [...this.ranges];
    for (const point of this.points) all.push({ lower: point, lowerInclusive: true, upper: point, upperInclusive: true });
    all.sort(compareLower);
    const merged: StringRange[] = [];
    for (const range of all) {
      const last = merged[merged.length - 1];
      if (last !== undefined && rangesTouch(last, range)) {
        if (compareUpper(range, last) > 0) merged[merged.length - 1] = { ...last, upper: range.upper, upperInclusive: range.upperInclusive };
      } else {
        merged.push(range);
      }
    }
    this.merged = merged;
    return merged;
  }

  /** Halves the number of entries by merging neighbours into covering ranges. */
  coarsen(): void {
    const merged = this.mergedRanges();
    const coarse: StringRange[] = [];
    for (let index = 0; index < merged.length; index += 2) {
      const first = merged[index]!;
      const second = merged[index + 1];
      coarse.push(second === undefined ? first : { lower: first.lower, lowerInclusive: first.lowerInclusive, upper: second.upper, upperInclusive: second.upperInclusive });
    }
    this.points = new Set();
    this.ranges = coarse;
    this.merged = undefined;
  }

  contains(key: KeyString): boolean {
    if (this.points.has(key)) return true;
    const ranges = this.mergedRanges();
    // The last range whose lower bound is at or below the key is the only candidate.
    let low = 0;
    let high = ranges.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const lower = ranges[middle]!.lower;
      if (lower === undefined || lower <= key) low = middle + 1;
      else high = middle;
    }
    for (let index = low - 1; index >= 0 && index >= low - 2; index--) {
      if (rangeContains(ranges[index]!, key)) return true;
    }
    return false;
  }
}

export class ReadSet {
  private readonly trees = new Map<TreeId, TreeReads>();
  private entryCount = 0;

  constructor(private readonly entriesMax: number) {}

  get size(): number {
    return this.entryCount;
  }

  addPoint(tree: TreeId, key: KeyString): void {
    const reads = this.treeReads(tree);
    if (reads.points.has(key)) return;
    reads.points.add(key);
    reads.changed();
    this.entryCount++;
    this.enforceLimit();
  }

  addRange(tree: TreeId, range: StringRange): void {
    if (rangeIsEmpty(range)) return;
    const reads = this.treeReads(tree);
    reads.ranges.push(range);
    reads.changed();
    this.entryCount++;
    this.enforceLimit();
  }

  /** Whether anything of `tree` was read (a whole-tree write conflicts with any read of it). */
  readsTree(tree: TreeId): boolean {
    return (this.trees.get(tree)?.size ?? 0) > 0;
  }

  contains(tree: TreeId, key: KeyString): boolean {
    return this.trees.get(tree)?.contains(key) ?? false;
  }

  /** For tests and stats: the ranges of one tree after folding. */
  rangesOf(tree: TreeId): StringRange[] {
    return this.trees.get(tree)?.mergedRanges() ?? [];
  }

  private treeReads(tree: TreeId): TreeReads {
    let reads = this.trees.get(tree);
    if (reads === undefined) {
      reads = new TreeReads();
      this.trees.set(tree, reads);
    }
    return reads;
  }

  private enforceLimit(): void {
    if (this.entryCount <= this.entriesMax) return;
    const target = Math.max(1, this.entriesMax >>> 1);
    // Fold duplicates first, then halve the largest tree's entries until under the target.
    for (const reads of this.trees.values()) {
      const merged = reads.mergedRanges();
      reads.points = new Set();
      reads.ranges = [...merged];
      reads.changed();
    }
    this.recount();
    while (this.entryCount > target) {
      let largest: TreeReads | undefined;
      for (const reads of this.trees.values()) if (largest === undefined || reads.size > largest.size) largest = reads;
      if (largest === undefined || largest.size <= 1) break;
      largest.coarsen();
      this.recount();
    }
  }

  private recount(): void {
    let count = 0;
    for (const reads of this.trees.values()) count += reads.size;
    this.entryCount = count;
  }
}
