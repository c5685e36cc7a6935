// Copy-on-write B+tree mutations. A page born in the commit being applied is changed in place;
// any other page is copied first and the copy replaces it up the path. Mutations return the
// pages that replace the node they were given (none: it vanished; two or more: it split).
import {
  PageType,
  cellCount,
  fragmentedBytes,
  pageBirth,
  pageIdOf,
  pageType,
  setCellAreaStart,
  setCellCount,
  setFragmentedBytes,
  setPageBirth,
  type PageStore,
  cellAreaStart,
  pageHeaderBytes,
} from '../pager/index.js';
import { assert } from '../util/assert.js';
import { CellList, buildPages, compactPage, contiguousFreeBytes, totalFreeBytes, usableBytes, type SplitHint } from './build.js';
import {
  branchCellHeaderBytes,
  branchChild,
  branchChildIndex,
  branchCount,
  branchKeyStart,
  cellBytes,
  cellKeyLength,
  isLeaf,
  keyStart,
  leafCellHeaderBytes,
  leafLowerBound,
  leafValueLength,
  leafValueStart,
  nodeEntryCount,
  searchFound,
  setBranchChild,
  setSlotOffset,
  slotOffset,
  writeBranchCell,
  writeLeafCell,
  writeLeafOverflowCell,
  isOverflowCell,
} from './node.js';
import { overflowChain, readOverflow, writeOverflow } from './overflow.js';

/** What one tree mutation needs: the page store and the tree's ownership floor. */
export interface TreeContext {
  store: PageStore;
  /**
   * Pages born at or before this commit belong to the tree this one was cloned from (the newest
   * origin of a cloneTree); this tree never frees them. 0 for a tree that was never cloned.
   */
  ownedAfter: number;
  scratch: Buffer;
}

// Compaction scratch space is used synchronously only, so one buffer per page size serves all trees.
const scratchBySize = new Map<number, Buffer>();

export function treeContext(store: PageStore, ownedAfter = 0): TreeContext {
  let scratch = scratchBySize.get(store.pageSize);
  if (!scratch) scratchBySize.set(store.pageSize, (scratch = Buffer.allocUnsafe(store.pageSize)));
  return { store, ownedAfter, scratch };
}

/** Largest key and largest leaf cell accepted, so that every page holds at least four cells. */
export function maxKeyBytes(pageSize: number): number {
  return Math.floor(usableBytes(pageSize) / 8) - branchCellHeaderBytes - 2;
}
export function maxLeafCellBytes(pageSize: number): number {
  return Math.floor(usableBytes(pageSize) / 4) - 2;
}

/** Frees the overflow chain of leaf cell at `offset`, if it has one. */
function dropOverflow(context: TreeContext, page: Buffer, offset: number): void {
  if (!isOverflowCell(page, offset)) return;
  for (const { id, birth } of overflowChain(context.store, page, offset)) {
    if (birth > context.ownedAfter) context.store.free(id, birth);
  }
}

function dropPage(context: TreeContext, page: Buffer): void {
  const birth = pageBirth(page);
  if (birth <= context.ownedAfter) return;
  context.store.free(pageIdOf(page), birth);
}

/** The page itself when born in this commit, otherwise a copy (and the original is freed). */
function writable(context: TreeContext, page: Buffer): Buffer {
  const store = context.store;
  if (pageBirth(page) === store.commitSeq) return page;
  const copy = store.create(pageType(page) as 2 | 3);
  const id = pageIdOf(copy);
  page.copy(copy, 0, 0, page.length);
  copy.writeUInt32LE(id, 16);
  setPageBirth(copy, store.commitSeq);
  dropPage(context, page);
  return copy;
}

function removeCellInPlace(page: Buffer, index: number): void {
  const count = cellCount(page);
  const offset = slotOffset(page, index);
  const length = cellBytes(page, offset);
  const slots = pageHeaderBytes + 2 * index;
  page.copyWithin(slots, slots + 2, pageHeaderBytes + 2 * count);
  setCellCount(page, count - 1);
  if (offset === cellAreaStart(page)) setCellAreaStart(page, offset + length);
  else setFragmentedBytes(page, fragmentedBytes(page) + length);
}

/** Reserves `length` bytes for a new cell at slot `index`; the caller checked the space. */
function insertCellInPlace(page: Buffer, index: number, length: number): number {
  const count = cellCount(page);
  const slots = pageHeaderBytes + 2 * index;
  page.copyWithin(slots + 2, slots, pageHeaderBytes + 2 * count);
  const offset = cellAreaStart(page) - length;
  setCellAreaStart(page, offset);
  setSlotOffset(page, index, offset);
  setCellCount(page, count + 1);
  return offset;
}

