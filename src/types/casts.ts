// Casts as pg_cast defines them for the built-in types: explicit function casts (int ↔ float ↔
// numeric, bool ↔ int4, string types), binary-coercible casts, length coercion (same type with
// a typmod), I/O conversion casts (to string types: assignment; from string types: explicit),
// and array casts through their element cast.
import type { FormatSettings, PgType, Value } from './api.js';
import { SqlError, SqlState } from '../util/errors.js';
import { outOfRange } from './errors.js';
import type { PgArray } from './arrays.js';
import { int2Range, int4Range, int8Range } from './integers.js';
import { Numeric } from './numeric.js';
import { TypeOid } from './oids.js';
import { typeByOid } from './registry.js';
import { trimTrailingSpaces, truncateName } from './strings.js';

export type CastContext = 'implicit' | 'assignment' | 'explicit';

export interface Cast {
  readonly context: CastContext;
  /**
   * Converts a non-null value and applies the target typmod (-1 for none). `explicit` (an
   * additive extension) selects explicit-cast typmod rules: varchar(n)/char(n) truncate silently.
   */
  convert(value: Value, typmod: number, settings: FormatSettings, explicit?: boolean): Value;
}

type Converter = (value: Value, settings: FormatSettings) => Value;

const castTable = new Map<string, { context: CastContext; convert: Converter }>();

/** Adds a pg_cast entry (used by the date/time, json and other type files). */
export function registerCast(from: number, to: number, context: CastContext, convert: Converter): void {
  castTable.set(`${from}:${to}`, { context, convert });
}

const stringTypes = new Set<number>([TypeOid.text, TypeOid.varchar, TypeOid.bpchar, TypeOid.name]);

/** C's rint(): round half to even, as float → int casts do. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const difference = value - floor;
  if (difference < 0.5) return floor;
  if (difference > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

const rangeName = { int2: 'smallint', int4: 'integer', int8: 'bigint' } as const;

export function checkInt2(value: number): number {
  if (!(value >= int2Range.min && value <= int2Range.max)) throw outOfRange(rangeName.int2);
  return value;
}
export function checkInt4(value: number): number {
  if (!(value >= int4Range.min && value <= int4Range.max)) throw outOfRange(rangeName.int4);
  return value;
}
export function checkInt8(value: bigint): bigint {
  if (value < int8Range.min || value > int8Range.max) throw outOfRange(rangeName.int8);
  return value;
}

function floatToInt4(value: number): number {
  const rounded = roundHalfEven(value);
  if (Number.isNaN(rounded)) throw outOfRange(rangeName.int4);
  return checkInt4(rounded);
}
function floatToInt2(value: number): number {
  const rounded = roundHalfEven(value);
  if (Number.isNaN(rounded)) throw outOfRange(rangeName.int2);
  return checkInt2(rounded);
}
function floatToInt8(value: number): bigint {
  const rounded = roundHalfEven(value);
  // FLOAT8_FITS_IN_INT64: -2^63 ≤ x < 2^63.
  if (Number.isNaN(rounded) || rounded < -9223372036854775808 || rounded >= 9223372036854775808) throw outOfRange(rangeName.int8);
  return BigInt(rounded);
}

function numericToInteger(value: Numeric, sqlName: 'smallint' | 'integer' | 'bigint'): bigint {
  if (value.isNaN()) throw new SqlError(SqlState.featureNotSupported, `cannot convert NaN to ${sqlName}`);
  if (value.isInfinite()) throw new SqlError(SqlState.featureNotSupported, `cannot convert infinity to ${sqlName}`);
  const rounded = value.toBigIntRounded()!;
  const limits = sqlName === 'smallint' ? int2Range : sqlName === 'integer' ? int4Range : int8Range;
  if (rounded < BigInt(limits.min) || rounded > BigInt(limits.max)) throw outOfRange(sqlName);
  return rounded;
}

function numericToFloat(value: Numeric, single: boolean): number {
  const text = value.toString();
  const result = single ? Math.fround(value.toNumber()) : value.toNumber();
  if (value.isFinite() && (!Number.isFinite(result) || (result === 0 && value.sign() !== 0))) {
    throw new SqlError(SqlState.numericValueOutOfRange, `"${text}" is out of range for type ${single ? 'real' : 'double precision'}`);
  }
  return result;
}

function float8ToFloat4(value: number): number {
  const result = Math.fround(value);
  if (!Number.isFinite(result) && Number.isFinite(value)) throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
  if (result === 0 && value !== 0) throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: underflow');
  return result;
}

/** "char" holds a signed byte. */
function charToInt(value: string): number {
  const code = value.length === 0 ? 0 : value.charCodeAt(0) & 0xff;
  return code >= 128 ? code - 256 : code;
}

