// The numeric type descriptor: text I/O through Numeric, binary as PostgreSQL's base-10000
// NumericVar (ndigits, weight, sign, dscale, digits), typmod numeric(p,s).
import type { KeyReader, KeyWriter, PgType, Value } from './api.js';
import { BinaryReader, BinaryWriter } from './binary.js';
import { invalidBinary } from './errors.js';
import { hashBigInt, hashString } from './hash.js';
import { readByte, readBytes, writeSignedInt, readSignedInt } from './key-bytes.js';
import { Numeric } from './numeric.js';
import { TypeOid } from './oids.js';

const VARHDRSZ = 4;

export function numericTypmod(precision: number, scale: number): number {
  return ((precision << 16) | (scale & 0x7ff)) + VARHDRSZ;
}

export function numericTypmodPrecision(typmod: number): number {
  return ((typmod - VARHDRSZ) >> 16) & 0xffff;
}

export function numericTypmodScale(typmod: number): number {
  return ((((typmod - VARHDRSZ) & 0x7ff) ^ 1024) - 1024);
}

const signBits = { positive: 0x0000, negative: 0x4000, nan: 0xc000, pinf: 0xd000, ninf: 0xf000 } as const;

const keyTag = { negativeInfinity: 1, negative: 2, zero: 3, positive: 4, infinity: 5, nan: 6 } as const;

function applyNumericTypmod(value: Value, typmod: number): Value {
  if (typmod < VARHDRSZ) return value;
  return (value as Numeric).applyPrecisionScale(numericTypmodPrecision(typmod), numericTypmodScale(typmod));
}

function encodeNumericKey(value: Numeric, out: KeyWriter): void {
  if (value.kind === 'nan') return out.byte(keyTag.nan);
  if (value.kind === 'pinf') return out.byte(keyTag.infinity);
  if (value.kind === 'ninf') return out.byte(keyTag.negativeInfinity);
  if (value.coefficient === 0n) return out.byte(keyTag.zero);
  const negative = value.coefficient < 0n;
  let digits = (negative ? -value.coefficient : value.coefficient).toString();
  const exponent = digits.length - value.scale; // value = 0.digits × 10^exponent
  digits = digits.replace(/0+$/, '');
  out.byte(negative ? keyTag.negative : keyTag.positive);
  const encoded: number[] = [];
  for (let i = 0; i < digits.length; i += 2) {
    const pair = (digits.charCodeAt(i) - 48) * 10 + (i + 1 < digits.length ? digits.charCodeAt(i + 1) - 48 : 0);
    encoded.push(pair + 1); // 1…100; 0 terminates
  }
  encoded.push(0);
  const exponentBytes: number[] = [];
  writeSignedInt({ byte: (b) => exponentBytes.push(b), bytes: (d) => exponentBytes.push(...d) }, exponent, 4);
  const all = Uint8Array.from([...exponentBytes, ...encoded]);
  if (negative) for (let i = 0; i < all.length; i++) all[i] = ~all[i]! & 0xff;
  out.bytes(all);
}

function decodeNumericKey(input: KeyReader): Numeric {
  const tag = readByte(input);
  switch (tag) {
    case keyTag.nan:
      return Numeric.NaN;
    case keyTag.infinity:
      return Numeric.Infinity;
    case keyTag.negativeInfinity:
      return Numeric.NegativeInfinity;
    case keyTag.zero:
      return Numeric.zero;
  }
  const negative = tag === keyTag.negative;
  const flip = (b: number) => (negative ? ~b & 0xff : b);
  const exponentBytes = Uint8Array.from(readBytes(input, 4), flip);
  const exponent = readSignedInt({ buffer: exponentBytes, offset: 0 }, 4) as number;
  let digits = '';
  for (;;) {
    const b = flip(readByte(input));
    if (b === 0) break;
    digits += String(b - 1).padStart(2, '0');
  }
  digits = digits.replace(/0+$/, '');
  const coefficient = BigInt(digits) * (negative ? -1n : 1n);
  return Numeric.of(coefficient, digits.length - exponent);
}

export const numericType: PgType = {
  oid: TypeOid.numeric,
  name: 'numeric',
  length: -1,
  category: 'N',
  preferred: false,
  arrayOid: TypeOid._numeric,
  parseText: (text: string, typmod: number) => applyNumericTypmod(Numeric.parse(text), typmod),
  formatText: (value: Value) => (value as Numeric).toString(),
  decodeBinary: (data: Uint8Array, typmod: number) => {
    const reader = new BinaryReader(data);
    const ndigits = reader.int16();
    const weight = reader.int16();
    const sign = reader.uint16();
    const dscale = reader.int16();
    if (sign === signBits.nan) return Numeric.NaN;
    if (sign === signBits.pinf) return Numeric.Infinity;
    if (sign === signBits.ninf) return Numeric.NegativeInfinity;
    if ((sign !== signBits.positive && sign !== signBits.negative) || ndigits < 0 || dscale < 0) {
      throw invalidBinary('invalid sign in external "numeric" value');
    }
    const digits: number[] = [];
    for (let i = 0; i < ndigits; i++) {
      const digit = reader.int16();
      if (digit < 0 || digit >= 10000) throw invalidBinary('invalid digit in external "numeric" value');
      digits.push(digit);
    }
    return applyNumericTypmod(Numeric.fromBase10000(sign === signBits.negative, weight, digits, dscale), typmod);
  },
  encodeBinary: (value: Value) => {
    const numeric = value as Numeric;
    const writer = new BinaryWriter();
    if (!numeric.isFinite()) {
      const sign = numeric.kind === 'nan' ? signBits.nan : numeric.kind === 'pinf' ? signBits.pinf : signBits.ninf;
      // PostgreSQL sends ±Infinity with dscale 32 (the header bits it reads back as dscale).
      return writer.int16(0).int16(0).uint16(sign).int16(numeric.kind === 'nan' ? 0 : 32).result();
    }
    const { weight, digits } = numeric.toBase10000();
    writer.int16(digits.length).int16(weight);
    writer.uint16(numeric.coefficient < 0n ? signBits.negative : signBits.positive).int16(numeric.scale);
    for (const digit of digits) writer.int16(digit);
    return writer.result();
  },
  applyTypmod: (value: Value, typmod: number) => applyNumericTypmod(value, typmod),
  compare: (a: Value, b: Value) => (a as Numeric).compare(b as Numeric),
  hash: (value: Value) => {
    const numeric = value as Numeric;
    const text = numeric.normalizedString();
    return /^-?\d+$/.test(text) ? hashBigInt(BigInt(text)) : hashString(text);
  },
  encodeKey: (value: Value, out: KeyWriter) => encodeNumericKey(value as Numeric, out),
  decodeKey: (input: KeyReader) => decodeNumericKey(input),
};
