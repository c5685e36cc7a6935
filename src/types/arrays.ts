// Arrays of any scalar type: array_in/array_out text syntax ({1,2,NULL}, {"a b",c}, multi-dim,
// [lb:ub]= decoration), array_send/array_recv binary, array_cmp ordering.
import type { FormatSettings, KeyReader, KeyWriter, PgType, Value } from './api.js';
import { SqlError, SqlState } from '../util/errors.js';
import { BinaryReader, BinaryWriter } from './binary.js';
import { invalidBinary } from './errors.js';
import { combineHashes } from './hash.js';
import { readByte, readSignedInt, writeSignedInt } from './key-bytes.js';

/** An n-dimensional array: elements flat in row-major order; dims [] for the empty array. */
export interface PgArray {
  elements: Value[];
  dims: number[];
  lowerBounds: number[];
}

export const arrayLimits = { dimensionsMax: 6 } as const;

export function makeArray(elements: Value[], dims?: number[], lowerBounds?: number[]): PgArray {
  if (elements.length === 0 && dims === undefined) return { elements, dims: [], lowerBounds: [] };
  const sizes = dims ?? [elements.length];
  return { elements, dims: sizes, lowerBounds: lowerBounds ?? sizes.map(() => 1) };
}

export function isPgArray(value: unknown): value is PgArray {
  return typeof value === 'object' && value !== null && Array.isArray((value as PgArray).elements) && Array.isArray((value as PgArray).dims);
}

function malformed(text: string, detail: string): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation, `malformed array literal: "${text}"`, { detail });
}

const isArraySpace = (ch: string | undefined) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\v' || ch === '\f';

/** array_in. Elements are parsed with the element type's input function and typmod. */
export function parseArrayText(text: string, element: PgType, typmod: number, settings: FormatSettings): PgArray {
  let position = 0;
  const skipSpace = () => {
    while (isArraySpace(text[position])) position++;
  };
  skipSpace();
  let declaredDims: number[] | undefined;
  let declaredLower: number[] | undefined;
  if (text[position] === '[') {
    declaredDims = [];
    declaredLower = [];
    while (text[position] === '[') {
      const match = /^\[\s*([+-]?\d+)\s*(?::\s*([+-]?\d+)\s*)?\]/.exec(text.slice(position));
      if (!match) throw malformed(text, 'Missing "]" after array dimensions.');
      const lower = match[2] === undefined ? 1 : Number(match[1]);
      const upper = Number(match[2] ?? match[1]);
      if (upper < lower) throw new SqlError(SqlState.arraySubscriptError, 'upper bound cannot be less than lower bound');
      declaredLower.push(lower);
      declaredDims.push(upper - lower + 1);
      position += match[0].length;
    }
    skipSpace();
    if (text[position] !== '=') throw malformed(text, 'Missing "=" after array dimensions.');
    position++;
    skipSpace();
  }
  if (text[position] !== '{') throw malformed(text, 'Array value must start with "{" or dimension information.');

  const elements: Value[] = [];
  const dims: number[] = [];
  let leafDepth: number | undefined;
  // Parse nested braces recursively, checking that sub-arrays agree in size.
  const parseLevel = (depth: number): void => {
    position++; // '{'
    if (depth + 1 > arrayLimits.dimensionsMax) {
      throw new SqlError(SqlState.programLimitExceeded, `number of array dimensions (${depth + 1}) exceeds the maximum allowed (${arrayLimits.dimensionsMax})`);
    }
    let count = 0;
    skipSpace();
    if (text[position] === '}') {
      position++;
      if (depth === 0) return;
      throw malformed(text, 'Multidimensional arrays must have sub-arrays with matching dimensions.');
    }
    let nested: boolean | undefined;
    for (;;) {
      skipSpace();
      const isNested = text[position] === '{';
      if (nested === undefined) nested = isNested;
      else if (nested !== isNested) throw malformed(text, isNested ? 'Unexpected "{" character.' : 'Unexpected array element.');
      if (isNested) parseLevel(depth + 1);
      else elements.push(parseElement());
      count++;
      skipSpace();
      const next = text[position];
      if (next === ',') {
        position++;
        continue;
      }
      if (next === '}') {
        position++;
        break;
      }
      throw malformed(text, next === undefined ? 'Unexpected end of input.' : `Unexpected "${next}" character.`);
    }
    if (!nested) {
      if (leafDepth === undefined) leafDepth = depth;
      else if (leafDepth !== depth) throw malformed(text, 'Multidimensional arrays must have sub-arrays with matching dimensions.');
    }
    if (dims[depth] === undefined) dims[depth] = count;
    else if (dims[depth] !== count) throw malformed(text, 'Multidimensional arrays must have sub-arrays with matching dimensions.');
  };
  const parseElement = (): Value => {
    let raw = '';
    let quoted = false;
    let sawAny = false;
    let trailingSpaceStart = -1; // unquoted trailing whitespace is dropped
    for (;;) {
      const ch = text[position];
      if (ch === undefined) throw malformed(text, 'Unexpected end of input.');
      if (ch === '"') {
        quoted = true;
        sawAny = true;
        position++;
        for (;;) {
          const inner = text[position];
          if (inner === undefined) throw malformed(text, 'Unexpected end of input.');
          position++;
          if (inner === '"') break;
          if (inner === '\\') {
            const escaped = text[position];
            if (escaped === undefined) throw malformed(text, 'Unexpected end of input.');
            raw += escaped;
            position++;
          } else raw += inner;
        }
        trailingSpaceStart = -1;
        continue;
      }
      if (ch === ',' || ch === '}') break;
      if (ch === '{') throw malformed(text, 'Unexpected "{" character.');
      if (ch === '\\') {
        const escaped = text[position + 1];
        if (escaped === undefined) throw malformed(text, 'Unexpected end of input.');
        raw += escaped;
        position += 2;
        quoted = true; // an escaped character makes NULL literal text
        sawAny = true;
        trailingSpaceStart = -1;
        continue;
      }
      if (isArraySpace(ch)) {
        if (sawAny && trailingSpaceStart < 0) trailingSpaceStart = raw.length;
        if (sawAny) raw += ch;
        position++;
        continue;
      }
      raw += ch;
      sawAny = true;
      trailingSpaceStart = -1;
      position++;
    }
    if (trailingSpaceStart >= 0) raw = raw.slice(0, trailingSpaceStart);
    if (!sawAny) throw malformed(text, `Unexpected "${text[position]}" character.`);
    if (!quoted && raw.toUpperCase() === 'NULL') return null;
    return element.parseText(raw, typmod, settings);
  };
  parseLevel(0);
  skipSpace();
  if (position !== text.length) throw malformed(text, 'Junk after closing right brace.');
  if (elements.length === 0) {
    if (declaredDims !== undefined && declaredDims.length > 0) {
      throw malformed(text, 'Specified array dimensions do not match array contents.');
    }
    return { elements, dims: [], lowerBounds: [] };
  }
  if (declaredDims !== undefined) {
    if (declaredDims.length !== dims.length || declaredDims.some((d, i) => d !== dims[i])) {
      throw malformed(text, 'Specified array dimensions do not match array contents.');
    }
    return { elements, dims, lowerBounds: declaredLower! };
  }
  return { elements, dims, lowerBounds: dims.map(() => 1) };
}

