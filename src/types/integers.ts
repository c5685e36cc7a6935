// int2, int4, int8 and oid: input/output like pg_strtoint*/int8in/oidin, binary big-endian.
import type { FormatSettings, KeyReader, KeyWriter, PgType, Value } from './api.js';
import { expectLength, fixedBytes } from './binary.js';
import { invalidInput, valueOutOfRange } from './errors.js';
import { hashBigInt, hashNumber } from './hash.js';
import { readBytes, readSignedInt, writeSignedInt } from './key-bytes.js';
import { TypeOid } from './oids.js';

const integerPattern = /^[ \t\n\r\f\v]*([+-]?)0*(\d+)[ \t\n\r\f\v]*$/;

export const int2Range = { min: -32768, max: 32767 } as const;
export const int4Range = { min: -2147483648, max: 2147483647 } as const;
export const int8Range = { min: -9223372036854775808n, max: 9223372036854775807n } as const;

function parseInteger(text: string, sqlName: string, min: bigint, max: bigint): bigint {
  const match = integerPattern.exec(text);
  if (!match) throw invalidInput(sqlName, text);
  if (match[2]!.length > 25) throw valueOutOfRange(sqlName, text);
  const value = BigInt(match[1] + match[2]!);
  if (value < min || value > max) throw valueOutOfRange(sqlName, text);
  return value;
}

function compareNumbers(a: Value, b: Value): number {
  const x = a as number;
  const y = b as number;
  return x < y ? -1 : x > y ? 1 : 0;
}

function smallIntegerType(
  oid: number,
  name: string,
  sqlName: string,
  width: 2 | 4,
  arrayOid: number,
  range: { min: number; max: number },
): PgType {
  return {
    oid,
    name,
    length: width,
    category: 'N',
    preferred: false,
    arrayOid,
    parseText: (text: string) => Number(parseInteger(text, sqlName, BigInt(range.min), BigInt(range.max))),
    formatText: (value: Value) => String(value),
    decodeBinary: (data: Uint8Array) => {
      const view = expectLength(data, width, name);
      return width === 2 ? view.getInt16(0) : view.getInt32(0);
    },
    encodeBinary: (value: Value) =>
      fixedBytes(width, (view) => (width === 2 ? view.setInt16(0, value as number) : view.setInt32(0, value as number))),
    applyTypmod: (value: Value) => value,
    compare: compareNumbers,
    hash: (value: Value) => hashNumber(value as number),
    encodeKey: (value: Value, out: KeyWriter) => writeSignedInt(out, value as number, width),
    decodeKey: (input: KeyReader) => readSignedInt(input, width) as number,
  };
}

export const int2Type = smallIntegerType(TypeOid.int2, 'int2', 'smallint', 2, TypeOid._int2, int2Range);
export const int4Type: PgType = { ...smallIntegerType(TypeOid.int4, 'int4', 'integer', 4, TypeOid._int4, int4Range) };

export const int8Type: PgType = {
  oid: TypeOid.int8,
  name: 'int8',
  length: 8,
  category: 'N',
  preferred: false,
  arrayOid: TypeOid._int8,
  parseText: (text: string) => parseInteger(text, 'bigint', int8Range.min, int8Range.max),
  formatText: (value: Value) => String(value),
  decodeBinary: (data: Uint8Array) => expectLength(data, 8, 'int8').getBigInt64(0),
  encodeBinary: (value: Value) => fixedBytes(8, (view) => view.setBigInt64(0, value as bigint)),
  applyTypmod: (value: Value) => value,
  compare: (a: Value, b: Value) => ((a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0),
  hash: (value: Value) => hashBigInt(value as bigint),
  encodeKey: (value: Value, out: KeyWriter) => writeSignedInt(out, value as bigint, 8),
  decodeKey: (input: KeyReader) => readSignedInt(input, 8) as bigint,
};

/** oidin accepts -2147483648…4294967295 (negative values wrap, as strtoul does). */
export const oidType: PgType = {
  oid: TypeOid.oid,
  name: 'oid',
  length: 4,
  category: 'N',
  preferred: false,
  arrayOid: TypeOid._oid,
  parseText: (text: string, _typmod: number, _settings: FormatSettings) => {
    const value = parseInteger(text, 'oid', -2147483648n, 4294967295n);
    return Number(value < 0n ? value + 4294967296n : value);
  },
  formatText: (value: Value) => String(value),
  decodeBinary: (data: Uint8Array) => expectLength(data, 4, 'oid').getUint32(0),
  encodeBinary: (value: Value) => fixedBytes(4, (view) => view.setUint32(0, value as number)),
  applyTypmod: (value: Value) => value,
  compare: compareNumbers,
  hash: (value: Value) => hashNumber(value as number),
  encodeKey: (value: Value, out: KeyWriter) => {
    const data = new Uint8Array(4);
    new DataView(data.buffer).setUint32(0, value as number);
    out.bytes(data);
  },
  decodeKey: (input: KeyReader) => {
    const data = readBytes(input, 4);
    return new DataView(data.buffer, data.byteOffset, 4).getUint32(0);
  },
};
