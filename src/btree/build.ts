// Laying out a list of cells into one or more fresh pages: used by splits, merges, branch
// rebuilds and bulk loading. Cells are referenced in place (buffer, offset, length) and copied once.
import { cellAreaStart, cellCount, fragmentedBytes, pageHeaderBytes, setCellAreaStart, setCellCount, setFragmentedBytes, type PageStore, type PageTypeCode } from '../pager/index.js';
import { assert } from '../util/assert.js';
import { cellBytes, setSlotOffset, slotOffset } from './node.js';

export class CellList {
  buffers: Uint8Array[] = [];
  offsets: number[] = [];
  lengths: number[] = [];
  get length(): number {
    return this.buffers.length;
  }
  push(buffer: Uint8Array, offset: number, length: number): void {
    this.buffers.push(buffer);
    this.offsets.push(offset);
    this.lengths.push(length);
  }
  pushCellsOf(page: Buffer, from = 0, to = cellCount(page)): void {
    for (let i = from; i < to; i++) {
      const offset = slotOffset(page, i);
      this.push(page, offset, cellBytes(page, offset));
    }
  }
}

/** Where to cut when the cells overflow one page. */
export type SplitHint = 'balanced' | 'fillLeft' | 'fillRight' | 'packed';

export function usableBytes(pageSize: number): number {
  return pageSize - pageHeaderBytes;
}

/** Writes `cells[from, to)` into `page` (already initialised, empty). */
function fill(page: Buffer, cells: CellList, from: number, to: number): void {
  let area = page.length;
  for (let i = from; i < to; i++) {
    const length = cells.lengths[i]!;
    area -= length;
    page.set(cells.buffers[i]!.subarray(cells.offsets[i]!, cells.offsets[i]! + length), area);
    setSlotOffset(page, i - from, area);
  }
  setCellCount(page, to - from);
  setCellAreaStart(page, area);
  setFragmentedBytes(page, 0);
}

/** Splits cells into runs that each fit a page and creates those pages. */
export function buildPages(store: PageStore, type: PageTypeCode, cells: CellList, hint: SplitHint): Buffer[] {
  const capacity = usableBytes(store.pageSize);
  const sizes = cells.lengths.map((length) => length + 2);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const cuts: number[] = [0];
  if (total > capacity) {
    let cut = -1;
    if ((hint === 'fillLeft' || hint === 'fillRight') && cells.length >= 2) {
      // Sequential inserts: keep the old page full and start a new one with the odd cell out.
      const candidate = hint === 'fillLeft' ? cells.length - 1 : 1;
      const left = sizes.slice(0, candidate).reduce((sum, size) => sum + size, 0);
      if (left <= capacity && total - left <= capacity) cut = candidate;
    }
    if (cut < 0 && hint !== 'packed') {
      let running = 0;
      cut = 0;
      while (cut < cells.length && running + sizes[cut]! <= total / 2) running += sizes[cut++]!;
      if (cut === 0) running += sizes[cut++]!;
      if (running > capacity || total - running > capacity || cut >= cells.length) cut = -1;
    }
    if (cut > 0) cuts.push(cut);
    else {
      // Greedy fallback for lopsided cell sizes.
      let running = 0;
      for (let i = 0; i < cells.length; i++) {
        if (running + sizes[i]! > capacity) {
          cuts.push(i);
          running = 0;
        }
        running += sizes[i]!;
      }
    }
  }
  cuts.push(cells.length);
  const pages: Buffer[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    assert(cuts[i + 1]! > cuts[i]!, 'empty page in a split');
    const page = store.create(type);
    fill(page, cells, cuts[i]!, cuts[i + 1]!);
    pages.push(page);
  }
  return pages;
}

/** Rewrites a page's cells contiguously, reclaiming fragments (the page is born in this commit). */
export function compactPage(page: Buffer, scratch: Buffer): void {
  page.copy(scratch);
  const count = cellCount(scratch);
  let area = page.length;
  for (let i = 0; i < count; i++) {
    const offset = slotOffset(scratch, i);
    const length = cellBytes(scratch, offset);
    area -= length;
    scratch.copy(page, area, offset, offset + length);
    setSlotOffset(page, i, area);
  }
  setCellAreaStart(page, area);
  setFragmentedBytes(page, 0);
}

export function contiguousFreeBytes(page: Buffer): number {
  return cellAreaStart(page) - (pageHeaderBytes + 2 * cellCount(page));
}
export function totalFreeBytes(page: Buffer): number {
  return contiguousFreeBytes(page) + fragmentedBytes(page);
}