function quoteArrayElement(text: string): string {
  if (text.length === 0 || text.toUpperCase() === 'NULL' || /[{}",\\ \t\n\r\v\f]/.test(text)) {
    return '"' + text.replace(/[\\"]/g, (c) => '\\' + c) + '"';
  }
  return text;
}

/** array_out. */
export function formatArrayText(array: PgArray, element: PgType, settings: FormatSettings): string {
  if (array.dims.length === 0) return '{}';
  let prefix = '';
  if (array.lowerBounds.some((lb) => lb !== 1)) {
    prefix = array.dims.map((d, i) => `[${array.lowerBounds[i]}:${array.lowerBounds[i]! + d - 1}]`).join('') + '=';
  }
  let index = 0;
  const level = (depth: number): string => {
    const parts: string[] = [];
    for (let i = 0; i < array.dims[depth]!; i++) {
      if (depth + 1 < array.dims.length) parts.push(level(depth + 1));
      else {
        const value = array.elements[index++];
        parts.push(value === null || value === undefined ? 'NULL' : quoteArrayElement(element.formatText(value, settings)));
      }
    }
    return '{' + parts.join(',') + '}';
  };
  return prefix + level(0);
}

export function encodeArrayBinary(array: PgArray, element: PgType): Uint8Array {
  const writer = new BinaryWriter();
  const hasNull = array.elements.some((e) => e === null || e === undefined);
  writer.int32(array.dims.length).int32(hasNull ? 1 : 0).uint32(element.oid);
  array.dims.forEach((d, i) => writer.int32(d).int32(array.lowerBounds[i]!));
  for (const value of array.elements) {
    if (value === null || value === undefined) writer.int32(-1);
    else {
      const data = element.encodeBinary(value);
      writer.int32(data.length).bytes(data);
    }
  }
  return writer.result();
}

export function decodeArrayBinary(data: Uint8Array, element: PgType, typmod: number): PgArray {
  const reader = new BinaryReader(data);
  const ndim = reader.int32();
  const flags = reader.int32();
  const elementOid = reader.uint32();
  if (ndim < 0 || ndim > arrayLimits.dimensionsMax) throw invalidBinary(`invalid number of dimensions: ${ndim}`);
  if (flags !== 0 && flags !== 1) throw invalidBinary('invalid array flags');
  if (elementOid !== element.oid) throw invalidBinary(`binary data has array element type ${elementOid} instead of expected ${element.oid}`);
  const dims: number[] = [];
  const lowerBounds: number[] = [];
  let count = ndim === 0 ? 0 : 1;
  for (let i = 0; i < ndim; i++) {
    dims.push(reader.int32());
    lowerBounds.push(reader.int32());
    count *= dims[i]!;
  }
  const elements: Value[] = [];
  for (let i = 0; i < count; i++) {
    const length = reader.int32();
    elements.push(length < 0 ? null : element.decodeBinary(reader.bytes(length), typmod));
  }
  if (!reader.atEnd()) throw invalidBinary('incorrect binary data format in array');
  if (count === 0) return { elements, dims: [], lowerBounds: [] };
  return { elements, dims, lowerBounds };
}

/** array_cmp: element-wise (NULL greater than any value), then element count, ndims, dims, bounds. */
export function compareArrays(a: PgArray, b: PgArray, element: PgType): number {
  const shared = Math.min(a.elements.length, b.elements.length);
  for (let i = 0; i < shared; i++) {
    const x = a.elements[i];
    const y = b.elements[i];
    const xNull = x === null || x === undefined;
    const yNull = y === null || y === undefined;
    if (xNull || yNull) {
      if (xNull !== yNull) return xNull ? 1 : -1;
      continue;
    }
    const result = element.compare(x, y);
    if (result !== 0) return result;
  }
  if (a.elements.length !== b.elements.length) return a.elements.length < b.elements.length ? -1 : 1;
  if (a.dims.length !== b.dims.length) return a.dims.length < b.dims.length ? -1 : 1;
  for (let i = 0; i < a.dims.length; i++) if (a.dims[i] !== b.dims[i]) return a.dims[i]! < b.dims[i]! ? -1 : 1;
  for (let i = 0; i < a.dims.length; i++) {
    if (a.lowerBounds[i] !== b.lowerBounds[i]) return a.lowerBounds[i]! < b.lowerBounds[i]! ? -1 : 1;
  }
  return 0;
}

const elementMarker = { end: 0, value: 1, null: 2 } as const;

export function arrayTypeOf(element: PgType): PgType {
  const arrayType: PgType = {
    oid: element.arrayOid,
    name: '_' + element.name,
    length: -1,
    category: 'A',
    preferred: false,
    arrayOid: 0,
    element,
    parseText: (text: string, typmod: number, settings: FormatSettings) => parseArrayText(text, element, typmod, settings),
    formatText: (value: Value, settings: FormatSettings) => formatArrayText(value as PgArray, element, settings),
    decodeBinary: (data: Uint8Array, typmod: number) => decodeArrayBinary(data, element, typmod),
    encodeBinary: (value: Value) => encodeArrayBinary(value as PgArray, element),
    applyTypmod: (value: Value, typmod: number, explicitCast: boolean) => {
      if (typmod < 0) return value;
      const array = value as PgArray;
      return { ...array, elements: array.elements.map((e) => (e === null ? null : element.applyTypmod(e, typmod, explicitCast))) };
    },
    compare: (a: Value, b: Value) => compareArrays(a as PgArray, b as PgArray, element),
    hash: (value: Value) => {
      let hash = 1;
      for (const e of (value as PgArray).elements) hash = combineHashes(hash, e === null ? 0 : element.hash(e));
      return hash;
    },
    encodeKey: (value: Value, out: KeyWriter) => {
      const array = value as PgArray;
      for (const e of array.elements) {
        if (e === null || e === undefined) out.byte(elementMarker.null);
        else {
          out.byte(elementMarker.value);
          element.encodeKey(e, out);
        }
      }
      out.byte(elementMarker.end);
      out.byte(array.dims.length);
      for (const d of array.dims) writeSignedInt(out, d, 4);
      for (const lb of array.lowerBounds) writeSignedInt(out, lb, 4);
    },
    decodeKey: (input: KeyReader) => {
      const elements: Value[] = [];
      for (;;) {
        const marker = readByte(input);
        if (marker === elementMarker.end) break;
        elements.push(marker === elementMarker.null ? null : element.decodeKey(input));
      }
      const ndim = readByte(input);
      const dims: number[] = [];
      const lowerBounds: number[] = [];
      for (let i = 0; i < ndim; i++) dims.push(readSignedInt(input, 4) as number);
      for (let i = 0; i < ndim; i++) lowerBounds.push(readSignedInt(input, 4) as number);
      return { elements, dims, lowerBounds };
    },
  };
  return arrayType;
}