function hasRoomFor(context: TreeContext, page: Buffer, length: number): boolean {
  if (contiguousFreeBytes(page) >= length + 2) return true;
  if (totalFreeBytes(page) < length + 2) return false;
  compactPage(page, context.scratch);
  return true;
}

function firstKeyOf(page: Buffer): { source: Buffer; start: number; length: number } {
  const offset = slotOffset(page, 0);
  return { source: page, start: keyStart(page, offset), length: cellKeyLength(page, offset) };
}

function encodeBranchCell(source: Uint8Array, start: number, length: number, child: number, count: number): Buffer {
  const cell = Buffer.allocUnsafe(branchCellHeaderBytes + length);
  writeBranchCell(cell, 0, source, start, length, child, count);
  return cell;
}

function pushBranchEntry(cells: CellList, keySource: Uint8Array, keyStartAt: number, keyLength: number, child: Buffer): void {
  const cell = encodeBranchCell(keySource, keyStartAt, keyLength, pageIdOf(child), nodeEntryCount(child));
  cells.push(cell, 0, cell.length);
}

function isUnderfull(page: Buffer): boolean {
  const used = page.length - cellAreaStart(page) - fragmentedBytes(page) + 2 * cellCount(page);
  return used < usableBytes(page.length) / 4;
}

// ---- get ----

/** The value stored under `key` (a view into a cached page), or undefined. */
export function treeGet(store: PageStore, root: number, key: Uint8Array): Uint8Array | undefined {
  if (root === 0) return undefined;
  let page = store.read(root);
  while (!isLeaf(page)) page = store.read(branchChild(page, slotOffset(page, branchChildIndex(page, key))));
  const index = leafLowerBound(page, key);
  if (!searchFound) return undefined;
  const offset = slotOffset(page, index);
  if (isOverflowCell(page, offset)) return readOverflow(store, page, offset);
  const start = leafValueStart(page, offset);
  return page.subarray(start, start + leafValueLength(page, offset));
}

// ---- put ----

/** A leaf cell for key/value: inline when it fits, else pointing at a new overflow chain. */
function encodeLeafCell(context: TreeContext, key: Uint8Array, value: Uint8Array): Buffer {
  const inlineLength = leafCellHeaderBytes + key.length + value.length;
  if (inlineLength <= maxLeafCellBytes(context.store.pageSize)) {
    const cell = Buffer.allocUnsafe(inlineLength);
    writeLeafCell(cell, 0, key, value);
    return cell;
  }
  const cell = Buffer.allocUnsafe(leafCellHeaderBytes + key.length + 4);
  writeLeafOverflowCell(cell, 0, key, value.length, writeOverflow(context.store, value));
  return cell;
}

/** Whether the last leafPut added a key (rather than replacing one). */
let lastPutInserted = false;

function leafPut(context: TreeContext, page: Buffer, key: Uint8Array, value: Uint8Array): Buffer[] {
  const index = leafLowerBound(page, key);
  const found = searchFound;
  lastPutInserted = !found;
  const inlineLength = leafCellHeaderBytes + key.length + value.length;
  const fitsInline = inlineLength <= maxLeafCellBytes(context.store.pageSize);
  const target = writable(context, page);
  if (found) {
    dropOverflow(context, target, slotOffset(target, index));
    removeCellInPlace(target, index);
  }
  if (fitsInline && hasRoomFor(context, target, inlineLength)) {
    writeLeafCell(target, insertCellInPlace(target, index, inlineLength), key, value);
    context.store.dirtied(pageIdOf(target), target);
    return [target];
  }
  const cell = encodeLeafCell(context, key, value);
  if (hasRoomFor(context, target, cell.length)) {
    cell.copy(target, insertCellInPlace(target, index, cell.length));
    context.store.dirtied(pageIdOf(target), target);
    return [target];
  }
  const cells = new CellList();
  cells.pushCellsOf(target, 0, index);
  cells.push(cell, 0, cell.length);
  cells.pushCellsOf(target, index);
  const count = cellCount(target);
  const hint: SplitHint = index === count ? 'fillLeft' : index === 0 ? 'fillRight' : 'balanced';
  const pages = buildPages(context.store, PageType.leaf, cells, hint);
  dropPage(context, target);
  return pages;
}

