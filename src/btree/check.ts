// Structural checks of one tree (bbolt's tx.Check idea): key order inside and across pages,
// separators, entry counts, no child born after its parent, cells inside their page.
import { cellAreaStart, cellCount, pageBirth, pageHeaderBytes, PageType, pageType, type PageStore } from '../pager/index.js';
import { branchChild, branchCount, branchKeyStart, cellBytes, cellKeyLength, isLeaf, isOverflowCell, leafCellHeaderBytes, leafValueField, nodeEntryCount, overflowFlag, slotOffset } from './node.js';
import { overflowChain, readOverflow } from './overflow.js';

export interface TreeCheckResult {
  pages: number[];
  entries: number;
  problems: string[];
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

export function checkTree(store: PageStore, root: number, visit?: (pageId: number) => void): TreeCheckResult {
  const result: TreeCheckResult = { pages: [], entries: 0, problems: [] };
  if (root === 0) return result;
  const walk = (id: number, low: Uint8Array | undefined, high: Uint8Array | undefined, parentBirth: number, depth: number, leafDepth: { value: number }): number => {
    let page: Buffer;
    try {
      page = store.read(id);
    } catch (error) {
      result.problems.push(`page ${id}: ${(error as Error).message}`);
      return 0;
    }
    result.pages.push(id);
    visit?.(id);
    const problem = (text: string) => result.problems.push(`page ${id}: ${text}`);
    if (pageBirth(page) > parentBirth) problem(`born in ${pageBirth(page)}, after its parent (${parentBirth})`);
    const type = pageType(page);
    if (type !== PageType.leaf && type !== PageType.branch) {
      problem(`type ${type} inside a tree`);
      return 0;
    }
    const count = cellCount(page);
    if (count === 0) problem('empty node');
    if (pageHeaderBytes + 2 * count > cellAreaStart(page)) problem('slot array overlaps cells');
    let previous: Uint8Array | undefined;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const offset = slotOffset(page, i);
      if (offset < cellAreaStart(page) || offset + cellBytes(page, offset) > page.length) {
        problem(`cell ${i} outside the cell area`);
        return total;
      }
      const keyAt = isLeaf(page) ? offset + leafCellHeaderBytes : branchKeyStart(offset);
      const key = page.subarray(keyAt, keyAt + cellKeyLength(page, offset));
      const routing = isLeaf(page) || i > 0;
      if (routing) {
        if (previous && compareBytes(previous, key) >= 0) problem(`key ${i} out of order`);
        if (low && compareBytes(key, low) < 0) problem(`key ${i} below its separator`);
        if (high && compareBytes(key, high) >= 0) problem(`key ${i} at or above the next separator`);
        previous = key;
      }
      if (isLeaf(page)) continue;
      const childLow = i === 0 ? low : key;
      const nextOffset = i + 1 < count ? slotOffset(page, i + 1) : -1;
      const childHigh = nextOffset < 0 ? high : page.subarray(branchKeyStart(nextOffset), branchKeyStart(nextOffset) + cellKeyLength(page, nextOffset));
      const childEntries = walk(branchChild(page, offset), childLow, childHigh, pageBirth(page), depth + 1, leafDepth);
      if (childEntries !== branchCount(page, offset)) problem(`cell ${i} counts ${branchCount(page, offset)} entries, child holds ${childEntries}`);
      total += childEntries;
    }
    if (isLeaf(page)) {
      for (let i = 0; i < count; i++) {
        const offset = slotOffset(page, i);
        if (!isOverflowCell(page, offset)) continue;
        try {
          for (const link of overflowChain(store, page, offset)) {
            result.pages.push(link.id);
            visit?.(link.id);
            if (link.birth > pageBirth(page)) problem(`overflow page ${link.id} born after its leaf`);
          }
          const expectedLength = leafValueField(page, offset) - overflowFlag;
          if (readOverflow(store, page, offset).length !== expectedLength) problem(`overflow value of cell ${i} has the wrong length`);
        } catch (error) {
          problem(`overflow chain of cell ${i}: ${(error as Error).message}`);
        }
      }
      if (leafDepth.value < 0) leafDepth.value = depth;
      else if (leafDepth.value !== depth) problem(`leaf at depth ${depth}, others at ${leafDepth.value}`);
      result.entries += count;
      return count;
    }
    if (total !== nodeEntryCount(page)) problem('entry count mismatch');
    return total;
  };
  walk(root, undefined, undefined, Number.MAX_SAFE_INTEGER, 0, { value: -1 });
  return result;
}
