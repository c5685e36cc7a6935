// Compact row format. One header byte (offset width), the stored column count (so rows written
// before ADD COLUMN decode with the new columns NULL), a null bitmap, the fixed-length columns
// at offsets known from the types alone, a table of end offsets for the variable-length
// columns, then their bytes. decodeColumn reads one column in O(1) without touching the others.
//
//   [format:1][columns:2][null bitmap: ceil(n/8)][fixed columns…][var end offsets: 2 or 4 bytes each][var data…]
import type { PgType, Value } from './api.js';
import { assert } from '../util/assert.js';
import { SqlError, SqlState } from '../util/errors.js';
import { utf8DecodeTrusted } from './key-bytes.js';
import { TypeOid } from './oids.js';

const format = { offsets16: 1, offsets32: 2 } as const;

interface RowLayout {
  types: readonly PgType[];
  /** Per column: byte offset of a fixed column within the fixed area, or -1 if variable. */
  fixedOffset: number[];
  /** Per column: index among variable columns, or -1 if fixed. */
  varIndex: number[];
  /** Per stored column count k: fixed bytes and variable columns among the first k columns. */
  fixedBytesWithin: number[];
  varCountWithin: number[];
}

const empty = new Uint8Array(0);
const layouts = new WeakMap<readonly PgType[], RowLayout>();

function isStoredFixed(type: PgType): boolean {
  return type.length > 0 && type.oid !== TypeOid.name;
}

function layoutOf(types: readonly PgType[]): RowLayout {
  let layout = layouts.get(types);
  if (layout) return layout;
  const fixedOffset: number[] = [];
  const varIndex: number[] = [];
  let fixedBytes = 0;
  let varCount = 0;
  const fixedBytesWithin = [0];
  const varCountWithin = [0];
  for (const type of types) {
    if (isStoredFixed(type)) {
      fixedOffset.push(fixedBytes);
      varIndex.push(-1);
      fixedBytes += type.length;
    } else {
      fixedOffset.push(-1);
      varIndex.push(varCount++);
    }
    fixedBytesWithin.push(fixedBytes);
    varCountWithin.push(varCount);
  }
  layout = { types, fixedOffset, varIndex, fixedBytesWithin, varCountWithin };
  layouts.set(types, layout);
  return layout;
}

function writeFixed(type: PgType, value: Value, view: DataView, bytes: Uint8Array, offset: number): void {
  switch (type.oid) {
    case TypeOid.bool:
      view.setUint8(offset, value ? 1 : 0);
      return;
    case TypeOid.int2:
      view.setInt16(offset, value as number);
      return;
    case TypeOid.int4:
      view.setInt32(offset, value as number);
      return;
    case TypeOid.int8:
      view.setBigInt64(offset, value as bigint);
      return;
    case TypeOid.float8:
      view.setFloat64(offset, value as number);
      return;
    default: {
      const data = type.encodeBinary(value);
      assert(data.length === type.length, `fixed-length ${type.name} encoded to ${data.length} bytes`);
      bytes.set(data, offset);
    }
  }
}

function readFixed(type: PgType, view: DataView, bytes: Uint8Array, offset: number): Value {
  switch (type.oid) {
    case TypeOid.bool:
      return view.getUint8(offset) !== 0;
    case TypeOid.int2:
      return view.getInt16(offset);
    case TypeOid.int4:
      return view.getInt32(offset);
    case TypeOid.int8:
      return view.getBigInt64(offset);
    case TypeOid.float8:
      return view.getFloat64(offset);
    default:
      return type.decodeBinary(bytes.subarray(offset, offset + type.length), -1);
  }
}

function isTextLike(oid: number): boolean {
  return oid === TypeOid.text || oid === TypeOid.varchar || oid === TypeOid.bpchar || oid === TypeOid.name;
}