/** Replaces child `index` of branch `page` by `replacement` pages, rebuilding when the shape changes. */
function branchReplace(context: TreeContext, page: Buffer, index: number, replacement: Buffer[], hint: SplitHint, countDelta: number): Buffer[] {
  if (replacement.length === 1) {
    // The entry count under the child moved by exactly countDelta: no need to re-add its cells.
    const count = branchCount(page, slotOffset(page, index)) + countDelta;
    const target = writable(context, page);
    const child = replacement[0]!;
    setBranchChild(target, slotOffset(target, index), pageIdOf(child), count);
    context.store.dirtied(pageIdOf(target), target);
    return [target];
  }
  const count = cellCount(page);
  if (replacement.length === 0 && count === 1) {
    dropPage(context, page);
    return [];
  }
  const cells = new CellList();
  cells.pushCellsOf(page, 0, index);
  const offset = slotOffset(page, index);
  replacement.forEach((child, position) => {
    if (position === 0) pushBranchEntry(cells, page, branchKeyStart(offset), cellKeyLength(page, offset), child);
    else {
      const first = firstKeyOf(child);
      pushBranchEntry(cells, first.source, first.start, first.length, child);
    }
  });
  cells.pushCellsOf(page, index + 1);
  const pages = buildPages(context.store, PageType.branch, cells, hint);
  dropPage(context, page);
  return pages;
}

function putInto(context: TreeContext, pageId: number, key: Uint8Array, value: Uint8Array): Buffer[] {
  const page = context.store.read(pageId);
  if (isLeaf(page)) return leafPut(context, page, key, value);
  const index = branchChildIndex(page, key);
  const replacement = putInto(context, branchChild(page, slotOffset(page, index)), key, value);
  const hint: SplitHint = index === cellCount(page) - 1 ? 'fillLeft' : index === 0 ? 'fillRight' : 'balanced';
  return branchReplace(context, page, index, replacement, hint, lastPutInserted ? 1 : 0);
}

/** Stacks branch levels over `pages` until one root remains; returns the root page id. */
export function rootOver(context: TreeContext, pages: Buffer[]): number {
  while (pages.length > 1) {
    const cells = new CellList();
    for (const child of pages) {
      const first = firstKeyOf(child);
      pushBranchEntry(cells, first.source, first.start, first.length, child);
    }
    pages = buildPages(context.store, PageType.branch, cells, 'balanced');
  }
  return pages.length === 0 ? 0 : pageIdOf(pages[0]!);
}

/** Inserts or replaces; returns the new root page id. */
export function treePut(context: TreeContext, root: number, key: Uint8Array, value: Uint8Array): number {
  if (root === 0) {
    const cells = new CellList();
    const cell = encodeLeafCell(context, key, value);
    cells.push(cell, 0, cell.length);
    return rootOver(context, buildPages(context.store, PageType.leaf, cells, 'balanced'));
  }
  return rootOver(context, putInto(context, root, key, value));
}

// ---- delete ----

function deleteFrom(context: TreeContext, pageId: number, key: Uint8Array): Buffer[] | undefined {
  const page = context.store.read(pageId);
  if (isLeaf(page)) {
    const index = leafLowerBound(page, key);
    if (!searchFound) return undefined;
    dropOverflow(context, page, slotOffset(page, index));
    if (cellCount(page) === 1) {
      dropPage(context, page);
      return [];
    }
    const target = writable(context, page);
    removeCellInPlace(target, index);
    context.store.dirtied(pageIdOf(target), target);
    return [target];
  }
  const index = branchChildIndex(page, key);
  const replacement = deleteFrom(context, branchChild(page, slotOffset(page, index)), key);
  if (replacement === undefined) return undefined;
  if (replacement.length === 0) {
    if (cellCount(page) === 1) {
      dropPage(context, page);
      return [];
    }
    const target = writable(context, page);
    removeCellInPlace(target, index);
    context.store.dirtied(pageIdOf(target), target);
    return [target];
  }
  const child = replacement[0]!;
  if (!isUnderfull(child) || cellCount(page) === 1) return branchReplace(context, page, index, replacement, 'balanced', -1);
  return mergeChild(context, page, index, child);
}

/** Merges an underfull child with a sibling: one page when they fit, otherwise two balanced ones. */
function mergeChild(context: TreeContext, page: Buffer, index: number, child: Buffer): Buffer[] {
  const left = index > 0 ? index - 1 : index;
  const right = left + 1;
  const store = context.store;
  const leftPage = left === index ? child : store.read(branchChild(page, slotOffset(page, left)));
  const rightPage = right === index ? child : store.read(branchChild(page, slotOffset(page, right)));
  assert(pageType(leftPage) === pageType(rightPage), 'siblings of different kinds');
  const merged = new CellList();
  merged.pushCellsOf(leftPage);
  if (isLeaf(rightPage)) merged.pushCellsOf(rightPage);
  else {
    // The right node's first key is not a routing key; the parent's separator is.
    const separatorOffset = slotOffset(page, right);
    const firstOffset = slotOffset(rightPage, 0);
    const cell = encodeBranchCell(page, branchKeyStart(separatorOffset), cellKeyLength(page, separatorOffset), branchChild(rightPage, firstOffset), branchCount(rightPage, firstOffset));
    merged.push(cell, 0, cell.length);
    merged.pushCellsOf(rightPage, 1);
  }
  const mergedPages = buildPages(store, pageType(leftPage) as 2 | 3, merged, 'balanced');
  dropPage(context, leftPage);
  dropPage(context, rightPage);
  const cells = new CellList();
  cells.pushCellsOf(page, 0, left);
  const leftOffset = slotOffset(page, left);
  mergedPages.forEach((mergedPage, position) => {
    if (position === 0) pushBranchEntry(cells, page, branchKeyStart(leftOffset), cellKeyLength(page, leftOffset), mergedPage);
    else {
      const first = firstKeyOf(mergedPage);
      pushBranchEntry(cells, first.source, first.start, first.length, mergedPage);
    }
  });
  cells.pushCellsOf(page, right + 1);
  const pages = buildPages(store, PageType.branch, cells, 'balanced');
  dropPage(context, page);
  return pages;
}