function intToChar(value: number): string {
  if (value < -128 || value > 127) throw new SqlError(SqlState.numericValueOutOfRange, '"char" out of range');
  return value === 0 ? '' : String.fromCharCode(value & 0xff);
}

const T = TypeOid;
const id: Converter = (v) => v;

// Integers and oid.
registerCast(T.int8, T.int2, 'assignment', (v) => checkInt2(Number(v as bigint)));
registerCast(T.int8, T.int4, 'assignment', (v) => checkInt4(Number(v as bigint)));
registerCast(T.int8, T.float4, 'implicit', (v) => Math.fround(Number(v as bigint)));
registerCast(T.int8, T.float8, 'implicit', (v) => Number(v as bigint));
registerCast(T.int8, T.numeric, 'implicit', (v) => Numeric.fromBigInt(v as bigint));
registerCast(T.int8, T.oid, 'implicit', (v) => {
  const x = v as bigint;
  if (x < 0n || x > 4294967295n) throw new SqlError(SqlState.numericValueOutOfRange, 'OID out of range');
  return Number(x);
});
for (const small of [T.int2, T.int4]) {
  registerCast(small, T.int8, 'implicit', (v) => BigInt(v as number));
  registerCast(small, T.float4, 'implicit', (v) => Math.fround(v as number));
  registerCast(small, T.float8, 'implicit', id);
  registerCast(small, T.numeric, 'implicit', (v) => Numeric.fromBigInt(v as number));
  registerCast(small, T.oid, 'implicit', (v) => (v as number) >>> 0);
}
registerCast(T.int2, T.int4, 'implicit', id);
registerCast(T.int4, T.int2, 'assignment', (v) => checkInt2(v as number));
registerCast(T.int4, T.bool, 'explicit', (v) => (v as number) !== 0);
registerCast(T.int4, T.char, 'explicit', (v) => intToChar(v as number));
registerCast(T.bool, T.int4, 'explicit', (v) => (v ? 1 : 0));
registerCast(T.char, T.int4, 'explicit', (v) => charToInt(v as string));
registerCast(T.oid, T.int8, 'assignment', (v) => BigInt(v as number));
registerCast(T.oid, T.int4, 'assignment', (v) => (v as number) | 0);

// Floats and numeric.
registerCast(T.float4, T.int2, 'assignment', (v) => floatToInt2(v as number));
registerCast(T.float4, T.int4, 'assignment', (v) => floatToInt4(v as number));
registerCast(T.float4, T.int8, 'assignment', (v) => floatToInt8(v as number));
registerCast(T.float4, T.float8, 'implicit', id);
registerCast(T.float4, T.numeric, 'assignment', (v) => Numeric.fromFloat(v as number, 6));
registerCast(T.float8, T.int2, 'assignment', (v) => floatToInt2(v as number));
registerCast(T.float8, T.int4, 'assignment', (v) => floatToInt4(v as number));
registerCast(T.float8, T.int8, 'assignment', (v) => floatToInt8(v as number));
registerCast(T.float8, T.float4, 'assignment', (v) => float8ToFloat4(v as number));
registerCast(T.float8, T.numeric, 'assignment', (v) => Numeric.fromFloat(v as number, 15));
registerCast(T.numeric, T.int2, 'assignment', (v) => Number(numericToInteger(v as Numeric, 'smallint')));
registerCast(T.numeric, T.int4, 'assignment', (v) => Number(numericToInteger(v as Numeric, 'integer')));
registerCast(T.numeric, T.int8, 'assignment', (v) => numericToInteger(v as Numeric, 'bigint'));
registerCast(T.numeric, T.float4, 'implicit', (v) => numericToFloat(v as Numeric, true));
registerCast(T.numeric, T.float8, 'implicit', (v) => numericToFloat(v as Numeric, false));

