// The binder's single door into the types layer (registry, casts, type names), so the rest of
// plan/exec speak in OIDs and PgType descriptors. Casts come from the types layer's registry
// when it provides one (findCast); otherwise PostgreSQL's pg_cast rules for the built-in
// numeric and string types are applied here, and other pairs convert through text (I/O casts).
import * as types from '../types/index.js';
import './reg-types.js';
import type { FormatSettings, PgType, Value } from '../types/api.js';
import { SqlError, SqlState } from '../util/errors.js';

export const T = types.TypeOid;
export const UNKNOWN = 705;

export function getType(oid: number): PgType {
  const type = types.typeByOid(oid);
  if (!type) throw new SqlError(SqlState.undefinedObject, `type with OID ${oid} does not exist`);
  return type;
}

export function maybeType(oid: number): PgType | undefined {
  return types.typeByOid(oid) ?? undefined;
}

/** SQL type name (as the grammar produced it) → OID and typmod. */
export function lookupTypeName(names: string[], typmods: number[], arrayBounds: number, position?: number): { oid: number; typmod: number } {
  const name = names[names.length - 1]!;
  const at = position !== undefined ? { position } : {};
  if (names.length > 1 && names[0] !== 'pg_catalog' && names[0] !== 'public') {
    throw new SqlError(SqlState.undefinedObject, `type "${names.join('.')}" does not exist`, at);
  }
  const type = (names[0] === 'pg_catalog' ? types.typeByTypname(name) : undefined) ?? types.typeByName(name);
  if (!type) throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`, at);
  const typmod = typmods.length > 0 ? typmodFor(type, typmods, at) : -1;
  if (arrayBounds > 0) {
    if (!type.arrayOid) throw new SqlError(SqlState.undefinedObject, `type "${name}[]" does not exist`, at);
    return { oid: type.arrayOid, typmod };
  }
  return { oid: type.oid, typmod };
}

function typmodFor(type: PgType, modifiers: number[], at: { position?: number }): number {
  switch (type.name) {
    case 'varchar':
    case 'bpchar': {
      const length = modifiers[0]!;
      if (length < 1) throw new SqlError(SqlState.invalidParameterValue, `length for type ${type.name} must be at least 1`, at);
      if (length > 10485760) throw new SqlError(SqlState.invalidParameterValue, `length for type ${type.name} cannot exceed 10485760`, at);
      return length + 4;
    }
    case 'numeric': {
      const precision = modifiers[0]!;
      const scale = modifiers[1] ?? 0;
      if (precision < 1 || precision > 1000) throw new SqlError(SqlState.invalidParameterValue, `NUMERIC precision ${precision} must be between 1 and 1000`, at);
      return types.numericTypmod(precision, scale);
    }
    case 'time':
    case 'timetz':
    case 'timestamp':
    case 'timestamptz':
    case 'interval':
      return Math.min(modifiers[0]!, 6);
    default:
      throw new SqlError(SqlState.syntaxError, `type modifier is not allowed for type "${type.name}"`, at);
  }
}

export type CastContext = 'implicit' | 'assignment' | 'explicit';

export interface CastPath {
  /** 'i' implicit, 'a' assignment, 'e' explicit (pg_cast.castcontext). */
  context: 'i' | 'a' | 'e';
  convert(value: Value, typmod: number, settings: FormatSettings, explicit?: boolean): Value;
}

const contextCode = { implicit: 'i', assignment: 'a', explicit: 'e' } as const;
const castCache = new Map<string, CastPath | null>();

export function findCast(from: number, to: number): CastPath | undefined {
  const key = `${from}:${to}`;
  let path = castCache.get(key);
  if (path === undefined) {
    const registered = types.findCast(from, to);
    path = registered
      ? { context: contextCode[registered.context], convert: (value, typmod, settings, explicit) => registered.convert(value, typmod, settings, explicit) }
      : (fallbackCast(from, to) ?? null);
    castCache.set(key, path);
  }
  return path ?? undefined;
}

export function canCoerce(from: number, to: number, context: CastContext): boolean {
  if (from === to || from === UNKNOWN) return true;
  const cast = findCast(from, to);
  if (!cast) return false;
  if (context === 'explicit') return true;
  if (context === 'assignment') return cast.context !== 'e';
  return cast.context === 'i';
}

export function typeCategory(oid: number): string {
  return maybeType(oid)?.category ?? 'U';
}

export function isPreferred(oid: number): boolean {
  return maybeType(oid)?.preferred ?? false;
}

// ---- fallback casts (PostgreSQL's pg_cast for the numeric and string families)

const numericRank: Record<number, number> = { 21: 1, 23: 2, 20: 3, 1700: 4, 700: 5, 701: 6 };
const stringTypes = new Set<number>([25, 1043, 1042, 19]);

function viaText(from: number, to: number): (value: Value, typmod: number, settings: FormatSettings) => Value {
  const source = getType(from);
  const target = getType(to);
  return (value, typmod, settings) => target.parseText(source.formatText(value, settings), typmod, settings);
}

function fallbackCast(from: number, to: number): CastPath | undefined {
  const source = maybeType(from);
  const target = maybeType(to);
  if (!source || !target) return undefined;
  const fromRank = numericRank[from];
  const toRank = numericRank[to];
  if (fromRank !== undefined && toRank !== undefined) {
    const convert = numericConversion(from, to);
    return { context: fromRank < toRank ? 'i' : 'a', convert };
  }
  if (stringTypes.has(from) && stringTypes.has(to)) {
    const context = to === 25 || (to === 1043 && from !== 25) || from === 19 ? 'i' : from === 1042 && to === 1043 ? 'i' : 'a';
    return {
      context: to === 19 ? 'i' : context,
      convert: (value, typmod) => {
        let text = String(value);
        if (from === 1042) text = text.replace(/ +$/, '');
        return typmod >= 0 ? target.applyTypmod(text, typmod, false) : text;
      },
    };
  }
  const datetime = datetimeCast(from, to);
  if (datetime) return datetime;
  const reg = new Set([24, 2205, 2206, 4089, 4096]);
  if ((reg.has(from) && to === 26) || (from === 26 && reg.has(to))) return { context: 'i', convert: (value) => value };
  if ((from === 23 || from === 20 || from === 21) && reg.has(to)) return { context: 'i', convert: (value) => Number(value) };
  if (reg.has(from) && (to === 23 || to === 20)) return { context: 'a', convert: (value) => (to === 20 ? BigInt(value as number) : value) };
  if (from === 26 && (to === 23 || to === 20)) return { context: 'a', convert: numericConversion(23, to) };
  if ((from === 23 || from === 20 || from === 21) && to === 26) return { context: 'i', convert: (value) => Number(value) };
  if (from === 23 && to === 16) return { context: 'e', convert: (value) => value !== 0 };
  if (from === 16 && to === 23) return { context: 'e', convert: (value) => (value ? 1 : 0) };
  // I/O conversion casts: to text implicitly for nothing, by assignment to string types; from text explicitly.
  if (stringTypes.has(to)) return { context: 'a', convert: (value, typmod, settings) => {
    const text = source.formatText(value, settings);
    return typmod >= 0 ? target.applyTypmod(text, typmod, false) : text;
  } };
  if (stringTypes.has(from)) return { context: 'e', convert: viaText(from, to) };
  if (source.element && target.element) {
    const elementCast = findCast(source.element.oid, target.element.oid);
    if (!elementCast) return undefined;
    return {
      context: elementCast.context,
      convert: (value, typmod, settings) => {
        const array = value as { elements: Value[]; dims: number[]; lowerBounds: number[] };
        return { ...array, elements: array.elements.map((element) => (element === null ? null : elementCast.convert(element, typmod, settings))) };
      },
    };
  }
  return undefined;
}

function numericConversion(from: number, to: number): (value: Value, typmod: number, settings: FormatSettings) => Value {
  const target = getType(to);
  const source = getType(from);
  if ((to === 21 || to === 23) && (from === 21 || from === 23 || from === 20)) {
    return (value) => target.applyTypmod(checkInteger(Number(value), to), -1, false);
  }
  if (to === 20 && (from === 21 || from === 23)) return (value) => BigInt(value as number);
  if ((to === 700 || to === 701) && (from === 21 || from === 23 || from === 20)) {
    return (value) => (to === 700 ? Math.fround(Number(value)) : Number(value));
  }
  if (to === 701 && from === 700) return (value) => Number(value);
  // Everything else (numeric involved, float → int rounding) goes through text, which
  // applies PostgreSQL's rounding and range checks in the target's parser.
  return (value, typmod, settings) => {
    let text = source.formatText(value, { ...settings, extraFloatDigits: 3 });
    if ((to === 21 || to === 23 || to === 20) && (from === 700 || from === 701 || from === 1700)) {
      const number = Number(text);
      if (Number.isNaN(number)) throw new SqlError(SqlState.numericValueOutOfRange, `cannot convert NaN to ${target.name === 'int8' ? 'bigint' : target.name === 'int2' ? 'smallint' : 'integer'}`);
      if (!Number.isFinite(number)) throw new SqlError(SqlState.numericValueOutOfRange, `${target.name === 'int8' ? 'bigint' : target.name === 'int2' ? 'smallint' : 'integer'} out of range`);
      text = from === 1700 ? roundHalfAwayText(text) : String(roundHalfEven(number));
    }
    const parsed = target.parseText(text, -1, settings);
    return typmod >= 0 ? target.applyTypmod(parsed, typmod, false) : parsed;
  };
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function roundHalfAwayText(text: string): string {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  let result = BigInt(whole || '0');
  if (fraction.length > 0 && fraction[0]! >= '5') result += 1n;
  return `${negative && result !== 0n ? '-' : ''}${result}`;
}

function checkInteger(value: number, to: number): number {
  const [min, max, name] = to === 21 ? [-32768, 32767, 'smallint'] : [-2147483648, 2147483647, 'integer'];
  if (value < min || value > max) throw new SqlError(SqlState.numericValueOutOfRange, `${name} out of range`);
  return value;
}

/** format_type(oid, typmod): the SQL spelling psql shows. */
export function formatTypeName(oid: number, typmod: number): string {
  const type = maybeType(oid);
  if (!type) return '???';
  if (type.element) return `${formatTypeName(type.element.oid, typmod)}[]`;
  const withLength = (name: string) => (typmod >= 4 ? `${name}(${typmod - 4})` : name);
  switch (type.name) {
    case 'int2': return 'smallint';
    case 'int4': return 'integer';
    case 'int8': return 'bigint';
    case 'float4': return 'real';
    case 'float8': return 'double precision';
    case 'bool': return 'boolean';
    case 'varchar': return withLength('character varying');
    case 'bpchar': return withLength('character');
    case 'char': return '"char"';
    case 'numeric':
      if (typmod < 4) return 'numeric';
      return `numeric(${((typmod - 4) >> 16) & 0xffff},${(typmod - 4) & 0xffff})`;
    case 'timestamp': return typmod >= 0 ? `timestamp(${typmod}) without time zone` : 'timestamp without time zone';
    case 'timestamptz': return typmod >= 0 ? `timestamp(${typmod}) with time zone` : 'timestamp with time zone';
    case 'time': return typmod >= 0 ? `time(${typmod}) without time zone` : 'time without time zone';
    case 'timetz': return typmod >= 0 ? `time(${typmod}) with time zone` : 'time with time zone';
    default: return type.name;
  }
}

// ---- date/time casts until the types layer registers them (values: µs / days since 2000-01-01)

const microsPerDay = 86_400_000_000n;

/** Seconds east of UTC of `zone` at the UTC instant `utcMicros`. */
function zoneOffsetSeconds(zone: string, utcMicros: bigint): number {
  if (/^(utc|gmt|z|zulu)$/i.test(zone)) return 0;
  const fixed = /^([+-])?(\d{1,2})(?::(\d{2}))?$/.exec(zone);
  if (fixed) {
    // POSIX-style numeric zones count west-positive, as PostgreSQL does for SET TIME ZONE '5'.
    const seconds = Number(fixed[2]) * 3600 + Number(fixed[3] ?? 0) * 60;
    return fixed[1] === '-' ? seconds : -seconds;
  }
  const ms = Number(utcMicros / 1000n) + 946_684_800_000;
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
    const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return Math.round((local - Math.floor(ms / 1000) * 1000) / 1000);
  } catch {
    return 0;
  }
}

function datetimeCast(from: number, to: number): CastPath | undefined {
  const timestamp = 1114;
  const timestamptz = 1184;
  const date = 1082;
  if (from === timestamptz && to === timestamp) {
    return { context: 'a', convert: (value, _typmod, settings) => (value as bigint) + BigInt(zoneOffsetSeconds(settings.timeZone, value as bigint)) * 1_000_000n };
  }
  if (from === timestamp && to === timestamptz) {
    return { context: 'i', convert: (value, _typmod, settings) => {
      const local = value as bigint;
      const guess = local - BigInt(zoneOffsetSeconds(settings.timeZone, local)) * 1_000_000n;
      return local - BigInt(zoneOffsetSeconds(settings.timeZone, guess)) * 1_000_000n;
    } };
  }
  const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
  if (from === date && to === timestamp) return { context: 'i', convert: (value) => BigInt(value as number) * microsPerDay };
  if (from === timestamp && to === date) return { context: 'a', convert: (value) => Number(floorDiv(value as bigint, microsPerDay)) };
  if (from === timestamptz && to === date) {
    return { context: 'a', convert: (value, _typmod, settings) => {
      const local = (value as bigint) + BigInt(zoneOffsetSeconds(settings.timeZone, value as bigint)) * 1_000_000n;
      return Number(floorDiv(local, microsPerDay));
    } };
  }
  if (from === date && to === timestamptz) {
    return { context: 'i', convert: (value, _typmod, settings) => {
      const local = BigInt(value as number) * microsPerDay;
      return local - BigInt(zoneOffsetSeconds(settings.timeZone, local)) * 1_000_000n;
    } };
  }
  return undefined;
}
