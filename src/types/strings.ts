// text, varchar(n), bpchar (char(n)), name and "char". C collation: order is UTF-8 byte order.
// bpchar compares and hashes without trailing spaces, as bpcharcmp does.
import type { KeyReader, KeyWriter, PgType, Value } from './api.js';
import { SqlError, SqlState } from '../util/errors.js';
import { hashString } from './hash.js';
import { compareCodePoints, readEscapedBytes, utf8Decode, utf8Encode, writeEscapedBytes, readByte } from './key-bytes.js';
import { TypeOid } from './oids.js';
import { limits } from '../util/limits.js';

const VARHDRSZ = 4;

export function characterLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff) count++;
  }
  return count;
}

/** First `count` characters (code points). */
function leadingCharacters(text: string, count: number): string {
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff) {
      if (seen === count) return text.slice(0, i);
      seen++;
    }
  }
  return text;
}

export function trimTrailingSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** varchar(n)/char(n) length check: excess must be spaces unless the cast is explicit (then truncated). */
function fitLength(text: string, maxLength: number, explicitCast: boolean, sqlName: string): string {
  if (characterLength(text) <= maxLength) return text;
  const kept = leadingCharacters(text, maxLength);
  if (!explicitCast && /[^ ]/.test(text.slice(kept.length))) {
    throw new SqlError(SqlState.stringDataRightTruncation, `value too long for type ${sqlName}(${maxLength})`);
  }
  return kept;
}

function checkText(text: string): string {
  if (text.includes('\0')) {
    throw new SqlError(SqlState.characterNotInRepertoire, 'invalid byte sequence for encoding "UTF8": 0x00');
  }
  return text;
}

function stringType(oid: number, name: string, arrayOid: number, preferred: boolean, fields: Partial<PgType> = {}): PgType {
  return {
    oid,
    name,
    length: -1,
    category: 'S',
    preferred,
    arrayOid,
    parseText: (text: string) => checkText(text),
    formatText: (value: Value) => value as string,
    decodeBinary: (data: Uint8Array) => checkText(utf8Decode(data)),
    encodeBinary: (value: Value) => utf8Encode(value as string),
    applyTypmod: (value: Value) => value,
    compare: (a: Value, b: Value) => compareCodePoints(a as string, b as string),
    hash: (value: Value) => hashString(value as string),
    encodeKey: (value: Value, out: KeyWriter) => writeEscapedBytes(out, utf8Encode(value as string)),
    decodeKey: (input: KeyReader) => utf8Decode(readEscapedBytes(input)),
    ...fields,
  };
}

export const textType = stringType(TypeOid.text, 'text', TypeOid._text, true);

function varcharTypmod(value: Value, typmod: number, explicitCast: boolean): Value {
  if (typmod < VARHDRSZ) return value;
  return fitLength(value as string, typmod - VARHDRSZ, explicitCast, 'character varying');
}

export const varcharType = stringType(TypeOid.varchar, 'varchar', TypeOid._varchar, false, {
  parseText: (text: string, typmod: number) => varcharTypmod(checkText(text), typmod, false),
  applyTypmod: varcharTypmod,
});

function bpcharTypmod(value: Value, typmod: number, explicitCast: boolean): Value {
  if (typmod < VARHDRSZ) return value;
  const length = typmod - VARHDRSZ;
  const fitted = fitLength(value as string, length, explicitCast, 'character');
  const missing = length - characterLength(fitted);
  return missing > 0 ? fitted + ' '.repeat(missing) : fitted;
}

export const bpcharType = stringType(TypeOid.bpchar, 'bpchar', TypeOid._bpchar, false, {
  parseText: (text: string, typmod: number) => bpcharTypmod(checkText(text), typmod, false),
  applyTypmod: bpcharTypmod,
  compare: (a: Value, b: Value) => compareCodePoints(trimTrailingSpaces(a as string), trimTrailingSpaces(b as string)),
  hash: (value: Value) => hashString(trimTrailingSpaces(value as string)),
  encodeKey: (value: Value, out: KeyWriter) => writeEscapedBytes(out, utf8Encode(trimTrailingSpaces(value as string))),
});

/** name keeps at most NAMEDATALEN-1 (63) bytes, cut on a character boundary. */
export function truncateName(text: string): string {
  const bytes = utf8Encode(text);
  if (bytes.length <= limits.identifierLengthMax) return text;
  let end = limits.identifierLengthMax;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return utf8Decode(bytes.subarray(0, end));
}

export const nameType = stringType(TypeOid.name, 'name', TypeOid._name, false, {
  length: 64,
  parseText: (text: string) => truncateName(checkText(text)),
  decodeBinary: (data: Uint8Array) => truncateName(checkText(utf8Decode(data))),
});

/** "char": one byte; text form is the character, or \ooo for bytes ≥ 128, '' for 0. */
export const charType: PgType = {
  oid: TypeOid.char,
  name: 'char',
  length: 1,
  category: 'Z',
  preferred: false,
  arrayOid: TypeOid._char,
  parseText: (text: string) => {
    if (/^\\[0-3][0-7][0-7]$/.test(text)) return String.fromCharCode(parseInt(text.slice(1), 8));
    return text.length === 0 ? '' : text[0]!;
  },
  formatText: (value: Value) => {
    const text = value as string;
    if (text.length === 0) return '';
    const code = text.charCodeAt(0);
    return code >= 128 ? '\\' + code.toString(8).padStart(3, '0') : text;
  },
  decodeBinary: (data: Uint8Array) => (data.length === 0 || data[0] === 0 ? '' : String.fromCharCode(data[0]!)),
  encodeBinary: (value: Value) => Uint8Array.of((value as string).length === 0 ? 0 : (value as string).charCodeAt(0) & 0xff),
  applyTypmod: (value: Value) => value,
  compare: (a: Value, b: Value) => {
    const x = (a as string).length === 0 ? 0 : (a as string).charCodeAt(0);
    const y = (b as string).length === 0 ? 0 : (b as string).charCodeAt(0);
    return x - y;
  },
  hash: (value: Value) => hashString(value as string),
  encodeKey: (value: Value, out: KeyWriter) => out.byte((value as string).length === 0 ? 0 : (value as string).charCodeAt(0) & 0xff),
  decodeKey: (input: KeyReader) => {
    const b = readByte(input);
    return b === 0 ? '' : String.fromCharCode(b);
  },
};
