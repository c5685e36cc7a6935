// float4 and float8: input like float8in/float4in (22P02, 22003 for over/underflow), output
// like float8out: shortest round-trip digits when extra_float_digits ≥ 1, else %.{15|6 + efd}g.
import type { FormatSettings, KeyReader, KeyWriter, PgType, Value } from './api.js';
import { expectLength, fixedBytes } from './binary.js';
import { invalidInput } from './errors.js';
import { hashNumber } from './hash.js';
import { readFloat, writeFloat } from './key-bytes.js';
import { formatFloatG } from './numeric.js';
import { TypeOid } from './oids.js';
import { SqlError, SqlState } from '../util/errors.js';

const decimalPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** C99 hexadecimal floats, which strtod (and so float8in) accepts: 0x1.8p3. */
const hexPattern = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;

function hexFloat(match: RegExpExecArray): number {
  const integer = match[2] ?? '';
  const fraction = match[3] ?? '';
  if (integer.length + fraction.length === 0) return NaN;
  const mantissa = Number(BigInt('0x' + (integer + fraction || '0')));
  const exponent = Number(match[4] ?? 0) - 4 * fraction.length;
  const value = mantissa * 2 ** exponent;
  return match[1] === '-' ? -value : value;
}

const specialValues: Record<string, number> = {
  nan: NaN,
  '+nan': NaN,
  '-nan': NaN,
  infinity: Infinity,
  '+infinity': Infinity,
  '-infinity': -Infinity,
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
};

function parseFloatText(text: string, sqlName: string, single: boolean): number {
  const trimmed = text.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '');
  const special = specialValues[trimmed.toLowerCase()];
  if (special !== undefined) return special;
  const hexMatch = hexPattern.exec(trimmed);
  const hex = hexMatch && (hexMatch[2] || hexMatch[3]) ? hexMatch : null;
  if (!decimalPattern.test(trimmed) && !hex) throw invalidInput(sqlName, text);
  const double = hex ? hexFloat(hex) : Number(trimmed);
  const value = single ? Math.fround(double) : double;
  const mantissaIsZero = hex ? !/[1-9a-fA-F]/.test((hex[2] ?? '') + (hex[3] ?? '')) : !/[1-9]/.test(trimmed.replace(/[eE].*$/, ''));
  if (!Number.isFinite(value) || (value === 0 && !mantissaIsZero)) {
    throw new SqlError(SqlState.numericValueOutOfRange, `"${trimmed}" is out of range for type ${sqlName}`);
  }
  return value;
}

/** Shortest decimal that reads back as the same float4. */
function shortestFloat4Digits(value: number): string {
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = value.toExponential(precision - 1);
    if (Math.fround(Number(candidate)) === value) return candidate;
  }
  return value.toExponential(8);
}

/** Ryu-style output as PostgreSQL's float[48]_to_shortest_decimal: fixed for -4 ≤ exp < 15 (6 for float4). */
function formatShortest(value: number, single: boolean): string {
  const exponential = single ? shortestFloat4Digits(value) : value.toExponential();
  const [mantissa, exponentText] = exponential.split('e') as [string, string];
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent >= -4 && exponent < (single ? 6 : 15)) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    if (digits.length <= exponent + 1) return sign + digits + '0'.repeat(exponent + 1 - digits.length);
    return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  }
  const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
  const exponentSign = exponent < 0 ? '-' : '+';
  return `${sign}${digits[0]}${fraction}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

export function formatFloat(value: number, single: boolean, extraFloatDigits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (extraFloatDigits > 0) {
    if (value === 0) return Object.is(value, -0) ? '-0' : '0';
    return formatShortest(value, single);
  }
  return formatFloatG(value, Math.max(1, (single ? 6 : 15) + extraFloatDigits));
}

export function compareFloats(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function floatType(single: boolean): PgType {
  const width = single ? 4 : 8;
  const sqlName = single ? 'real' : 'double precision';
  const name = single ? 'float4' : 'float8';
  return {
    oid: single ? TypeOid.float4 : TypeOid.float8,
    name,
    length: width,
    category: 'N',
    preferred: !single,
    arrayOid: single ? TypeOid._float4 : TypeOid._float8,
    parseText: (text: string) => parseFloatText(text, sqlName, single),
    formatText: (value: Value, settings: FormatSettings) => formatFloat(value as number, single, settings.extraFloatDigits),
    decodeBinary: (data: Uint8Array) => {
      const view = expectLength(data, width, name);
      return single ? view.getFloat32(0) : view.getFloat64(0);
    },
    encodeBinary: (value: Value) =>
      fixedBytes(width, (view) => (single ? view.setFloat32(0, value as number) : view.setFloat64(0, value as number))),
    applyTypmod: (value: Value) => value,
    compare: (a: Value, b: Value) => compareFloats(a as number, b as number),
    hash: (value: Value) => hashNumber(value as number),
    encodeKey: (value: Value, out: KeyWriter) => writeFloat(out, value as number),
    decodeKey: (input: KeyReader) => readFloat(input),
  };
}

export const float4Type = floatType(true);
export const float8Type = floatType(false);
