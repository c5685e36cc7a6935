// Reading B+tree nodes in place inside page buffers: no per-key allocation on the read path.
//   leaf cell:   u16 key length | u32 value length | key | value
//   branch cell: u16 key length | u32 child page | u48 entries under child | key
// In a branch, cell i's key is a lower bound of child i's keys and above every key of child i-1;
// cell 0's key is never used for routing.
import { PageType, cellCount, pageHeaderBytes } from '../pager/index.js';

export const leafCellHeaderBytes = 6;
export const branchCellHeaderBytes = 12;
const twoTo32 = 0x1_0000_0000;

export function isLeaf(page: Buffer): boolean {
  return page[4] === PageType.leaf;
}
export function slotOffset(page: Buffer, index: number): number {
  const position = pageHeaderBytes + 2 * index;
  return page[position]! | (page[position + 1]! << 8);
}
export function setSlotOffset(page: Buffer, index: number, offset: number): void {
  const position = pageHeaderBytes + 2 * index;
  page[position] = offset & 0xff;
  page[position + 1] = offset >>> 8;
}
export function cellKeyLength(page: Buffer, offset: number): number {
  return page[offset]! | (page[offset + 1]! << 8);
}
export function leafKeyStart(offset: number): number {
  return offset + leafCellHeaderBytes;
}
/** Set in a leaf cell's value length when the value lives in a chain of overflow pages. */
export const overflowFlag = 0x8000_0000;
/** Raw value-length field (may carry overflowFlag). */
export function leafValueField(page: Buffer, offset: number): number {
  return page.readUInt32LE(offset + 2);
}
/** Bytes of the value stored inside the cell (4, the first overflow page, for an overflow value). */
export function leafValueLength(page: Buffer, offset: number): number {
  const field = page.readUInt32LE(offset + 2);
  return field >= overflowFlag ? 4 : field;
}
export function isOverflowCell(page: Buffer, offset: number): boolean {
  return page.readUInt32LE(offset + 2) >= overflowFlag;
}
export function leafValueStart(page: Buffer, offset: number): number {
  return offset + leafCellHeaderBytes + cellKeyLength(page, offset);
}
export function leafCellBytes(page: Buffer, offset: number): number {
  return leafCellHeaderBytes + cellKeyLength(page, offset) + leafValueLength(page, offset);
}
export function branchKeyStart(offset: number): number {
  return offset + branchCellHeaderBytes;
}
export function branchChild(page: Buffer, offset: number): number {
  return page.readUInt32LE(offset + 2);
}
export function branchCount(page: Buffer, offset: number): number {
  return page.readUInt32LE(offset + 6) + page.readUInt16LE(offset + 10) * twoTo32;
}
export function branchCellBytes(page: Buffer, offset: number): number {
  return branchCellHeaderBytes + cellKeyLength(page, offset);
}
export function cellBytes(page: Buffer, offset: number): number {
  return isLeaf(page) ? leafCellBytes(page, offset) : branchCellBytes(page, offset);
}
export function keyStart(page: Buffer, offset: number): number {
  return isLeaf(page) ? offset + leafCellHeaderBytes : offset + branchCellHeaderBytes;
}

export function writeLeafCell(target: Buffer, offset: number, key: Uint8Array, value: Uint8Array): void {
  target[offset] = key.length & 0xff;
  target[offset + 1] = key.length >>> 8;
  target.writeUInt32LE(value.length, offset + 2);
  target.set(key, offset + leafCellHeaderBytes);
  target.set(value, offset + leafCellHeaderBytes + key.length);
}
export function writeLeafOverflowCell(target: Buffer, offset: number, key: Uint8Array, valueLength: number, firstPage: number): void {
  target[offset] = key.length & 0xff;
  target[offset + 1] = key.length >>> 8;
  target.writeUInt32LE(overflowFlag + valueLength, offset + 2);
  target.set(key, offset + leafCellHeaderBytes);
  target.writeUInt32LE(firstPage, offset + leafCellHeaderBytes + key.length);
}
/** Writes a branch cell whose key is copied from `keySource[keyOffset .. keyOffset + keyLength)`. */
export function writeBranchCell(
  target: Buffer,
  offset: number,
  keySource: Uint8Array,
  keyOffset: number,
  keyLength: number,
  child: number,
  count: number,
): void {
  target[offset] = keyLength & 0xff;
  target[offset + 1] = keyLength >>> 8;
  target.writeUInt32LE(child, offset + 2);
  target.writeUInt32LE(count % twoTo32, offset + 6);
  target.writeUInt16LE(Math.floor(count / twoTo32), offset + 10);
  target.set(keySource.subarray(keyOffset, keyOffset + keyLength), offset + branchCellHeaderBytes);
}
export function setBranchChild(page: Buffer, offset: number, child: number, count: number): void {
  page.writeUInt32LE(child, offset + 2);
  page.writeUInt32LE(count % twoTo32, offset + 6);
  page.writeUInt16LE(Math.floor(count / twoTo32), offset + 10);
}

/** memcmp order of `key` against the bytes page[start .. start + length). */
export function compareKeyAt(key: Uint8Array, page: Uint8Array, start: number, length: number): number {
  const shorter = key.length < length ? key.length : length;
  for (let i = 0; i < shorter; i++) {
    const difference = key[i]! - page[start + i]!;
    if (difference !== 0) return difference;
  }
  return key.length - length;
}

/** Index of the first leaf cell whose key is >= `key` (cellCount when none). `searchFound` tells equality. */
export let searchFound = false;
export function leafLowerBound(page: Buffer, key: Uint8Array): number {
  let low = 0;
  let high = cellCount(page);
  searchFound = false;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const offset = slotOffset(page, middle);
    const order = compareKeyAt(key, page, offset + leafCellHeaderBytes, cellKeyLength(page, offset));
    if (order > 0) low = middle + 1;
    else {
      if (order === 0) searchFound = true;
      high = middle;
    }
  }
  return low;
}
/** The child index of a branch that covers `key`. */
export function branchChildIndex(page: Buffer, key: Uint8Array): number {
  let low = 1;
  let high = cellCount(page);
  // Find the first cell (from 1) whose key is > key; the child before it covers key.
  while (low < high) {
    const middle = (low + high) >>> 1;
    const offset = slotOffset(page, middle);
    if (compareKeyAt(key, page, offset + branchCellHeaderBytes, cellKeyLength(page, offset)) >= 0) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
/** Entries under a node: a leaf's cell count, a branch's sum of child counts. */
export function nodeEntryCount(page: Buffer): number {
  const count = cellCount(page);
  if (isLeaf(page)) return count;
  let total = 0;
  for (let i = 0; i < count; i++) total += branchCount(page, slotOffset(page, i));
  return total;
}
/** Bytes used by slots and cells (fragments excluded). */
export function usedBytes(page: Buffer): number {
  const count = cellCount(page);
  let total = 2 * count;
  for (let i = 0; i < count; i++) total += cellBytes(page, slotOffset(page, i));
  return total;
}
