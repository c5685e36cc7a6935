// Range cursors in both directions and range counts. A cursor keeps the path of pages it is on;
// pages reachable from a pinned root are immutable, so holding the Buffers is safe. `key` and
// `value` are views into the current leaf, valid until the next `next()`.
import { cellCount, type PageStore } from '../pager/index.js';
import {
  branchChild,
  branchChildIndex,
  branchCount,
  cellKeyLength,
  compareKeyAt,
  isLeaf,
  isOverflowCell,
  leafCellHeaderBytes,
  leafLowerBound,
  leafValueLength,
  nodeEntryCount,
  searchFound,
  slotOffset,
} from './node.js';
import { readOverflow } from './overflow.js';

export interface Bounds {
  lower?: Uint8Array;
  lowerInclusive?: boolean;
  upper?: Uint8Array;
  upperInclusive?: boolean;
}

const empty = new Uint8Array(0);

export class TreeCursor {
  private readonly pages: Buffer[] = [];
  private readonly indexes: number[] = [];
  private leaf: Buffer | undefined;
  private index = 0;
  private started = false;
  private done = false;
  private keyOffset = 0;
  private keyLength = 0;

  constructor(
    private readonly store: PageStore,
    private readonly root: number,
    private readonly bounds: Bounds,
    private readonly reverse: boolean,
  ) {
    if (root === 0) this.done = true;
  }

  get key(): Uint8Array {
    return this.leaf === undefined || this.done ? empty : this.leaf.subarray(this.keyOffset, this.keyOffset + this.keyLength);
  }
  get value(): Uint8Array {
    if (this.leaf === undefined || this.done) return empty;
    const offset = this.keyOffset - leafCellHeaderBytes;
    if (isOverflowCell(this.leaf, offset)) return readOverflow(this.store, this.leaf, offset);
    const start = this.keyOffset + this.keyLength;
    return this.leaf.subarray(start, start + leafValueLength(this.leaf, offset));
  }

  next(): boolean {
    if (this.done) return false;
    if (!this.started) {
      this.started = true;
      if (!this.position()) return this.finish();
    } else if (!this.step()) return this.finish();
    const offset = slotOffset(this.leaf!, this.index);
    this.keyOffset = offset + leafCellHeaderBytes;
    this.keyLength = cellKeyLength(this.leaf!, offset);
    if (!this.withinFarBound()) return this.finish();
    return true;
  }
  close(): void {
    this.finish();
  }
  private finish(): false {
    this.done = true;
    this.leaf = undefined;
    this.pages.length = 0;
    this.indexes.length = 0;
    return false;
  }

  /** Descends to the first entry of the range; false when there is none. */
  private position(): boolean {
    const { lower, upper } = this.bounds;
    const near = this.reverse ? upper : lower;
    let page = this.store.read(this.root);
    while (!isLeaf(page)) {
      const index = near === undefined ? (this.reverse ? cellCount(page) - 1 : 0) : branchChildIndex(page, near);
      this.pages.push(page);
      this.indexes.push(index);
      page = this.store.read(branchChild(page, slotOffset(page, index)));
    }
    this.leaf = page;
    const count = cellCount(page);
    if (!this.reverse) {
      if (lower === undefined) this.index = 0;
      else {
        this.index = leafLowerBound(page, lower);
        if (searchFound && this.bounds.lowerInclusive === false) this.index++;
      }
      if (this.index >= count) return this.nextLeaf();
      return true;
    }
    if (upper === undefined) this.index = count - 1;
    else {
      const bound = leafLowerBound(page, upper);
      this.index = searchFound && this.bounds.upperInclusive === true ? bound : bound - 1;
    }
    if (this.index < 0) return this.previousLeaf();
    return true;
  }
  private step(): boolean {
    if (!this.reverse) {
      if (++this.index < cellCount(this.leaf!)) return true;
      return this.nextLeaf();
    }
    if (--this.index >= 0) return true;
    return this.previousLeaf();
  }
  private nextLeaf(): boolean {
    let depth = this.pages.length - 1;
    while (depth >= 0 && this.indexes[depth]! + 1 >= cellCount(this.pages[depth]!)) depth--;
    if (depth < 0) return false;
    this.indexes[depth]!++;
    let page = this.store.read(branchChild(this.pages[depth]!, slotOffset(this.pages[depth]!, this.indexes[depth]!)));
    for (let level = depth + 1; level < this.pages.length; level++) {
      this.pages[level] = page;
      this.indexes[level] = 0;
      page = this.store.read(branchChild(page, slotOffset(page, 0)));
    }
    this.leaf = page;
    this.index = 0;
    return cellCount(page) > 0;
  }
  private previousLeaf(): boolean {
    let depth = this.pages.length - 1;
    while (depth >= 0 && this.indexes[depth]! === 0) depth--;
    if (depth < 0) return false;
    this.indexes[depth]!--;
    let page = this.store.read(branchChild(this.pages[depth]!, slotOffset(this.pages[depth]!, this.indexes[depth]!)));
    for (let level = depth + 1; level < this.pages.length; level++) {
      const last = cellCount(page) - 1;
      this.pages[level] = page;
      this.indexes[level] = last;
      page = this.store.read(branchChild(page, slotOffset(page, last)));
    }
    this.leaf = page;
    this.index = cellCount(page) - 1;
    return this.index >= 0;
  }
  private withinFarBound(): boolean {
    const leaf = this.leaf!;
    if (!this.reverse) {
      const upper = this.bounds.upper;
      if (upper === undefined) return true;
      const order = compareKeyAt(upper, leaf, this.keyOffset, this.keyLength);
      return order > 0 || (order === 0 && this.bounds.upperInclusive === true);
    }
    const lower = this.bounds.lower;
    if (lower === undefined) return true;
    const order = compareKeyAt(lower, leaf, this.keyOffset, this.keyLength);
    return order < 0 || (order === 0 && this.bounds.lowerInclusive !== false);
  }
}

/** Number of keys below `key` (or at most `key` when `inclusive`). */
function rank(store: PageStore, root: number, key: Uint8Array, inclusive: boolean): number {
  let page = store.read(root);
  let before = 0;
  while (!isLeaf(page)) {
    const index = branchChildIndex(page, key);
    for (let i = 0; i < index; i++) before += branchCount(page, slotOffset(page, i));
    page = store.read(branchChild(page, slotOffset(page, index)));
  }
  const index = leafLowerBound(page, key);
  return before + (searchFound && inclusive ? index + 1 : index);
}

export function treeCount(store: PageStore, root: number, bounds: Bounds = {}): number {
  if (root === 0) return 0;
  const upperRank = bounds.upper === undefined ? nodeEntryCount(store.read(root)) : rank(store, root, bounds.upper, bounds.upperInclusive === true);
  const lowerRank = bounds.lower === undefined ? 0 : rank(store, root, bounds.lower, bounds.lowerInclusive === false);
  return Math.max(0, upperRank - lowerRank);
}
