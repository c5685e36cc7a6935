// bool (boolin's accepted spellings, 't'/'f' output) and bytea (hex and escape text formats).
import type { FormatSettings, KeyReader, KeyWriter, PgType, Value } from './api.js';
import { SqlError, SqlState } from '../util/errors.js';
import { expectLength } from './binary.js';
import { invalidInput } from './errors.js';
import { hashBytes } from './hash.js';
import { readByte, readEscapedBytes, writeEscapedBytes } from './key-bytes.js';
import { TypeOid } from './oids.js';

const trueWords = ['true', 'yes', 'on', '1'];
const falseWords = ['false', 'no', 'off', '0'];

/** boolin: case-insensitive unique prefixes of true/false/yes/no, 'on'/'off' (≥ 2 letters), 1/0. */
export function parseBool(text: string): boolean | undefined {
  const word = text.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '').toLowerCase();
  if (word.length === 0) return undefined;
  const matches = (candidates: string[]) =>
    candidates.some((candidate) => candidate.startsWith(word) && (candidate.length <= 3 && candidate[0] === 'o' ? word.length >= 2 : true));
  if (matches(trueWords)) return true;
  if (matches(falseWords)) return false;
  return undefined;
}

export const boolType: PgType = {
  oid: TypeOid.bool,
  name: 'bool',
  length: 1,
  category: 'B',
  preferred: true,
  arrayOid: TypeOid._bool,
  parseText: (text: string) => {
    const value = parseBool(text);
    if (value === undefined) throw invalidInput('boolean', text);
    return value;
  },
  formatText: (value: Value) => (value ? 't' : 'f'),
  decodeBinary: (data: Uint8Array) => expectLength(data, 1, 'bool').getUint8(0) !== 0,
  encodeBinary: (value: Value) => Uint8Array.of(value ? 1 : 0),
  applyTypmod: (value: Value) => value,
  compare: (a: Value, b: Value) => Number(a) - Number(b),
  hash: (value: Value) => (value ? 1 : 0),
  encodeKey: (value: Value, out: KeyWriter) => out.byte(value ? 1 : 0),
  decodeKey: (input: KeyReader) => readByte(input) !== 0,
};

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

export function parseBytea(text: string): Uint8Array {
  if (text.startsWith('\\x')) {
    const out: number[] = [];
    let i = 2;
    while (i < text.length) {
      if (isSpace(text.charCodeAt(i))) {
        i++;
        continue;
      }
      const high = hexValue(text.charCodeAt(i));
      if (high < 0) throw new SqlError(SqlState.invalidParameterValue, `invalid hexadecimal digit: "${text[i]}"`);
      if (i + 1 >= text.length) {
        throw new SqlError(SqlState.invalidParameterValue, 'invalid hexadecimal data: odd number of digits');
      }
      const low = hexValue(text.charCodeAt(i + 1));
      if (low < 0) throw new SqlError(SqlState.invalidParameterValue, `invalid hexadecimal digit: "${text[i + 1]}"`);
      out.push(high * 16 + low);
      i += 2;
    }
    return Uint8Array.from(out);
  }
  const out: number[] = [];
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b !== 92) {
      out.push(b);
      i++;
    } else if (bytes[i + 1] === 92) {
      out.push(92);
      i += 2;
    } else if (
      i + 3 < bytes.length + 0 &&
      bytes[i + 1]! >= 48 && bytes[i + 1]! <= 51 &&
      bytes[i + 2]! >= 48 && bytes[i + 2]! <= 55 &&
      bytes[i + 3]! >= 48 && bytes[i + 3]! <= 55
    ) {
      out.push((bytes[i + 1]! - 48) * 64 + (bytes[i + 2]! - 48) * 8 + (bytes[i + 3]! - 48));
      i += 4;
    } else {
      throw new SqlError(SqlState.invalidTextRepresentation, 'invalid input syntax for type bytea');
    }
  }
  return Uint8Array.from(out);
}

export function formatBytea(data: Uint8Array, settings: FormatSettings): string {
  if (settings.byteaOutput === 'escape') {
    let text = '';
    for (const b of data) {
      if (b === 92) text += '\\\\';
      else if (b < 32 || b > 126) text += '\\' + b.toString(8).padStart(3, '0');
      else text += String.fromCharCode(b);
    }
    return text;
  }
  return '\\x' + Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

export const byteaType: PgType = {
  oid: TypeOid.bytea,
  name: 'bytea',
  length: -1,
  category: 'U',
  preferred: false,
  arrayOid: TypeOid._bytea,
  parseText: (text: string) => parseBytea(text),
  formatText: (value: Value, settings: FormatSettings) => formatBytea(value as Uint8Array, settings),
  decodeBinary: (data: Uint8Array) => data.slice(),
  encodeBinary: (value: Value) => value as Uint8Array,
  applyTypmod: (value: Value) => value,
  compare: (a: Value, b: Value) => compareBytes(a as Uint8Array, b as Uint8Array),
  hash: (value: Value) => hashBytes(value as Uint8Array),
  encodeKey: (value: Value, out: KeyWriter) => writeEscapedBytes(out, value as Uint8Array),
  decodeKey: (input: KeyReader) => readEscapedBytes(input),
};