export function encodeRow(types: readonly PgType[], values: readonly Value[]): Uint8Array {
  assert(values.length === types.length, `row has ${values.length} values for ${types.length} columns`);
  const layout = layoutOf(types);
  // Variable columns: strings are measured now and written in place later; others encoded now.
  const varData: Array<Uint8Array | string> = [];
  const varLength: number[] = [];
  let varBytes = 0;
  for (let i = 0; i < types.length; i++) {
    if (layout.varIndex[i]! < 0) continue;
    const value = values[i];
    let data: Uint8Array | string;
    let length: number;
    if (value === null || value === undefined) {
      data = empty;
      length = 0;
    } else if (isTextLike(types[i]!.oid)) {
      data = value as string;
      length = Buffer.byteLength(data, 'utf8');
    } else {
      data = types[i]!.encodeBinary(value);
      length = data.length;
    }
    varData.push(data);
    varLength.push(length);
    varBytes += length;
  }
  const count = types.length;
  assert(count <= 0xffff, 'too many columns');
  const offsetWidth = varBytes <= 0xffff ? 2 : 4;
  const fixedStart = 3 + ((count + 7) >> 3);
  const tableStart = fixedStart + layout.fixedBytesWithin[count]!;
  const dataStart = tableStart + layout.varCountWithin[count]! * offsetWidth;
  const total = dataStart + varBytes;
  if (total > 0x7fffffff) throw new SqlError(SqlState.programLimitExceeded, `row is too big: size ${total}`);
  const bytes = Buffer.alloc(total);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  bytes[0] = offsetWidth === 2 ? format.offsets16 : format.offsets32;
  view.setUint16(1, count);
  let end = 0;
  for (let i = 0; i < types.length; i++) {
    const value = values[i];
    const isNullValue = value === null || value === undefined;
    if (isNullValue) bytes[3 + (i >> 3)]! |= 1 << (i & 7);
    const fixed = layout.fixedOffset[i]!;
    if (fixed >= 0) {
      if (!isNullValue) writeFixed(types[i]!, value, view, bytes, fixedStart + fixed);
      continue;
    }
    const index = layout.varIndex[i]!;
    const data = varData[index]!;
    if (typeof data === 'string') bytes.write(data, dataStart + end, 'utf8');
    else bytes.set(data, dataStart + end);
    end += varLength[index]!;
    if (offsetWidth === 2) view.setUint16(tableStart + index * 2, end);
    else view.setUint32(tableStart + index * 4, end);
  }
  return bytes;
}

function decodeAt(layout: RowLayout, bytes: Uint8Array, view: DataView, index: number): Value {
  const count = view.getUint16(1);
  if (index >= count) return null; // column added after this row was written
  assert(count <= layout.types.length, `row has ${count} columns, table ${layout.types.length}`);
  if (bytes[3 + (index >> 3)]! & (1 << (index & 7))) return null;
  const type = layout.types[index]!;
  const fixedStart = 3 + ((count + 7) >> 3);
  const fixed = layout.fixedOffset[index]!;
  if (fixed >= 0) return readFixed(type, view, bytes, fixedStart + fixed);
  const offsetWidth = bytes[0] === format.offsets16 ? 2 : 4;
  assert(bytes[0] === format.offsets16 || bytes[0] === format.offsets32, `unknown row format ${bytes[0]}`);
  const tableStart = fixedStart + layout.fixedBytesWithin[count]!;
  const dataStart = tableStart + layout.varCountWithin[count]! * offsetWidth;
  const varIndex = layout.varIndex[index]!;
  const readEnd = (k: number) => (offsetWidth === 2 ? view.getUint16(tableStart + k * 2) : view.getUint32(tableStart + k * 4));
  const start = varIndex === 0 ? 0 : readEnd(varIndex - 1);
  const end = readEnd(varIndex);
  assert(start <= end && dataStart + end <= bytes.length, 'row offsets out of bounds');
  if (isTextLike(type.oid)) return utf8DecodeTrusted(bytes, dataStart + start, dataStart + end);
  return type.decodeBinary(bytes.subarray(dataStart + start, dataStart + end), -1);
}

export function decodeRow(types: readonly PgType[], bytes: Uint8Array): Value[] {
  const layout = layoutOf(types);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: Value[] = new Array(types.length);
  for (let i = 0; i < types.length; i++) values[i] = decodeAt(layout, bytes, view, i);
  return values;
}

/** One column without decoding the rest. */
export function decodeColumn(types: readonly PgType[], bytes: Uint8Array, index: number): Value {
  assert(index >= 0 && index < types.length, `column ${index} out of range`);
  const layout = layoutOf(types);
  return decodeAt(layout, bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), index);
}

/** True when column `index` is NULL (bitmap only). */
export function isColumnNull(bytes: Uint8Array, index: number): boolean {
  if (index >= ((bytes[1]! << 8) | bytes[2]!)) return true;
  return (bytes[3 + (index >> 3)]! & (1 << (index & 7))) !== 0;
}
