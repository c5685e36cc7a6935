// Values too large for a leaf cell live in a chain of overflow pages; the cell keeps the total
// length (with overflowFlag) and the first page. Chains are immutable, shared by every copy of the
// leaf, and freed when their cell is deleted or replaced.
import { PageType, nextPage, pageBirth, pageHeaderBytes, pageIdOf, setNextPage, type PageStore } from '../pager/index.js';
import { corruptPage } from '../pager/page.js';
import { isOverflowCell, leafValueField, leafValueStart, overflowFlag } from './node.js';

/** Writes `value` into fresh overflow pages; returns the first page id. */
export function writeOverflow(store: PageStore, value: Uint8Array): number {
  const capacity = store.pageSize - pageHeaderBytes;
  const pageCount = Math.ceil(value.length / capacity);
  const pages: Buffer[] = [];
  for (let i = 0; i < pageCount; i++) {
    const page = store.create(PageType.overflow);
    const chunk = value.subarray(i * capacity, (i + 1) * capacity);
    page.set(chunk, pageHeaderBytes);
    page.writeUInt32LE(chunk.length, 24);
    pages.push(page);
  }
  for (let i = 0; i + 1 < pages.length; i++) setNextPage(pages[i]!, pageIdOf(pages[i + 1]!));
  return pageIdOf(pages[0]!);
}

/** The whole value of an overflow cell (a copy). */
export function readOverflow(store: PageStore, page: Buffer, offset: number): Buffer {
  const length = leafValueField(page, offset) - overflowFlag;
  const value = Buffer.allocUnsafe(length);
  let id = page.readUInt32LE(leafValueStart(page, offset));
  let filled = 0;
  while (filled < length) {
    if (id === 0) throw corruptPage(pageIdOf(page), 'overflow chain ends early');
    const chunkPage = store.read(id);
    if (chunkPage[4] !== PageType.overflow) throw corruptPage(id, 'expected an overflow page');
    const bytes = chunkPage.readUInt32LE(24);
    chunkPage.copy(value, filled, pageHeaderBytes, pageHeaderBytes + bytes);
    filled += bytes;
    id = nextPage(chunkPage);
  }
  return value;
}

/** Page ids of an overflow cell's chain, with their births. */
export function overflowChain(store: PageStore, page: Buffer, offset: number): { id: number; birth: number }[] {
  if (!isOverflowCell(page, offset)) return [];
  const chain: { id: number; birth: number }[] = [];
  let id = page.readUInt32LE(leafValueStart(page, offset));
  while (id !== 0) {
    const chunkPage = store.read(id);
    chain.push({ id, birth: pageBirth(chunkPage) });
    id = nextPage(chunkPage);
  }
  return chain;
}
