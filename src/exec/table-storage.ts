// How a table lives in B-trees: the table tree (key = primary key or hidden int8 row id,
// value = row codec over every column slot, dropped ones included), and one tree per secondary
// index (key = index columns + table key, value empty).
import type { IndexObject, TableObject } from '../catalog/index.js';
import { decodeRow, encodeKey, encodeRow, prefixUpperBound, TypeOid, type PgType, type Value } from '../types/index.js';
import { getType } from '../plan/index.js';
import type { Transaction } from '../txn/api.js';
import { randomBytes } from 'node:crypto';
import { assert } from '../util/assert.js';

const emptyValue = new Uint8Array(0);

export interface TableLayout {
  table: TableObject;
  /** Type of every column slot (attnum - 1). */
  storageTypes: PgType[];
  /** Slot index (attnum - 1) of each live column, in order. */
  liveSlots: number[];
  /** Slots of the primary key columns (empty: row id). */
  keySlots: number[];
  keyTypes: PgType[];
}

const layouts = new WeakMap<TableObject, TableLayout>();
const int8 = () => getType(TypeOid.int8);

export function layoutOf(table: TableObject): TableLayout {
  let layout = layouts.get(table);
  if (!layout) {
    const storageTypes = table.columns.map((column) => getType(column.typeOid));
    const liveSlots = table.columns.filter((column) => !column.dropped).map((column) => column.attnum - 1);
    const keySlots = table.primaryKey.map((attnum) => attnum - 1);
    const keyTypes = keySlots.length > 0 ? keySlots.map((slot) => storageTypes[slot]!) : [int8()];
    layout = { table, storageTypes, liveSlots, keySlots, keyTypes };
    layouts.set(table, layout);
  }
  return layout;
}

export function encodeStoredRow(layout: TableLayout, slots: Value[]): Uint8Array {
  return encodeRow(layout.storageTypes, slots);
}

/** Decodes a stored row, fetching it from the toast tree when it was stored out of line. */
export function decodeStoredRow(layout: TableLayout, bytes: Uint8Array, txn: ToastReader): Value[] {
  if (bytes[0] === toastMarker) return decodeRow(layout.storageTypes, readToasted(txn, bytes));
  return decodeRow(layout.storageTypes, bytes);
}

// ---- out-of-line rows ("toast"): rows too large for one B-tree entry are stored in chunks in
// the toast system tree under [8-byte id][2-byte chunk]; the table keeps a pointer
// [marker][id][length]. (Chunks of dropped or truncated tables are not reclaimed yet.)

export const toastTree = 3;
const toastMarker = 0xee;
export const toastPointerMarker = toastMarker;
const inlineRowBytesMax = 1800;
const toastChunkBytes = 1800;
const toastIdPrefix = randomBytes(4);
let toastCounter = 0;

export type ToastReader = Pick<Transaction, 'scan'>;

function toastPrefix(id: Uint8Array): Uint8Array {
  return id;
}

/** Encodes a row for the table tree, moving it to the toast tree when it is too large. */
export function storeRow(txn: Transaction, layout: TableLayout, slots: Value[]): Uint8Array {
  const bytes = encodeRow(layout.storageTypes, slots);
  if (bytes.length <= inlineRowBytesMax) return bytes;
  const id = new Uint8Array(8);
  id.set(toastIdPrefix, 0);
  new DataView(id.buffer).setUint32(4, toastCounter++ >>> 0);
  for (let chunk = 0; chunk * toastChunkBytes < bytes.length; chunk++) {
    const key = new Uint8Array(10);
    key.set(id, 0);
    new DataView(key.buffer).setUint16(8, chunk);
    txn.put(toastTree, key, bytes.subarray(chunk * toastChunkBytes, (chunk + 1) * toastChunkBytes));
  }
  const pointer = new Uint8Array(13);
  pointer[0] = toastMarker;
  pointer.set(id, 1);
  new DataView(pointer.buffer).setUint32(9, bytes.length);
  return pointer;
}

function readToasted(txn: ToastReader, pointer: Uint8Array): Uint8Array {
  const id = pointer.subarray(1, 9);
  const length = new DataView(pointer.buffer, pointer.byteOffset, pointer.byteLength).getUint32(9);
  const out = new Uint8Array(length);
  let offset = 0;
  const iterator = txn.scan(toastTree, prefixRange(toastPrefix(id)));
  try {
    for (let entry = iterator.next(); entry; entry = iterator.next()) {
      out.set(entry.value, offset);
      offset += entry.value.length;
    }
  } finally {
    iterator.close();
  }
  assert(offset === length, `toasted row is incomplete (${offset} of ${length} bytes)`);
  return out;
}

/** Deletes the toast chunks a stored row points to (before it is overwritten or deleted). */
export function dropToasted(txn: Transaction, bytes: Uint8Array | undefined): void {
  if (!bytes || bytes[0] !== toastMarker) return;
  const id = bytes.subarray(1, 9).slice();
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(9);
  for (let chunk = 0; chunk * toastChunkBytes < length; chunk++) {
    const key = new Uint8Array(10);
    key.set(id, 0);
    new DataView(key.buffer).setUint16(8, chunk);
    txn.delete(toastTree, key);
  }
}

/** Live-column row from a stored row. */
export function liveRow(layout: TableLayout, slots: Value[]): Value[] {
  const row = new Array<Value>(layout.liveSlots.length);
  for (let i = 0; i < layout.liveSlots.length; i++) row[i] = slots[layout.liveSlots[i]!] ?? null;
  return row;
}

/** Stored row (all slots) from a live-column row. */
export function slotsFromLive(layout: TableLayout, live: readonly Value[]): Value[] {
  const slots = new Array<Value>(layout.storageTypes.length).fill(null);
  for (let i = 0; i < layout.liveSlots.length; i++) slots[layout.liveSlots[i]!] = live[i] ?? null;
  return slots;
}

export function primaryKeyOf(layout: TableLayout, slots: readonly Value[]): Uint8Array {
  return encodeKey(layout.keyTypes, layout.keySlots.map((slot) => slots[slot] ?? null));
}

export function rowIdKey(rowId: bigint): Uint8Array {
  return encodeKey([int8()], [rowId]);
}

export function indexTypes(table: TableLayout, index: IndexObject): PgType[] {
  return index.columns.map((attnum) => table.storageTypes[attnum - 1]!);
}

/** The index columns' part of an index entry. */
export function indexPrefix(table: TableLayout, index: IndexObject, slots: readonly Value[]): Uint8Array {
  return encodeKey(indexTypes(table, index), index.columns.map((attnum) => slots[attnum - 1] ?? null), index.descending);
}

export function concatKeys(a: Uint8Array, b: Uint8Array): Uint8Array {
  const key = new Uint8Array(a.length + b.length);
  key.set(a);
  key.set(b, a.length);
  return key;
}

export function prefixRange(input: Uint8Array): { lower: Uint8Array; lowerInclusive: true; upper?: Uint8Array; upperInclusive: false } {
  // A plain copy: Buffer.prototype.slice shares memory, and prefixUpperBound increments its slice.
  const prefix = new Uint8Array(input);
  const upper = prefixUpperBound(prefix);
  return upper ? { lower: prefix, lowerInclusive: true, upper, upperInclusive: false } : { lower: prefix, lowerInclusive: true, upperInclusive: false };
}

export { emptyValue };
