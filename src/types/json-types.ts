// json (text as entered, validated) and jsonb (normalised JsonbValue) descriptors.
import type { KeyReader, KeyWriter, PgType, Value } from './api.js';
import { invalidBinary } from './errors.js';
import { hashString } from './hash.js';
import {
  compareCodePoints, readByte, readEscapedBytes, readSignedInt, utf8Decode, utf8Encode, writeEscapedBytes, writeSignedInt,
} from './key-bytes.js';
import { JsonNull, JsonbObject, compareJsonb, formatJsonb, parseJson, type JsonbValue } from './jsonb-value.js';
import { Numeric } from './numeric.js';
import { numericType } from './numeric-type.js';
import { TypeOid } from './oids.js';

export const jsonType: PgType = {
  oid: TypeOid.json,
  name: 'json',
  length: -1,
  category: 'U',
  preferred: false,
  arrayOid: TypeOid._json,
  parseText: (text: string) => {
    parseJson(text, false);
    return text;
  },
  formatText: (value: Value) => value as string,
  decodeBinary: (data: Uint8Array) => {
    const text = utf8Decode(data);
    parseJson(text, false);
    return text;
  },
  encodeBinary: (value: Value) => utf8Encode(value as string),
  applyTypmod: (value: Value) => value,
  // json has no btree opclass in PostgreSQL; text order serves DISTINCT-free internal uses.
  compare: (a: Value, b: Value) => compareCodePoints(a as string, b as string),
  hash: (value: Value) => hashString(value as string),
  encodeKey: (value: Value, out: KeyWriter) => writeEscapedBytes(out, utf8Encode(value as string)),
  decodeKey: (input: KeyReader) => utf8Decode(readEscapedBytes(input)),
};

/** Canonical text with numbers normalised, so values equal under compareJsonb hash equal. */
function canonical(value: JsonbValue): string {
  if (value instanceof Numeric) return value.normalizedString();
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  if (value instanceof JsonbObject) return '{' + value.entries.map(([k, v]) => JSON.stringify(k) + ':' + canonical(v)).join(',') + '}';
  return formatJsonb(value);
}

const tag = { null: 1, string: 2, number: 3, boolean: 4, array: 5, object: 6 } as const;
const topTag = { arrayLike: 1, object: 2 } as const;

/** Nested values: type tag (jsonb's type order) then content; containers lead with their size. */
function encodeNested(value: JsonbValue, out: KeyWriter): void {
  if (value === JsonNull) return out.byte(tag.null);
  if (typeof value === 'string') {
    out.byte(tag.string);
    return writeEscapedBytes(out, utf8Encode(value));
  }
  if (value instanceof Numeric) {
    out.byte(tag.number);
    return numericType.encodeKey(value, out);
  }
  if (typeof value === 'boolean') {
    out.byte(tag.boolean);
    return out.byte(value ? 1 : 0);
  }
  if (Array.isArray(value)) {
    out.byte(tag.array);
    writeSignedInt(out, value.length, 4);
    for (const element of value) encodeNested(element, out);
    return;
  }
  const object = value as JsonbObject;
  out.byte(tag.object);
  writeSignedInt(out, object.size, 4);
  for (const [key, element] of object.entries) {
    writeEscapedBytes(out, utf8Encode(key));
    encodeNested(element, out);
  }
}

function decodeNested(input: KeyReader): JsonbValue {
  const kind = readByte(input);
  switch (kind) {
    case tag.null:
      return JsonNull;
    case tag.string:
      return utf8Decode(readEscapedBytes(input));
    case tag.number:
      return numericType.decodeKey(input) as Numeric;
    case tag.boolean:
      return readByte(input) !== 0;
    case tag.array: {
      const count = readSignedInt(input, 4) as number;
      return Array.from({ length: count }, () => decodeNested(input));
    }
    default: {
      const count = readSignedInt(input, 4) as number;
      const entries: [string, JsonbValue][] = [];
      for (let i = 0; i < count; i++) entries.push([utf8Decode(readEscapedBytes(input)), decodeNested(input)]);
      return new JsonbObject(entries);
    }
  }
}

export const jsonbType: PgType = {
  oid: TypeOid.jsonb,
  name: 'jsonb',
  length: -1,
  category: 'U',
  preferred: false,
  arrayOid: TypeOid._jsonb,
  parseText: (text: string) => parseJson(text, true),
  formatText: (value: Value) => formatJsonb(value as JsonbValue),
  decodeBinary: (data: Uint8Array) => {
    if (data[0] !== 1) throw invalidBinary(`unsupported jsonb version number ${data[0]}`);
    return parseJson(utf8Decode(data.subarray(1)), true);
  },
  encodeBinary: (value: Value) => {
    const text = utf8Encode(formatJsonb(value as JsonbValue));
    const data = new Uint8Array(text.length + 1);
    data[0] = 1; // jsonb binary format version
    data.set(text, 1);
    return data;
  },
  applyTypmod: (value: Value) => value,
  compare: (a: Value, b: Value) => compareJsonb(a as JsonbValue, b as JsonbValue),
  hash: (value: Value) => hashString(canonical(value as JsonbValue)),
  // Top level: objects after arrays and scalars; a scalar is a one-element raw-scalar array.
  encodeKey: (value: Value, out: KeyWriter) => {
    const json = value as JsonbValue;
    if (json instanceof JsonbObject) {
      out.byte(topTag.object);
      return encodeNested(json, out);
    }
    out.byte(topTag.arrayLike);
    const elements = Array.isArray(json) ? json : [json];
    writeSignedInt(out, elements.length, 4);
    out.byte(Array.isArray(json) ? 1 : 0);
    for (const element of elements) encodeNested(element, out);
  },
  decodeKey: (input: KeyReader) => {
    if (readByte(input) === topTag.object) return decodeNested(input);
    const count = readSignedInt(input, 4) as number;
    const isArray = readByte(input) === 1;
    const elements = Array.from({ length: count }, () => decodeNested(input));
    return isArray ? elements : elements[0]!;
  },
};