/** Deletes `key`; returns the new root, or undefined when the key was absent (nothing copied). */
export function treeDelete(context: TreeContext, root: number, key: Uint8Array): number | undefined {
  if (root === 0) return undefined;
  const replacement = deleteFrom(context, root, key);
  if (replacement === undefined) return undefined;
  let pages = replacement;
  if (pages.length > 1) return rootOver(context, pages);
  if (pages.length === 0) return 0;
  let top = pages[0]!;
  while (!isLeaf(top) && cellCount(top) === 1) {
    const child = context.store.read(branchChild(top, slotOffset(top, 0)));
    dropPage(context, top);
    top = child;
  }
  return pageIdOf(top);
}

/** Frees every page of a tree this tree owns (for dropTree / clearTree). */
export function treeFreeAll(context: TreeContext, root: number): void {
  if (root === 0) return;
  const page = context.store.read(root);
  // Children are never born after their parent: a page we do not own has no owned descendants.
  if (pageBirth(page) <= context.ownedAfter) return;
  if (isLeaf(page)) {
    for (let i = 0; i < cellCount(page); i++) dropOverflow(context, page, slotOffset(page, i));
  } else {
    const count = cellCount(page);
    const children: number[] = [];
    for (let i = 0; i < count; i++) children.push(branchChild(page, slotOffset(page, i)));
    for (const child of children) treeFreeAll(context, child);
  }
  dropPage(context, page);
}

// ---- relocation (file compaction) ----

/**
 * Copies every owned page at or above `threshold` (and each page on the path to one) into the
 * lowest free slots, so the file's tail empties and can be truncated. Returns the new root.
 * `budget.pages` bounds the work of one call.
 */
export function treeRelocate(context: TreeContext, root: number, threshold: number, budget: { pages: number }): number {
  if (root === 0) return 0;
  const store = context.store;
  const page = store.read(root);
  if (pageBirth(page) <= context.ownedAfter) return root;
  let target: Buffer | undefined;
  const ensureWritable = () => (target ??= writable(context, page));
  if (isLeaf(page)) {
    for (let i = 0; i < cellCount(page) && budget.pages > 0; i++) {
      const offset = slotOffset(page, i);
      const chain = overflowChain(store, page, offset);
      if (!chain.some((link) => link.id >= threshold && link.birth > context.ownedAfter)) continue;
      const value = readOverflow(store, page, offset);
      const leaf = ensureWritable();
      const leafOffset = slotOffset(leaf, i);
      dropOverflow(context, leaf, leafOffset);
      leaf.writeUInt32LE(writeOverflow(store, value), leafValueStart(leaf, leafOffset));
      budget.pages -= chain.length;
    }
  } else {
    for (let i = 0; i < cellCount(page) && budget.pages > 0; i++) {
      const child = branchChild(page, slotOffset(page, i));
      const moved = treeRelocate(context, child, threshold, budget);
      if (moved === child) continue;
      const branch = ensureWritable();
      setBranchChild(branch, slotOffset(branch, i), moved, branchCount(branch, slotOffset(branch, i)));
    }
  }
  if (!target && root >= threshold && budget.pages > 0) ensureWritable();
  if (!target) return root;
  budget.pages--;
  store.dirtied(pageIdOf(target), target);
  return pageIdOf(target);
}

// ---- bulk load ----

/**
 * Builds a tree from entries in strictly ascending key order, packing leaves full and stacking
 * branch levels over them: one pass, no splits. Returns the root page id.
 */
export function treeBulkLoad(context: TreeContext, entries: Iterable<{ key: Uint8Array; value: Uint8Array }>): number {
  const cells = new CellList();
  for (const { key, value } of entries) {
    const cell = encodeLeafCell(context, key, value);
    cells.push(cell, 0, cell.length);
  }
  if (cells.length === 0) return 0;
  return rootOver(context, buildPages(context.store, PageType.leaf, cells, 'packed'));
}
