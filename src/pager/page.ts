// Page layout shared by every page type. All integers little-endian.
//
//   0  u32 crc32c of bytes 4..pageSize (computed when the page goes to disk)
//   4  u8  page type            5  u8 flags        6  u16 cell count
//   8  u32 birth seq, low bits  12 u32 birth seq, high bits (the commit that wrote the page)
//   16 u32 page id (catches misdirected reads and writes)
//   20 u32 next page (overflow and space-map chains)
//   24 u32 start of the cell area (cells grow down from the end of the page)
//   28 u16 fragmented bytes inside the cell area   30 u16 reserved
//   32 slot array (u16 cell offsets, in key order), then free space, then cells
import { crc32c } from '@node-rs/crc32';
import { SqlError, SqlState } from '../util/errors.js';

export const PageType = {
  free: 0,
  meta: 1,
  leaf: 2,
  branch: 3,
  overflow: 4,
  spaceMap: 5,
} as const;
export type PageTypeCode = (typeof PageType)[keyof typeof PageType];

export const pageHeaderBytes = 32;
const twoTo32 = 0x1_0000_0000;

export function pageType(page: Buffer): number {
  return page[4]!;
}
export function cellCount(page: Buffer): number {
  return page[6]! | (page[7]! << 8);
}
export function setCellCount(page: Buffer, count: number): void {
  page[6] = count & 0xff;
  page[7] = count >>> 8;
}
export function pageBirth(page: Buffer): number {
  return page.readUInt32LE(8) + page.readUInt32LE(12) * twoTo32;
}
export function setPageBirth(page: Buffer, birth: number): void {
  page.writeUInt32LE(birth % twoTo32, 8);
  page.writeUInt32LE(Math.floor(birth / twoTo32), 12);
}
export function pageIdOf(page: Buffer): number {
  return page.readUInt32LE(16);
}
export function nextPage(page: Buffer): number {
  return page.readUInt32LE(20);
}
export function setNextPage(page: Buffer, next: number): void {
  page.writeUInt32LE(next, 20);
}
export function cellAreaStart(page: Buffer): number {
  return page.readUInt32LE(24);
}
export function setCellAreaStart(page: Buffer, offset: number): void {
  page.writeUInt32LE(offset, 24);
}
export function fragmentedBytes(page: Buffer): number {
  return page.readUInt16LE(28);
}
export function setFragmentedBytes(page: Buffer, bytes: number): void {
  page.writeUInt16LE(bytes, 28);
}

/** Fills in a fresh page header (the rest of the page is zeroed). */
export function initPage(page: Buffer, id: number, type: PageTypeCode, birth: number): void {
  page.fill(0);
  page[4] = type;
  setPageBirth(page, birth);
  page.writeUInt32LE(id, 16);
  setCellAreaStart(page, page.length);
}

export function sealPage(page: Buffer): void {
  page.writeUInt32LE(crc32c(page.subarray(4)), 0);
}

/** Verifies a page read from disk; throws SqlError XX001 naming the page on any mismatch. */
export function verifyPage(page: Buffer, id: number, bytesRead: number): void {
  if (bytesRead !== page.length) throw corruptPage(id, `short read (${bytesRead} of ${page.length} bytes)`);
  const stored = page.readUInt32LE(0);
  if (stored !== crc32c(page.subarray(4))) throw corruptPage(id, 'checksum mismatch');
  if (pageIdOf(page) !== id) throw corruptPage(id, `page header names page ${pageIdOf(page)}`);
  const type = pageType(page);
  if (type < PageType.meta || type > PageType.spaceMap) throw corruptPage(id, `unknown page type ${type}`);
}

export function corruptPage(id: number, why: string): SqlError {
  return new SqlError(SqlState.dataCorrupted, `invalid page in block ${id} of the data file: ${why}`);
}
