// How a table lives in B-trees: the table tree (key = primary key or hidden int8 row id,
// value = row codec over every column slot, dropped ones included), and one tree per secondary
// index (key = index columns + table key, value empty).
import type { IndexObject, TableObject } from '../catalog/index.js';
import { decodeRow, encodeKey, encodeRow, prefixUpperBound, TypeOid, type PgType, type Value } from '../types/index.js';
import { getType } from '../plan/index.js';

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

export function decodeStoredRow(layout: TableLayout, bytes: Uint8Array): Value[] {
  return decodeRow(layout.storageTypes, bytes);
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

export function prefixRange(prefix: Uint8Array): { lower: Uint8Array; lowerInclusive: true; upper?: Uint8Array; upperInclusive: false } {
  const upper = prefixUpperBound(prefix);
  return upper ? { lower: prefix, lowerInclusive: true, upper, upperInclusive: false } : { lower: prefix, lowerInclusive: true, upperInclusive: false };
}

export { emptyValue };