// Booleans print as 'true'/'false' through their text cast (not boolout's 't'/'f').
for (const target of [T.text, T.varchar, T.bpchar]) registerCast(T.bool, target, 'assignment', (v) => (v ? 'true' : 'false'));

// String types.
registerCast(T.text, T.bpchar, 'implicit', id);
registerCast(T.text, T.varchar, 'implicit', id);
registerCast(T.text, T.name, 'implicit', (v) => truncateName(v as string));
registerCast(T.varchar, T.text, 'implicit', id);
registerCast(T.varchar, T.bpchar, 'implicit', id);
registerCast(T.varchar, T.name, 'implicit', (v) => truncateName(v as string));
registerCast(T.bpchar, T.text, 'implicit', (v) => trimTrailingSpaces(v as string));
registerCast(T.bpchar, T.varchar, 'implicit', (v) => trimTrailingSpaces(v as string));
registerCast(T.bpchar, T.name, 'implicit', (v) => truncateName(trimTrailingSpaces(v as string)));
registerCast(T.name, T.text, 'implicit', id);
registerCast(T.name, T.bpchar, 'assignment', id);
registerCast(T.name, T.varchar, 'assignment', id);
registerCast(T.char, T.text, 'implicit', id);
registerCast(T.char, T.bpchar, 'assignment', id);
registerCast(T.char, T.varchar, 'assignment', id);
for (const source of [T.text, T.varchar, T.bpchar]) {
  registerCast(source, T.char, 'assignment', (v) => ((v as string).length === 0 ? '' : (v as string)[0]!));
}

function withTypmod(target: PgType, convert: Converter): Cast['convert'] {
  return (value, typmod, settings, explicit = false) => {
    const converted = convert(value, settings);
    return typmod >= 0 && converted !== null ? target.applyTypmod(converted, typmod, explicit) : converted;
  };
}

function arrayCast(from: PgType, to: PgType): Cast | undefined {
  const elementCast = findCast(from.element!.oid, to.element!.oid);
  if (!elementCast) return undefined;
  return {
    context: elementCast.context,
    convert: (value, typmod, settings, explicit = false) => {
      const array = value as PgArray;
      return {
        ...array,
        elements: array.elements.map((e) => (e === null || e === undefined ? null : elementCast.convert(e, typmod, settings, explicit))),
      };
    },
  };
}

/** The pg_cast entry (or I/O conversion) PostgreSQL would use from one type to another. */
export function findCast(fromOid: number, toOid: number): Cast | undefined {
  const to = typeByOid(toOid);
  if (!to) return undefined;
  if (fromOid === TypeOid.unknown) {
    // Untyped literals: the target's input function.
    return { context: 'implicit', convert: (value, typmod, settings) => to.parseText(value as string, typmod, settings) };
  }
  const from = typeByOid(fromOid);
  if (!from) return undefined;
  if (fromOid === toOid) return { context: 'implicit', convert: withTypmod(to, id) };
  const entry = castTable.get(`${fromOid}:${toOid}`);
  if (entry) return { context: entry.context, convert: withTypmod(to, entry.convert) };
  if (from.element && to.element) return arrayCast(from, to);
  if (stringTypes.has(toOid)) {
    return {
      context: 'assignment',
      convert: withTypmod(to, (value, settings) => {
        const text = from.formatText(value, settings);
        return toOid === TypeOid.name ? truncateName(text) : text;
      }),
    };
  }
  if (stringTypes.has(fromOid)) {
    return {
      context: 'explicit',
      convert: (value, typmod, settings, explicit = true) => {
        const parsed = to.parseText(value as string, -1, settings);
        return typmod >= 0 ? to.applyTypmod(parsed, typmod, explicit) : parsed;
      },
    };
  }
  return undefined;
}

/** Whether a cast may be applied in a context (implicit casts are allowed everywhere). */
export function castAllowed(cast: Cast, context: CastContext): boolean {
  if (context === 'explicit') return true;
  if (context === 'assignment') return cast.context !== 'explicit';
  return cast.context === 'implicit';
}

