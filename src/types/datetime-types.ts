// date, time, timetz, timestamp and timestamptz descriptors: PostgreSQL's flexible input,
// DateStyle ISO output, TimeZone from the session settings, binary formats (int32 days,
// int64 µs), typmod precision rounding, and ordering keys.
import type { FormatSettings, KeyReader, KeyWriter, PgType, Value } from './api.js';
import { SqlError, SqlState } from '../util/errors.js';
import { expectLength, fixedBytes } from './binary.js';
import {
  DATE_END_JULIAN, POSTGRES_EPOCH_JDATE, TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY, UNIX_EPOCH_JDATE,
  USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC, date2j, daysInMonth, floorDiv, formatHms, formatOffset,
  formatYmd, isValidTimestamp, j2date, pad2, partsToTimestamp, timeToMicros, timestampToParts,
} from './datetime-core.js';
import { DateTimeParseError, dateOrderOf, parseDateTime, type ParsedDateTime } from './datetime-parse.js';
import { hashBigInt, hashNumber, combineHashes } from './hash.js';
import { readSignedInt, writeSignedInt } from './key-bytes.js';
import { TypeOid } from './oids.js';
import { offsetForLocal, zoneAbbreviation, zoneOrError, findZone, type Zone } from './timezone.js';

/** timetz value: time of day and its UTC offset (seconds EAST of UTC, as written: +02 → 7200). */
export interface TimeTz {
  micros: bigint;
  offsetSeconds: number;
}

const DATE_INFINITY_BINARY = 0x7fffffff;
const DATE_MINUS_INFINITY_BINARY = -0x80000000;

function syntaxError(sqlName: string, text: string): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat, `invalid input syntax for type ${sqlName}: "${text}"`);
}
function rangeError(text: string): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${text}"`);
}

function parse(text: string, sqlName: string, settings: FormatSettings, timeOnly = false): ParsedDateTime {
  try {
    return parseDateTime(text, settings.dateStyle, timeOnly);
  } catch (error) {
    if (error instanceof DateTimeParseError) throw error.kind === 'range' ? rangeError(text) : syntaxError(sqlName, text);
    throw error;
  }
}

export function sessionZone(settings: FormatSettings): Zone {
  return zoneOrError(settings.timeZone);
}

export function currentTimestamp(settings: FormatSettings): bigint {
  if (settings.currentTimestamp !== undefined) return settings.currentTimestamp;
  return BigInt(Date.now()) * 1000n + unixEpochMicros;
}

const unixEpochMicros = BigInt(UNIX_EPOCH_JDATE - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY;

/** UTC offset (seconds east) of `zone` at a UTC timestamp. */
export function offsetAtTimestamp(zone: Zone, utc: bigint): number {
  if (zone.fixed) return zone.offsetAtUtc(0);
  return zone.offsetAtUtc(Number(floorDiv(utc - unixEpochMicros, USECS_PER_SEC)));
}

/** Offset for a local (wall-clock) timestamp in `zone`. */
export function offsetForLocalTimestamp(zone: Zone, local: bigint): number {
  if (zone.fixed) return zone.offsetAtUtc(0);
  return offsetForLocal(zone, Number(floorDiv(local - unixEpochMicros, USECS_PER_SEC)));
}

export function localToUtc(local: bigint, zone: Zone): bigint {
  return local - BigInt(offsetForLocalTimestamp(zone, local)) * USECS_PER_SEC;
}

export function utcToLocal(utc: bigint, zone: Zone): bigint {
  return utc + BigInt(offsetAtTimestamp(zone, utc)) * USECS_PER_SEC;
}

function validateDate(parsed: ParsedDateTime, text: string): void {
  if (parsed.year === undefined || parsed.month === undefined || parsed.day === undefined) return;
  if (parsed.month < 1 || parsed.month > 12 || parsed.day < 1 || parsed.day > daysInMonth(parsed.year, parsed.month)) {
    throw rangeError(text);
  }
}

function validateTime(parsed: ParsedDateTime, text: string): void {
  if (parsed.hour === undefined) return;
  const { hour, minute = 0, second = 0, microsecond = 0 } = parsed;
  if (hour < 0 || minute < 0 || minute > 59 || second < 0 || second > 60 || hour > 24) throw rangeError(text);
  if (hour === 24 && (minute > 0 || second > 0 || microsecond > 0)) throw rangeError(text);
}

function timeOfDay(parsed: ParsedDateTime): bigint {
  return timeToMicros(parsed.hour ?? 0, parsed.minute ?? 0, parsed.second ?? 0, parsed.microsecond ?? 0);
}

/** Local wall-clock timestamp of the parsed fields, or a special value. */
function parsedToLocal(parsed: ParsedDateTime, sqlName: string, text: string, settings: FormatSettings, withZone: boolean): bigint {
  const special = parsed.special;
  if (special === 'infinity') return TIMESTAMP_INFINITY;
  if (special === '-infinity') return TIMESTAMP_MINUS_INFINITY;
  if (special === 'epoch') return withZone ? unixEpochMicros + BigInt(offsetAtTimestamp(sessionZone(settings), unixEpochMicros)) * USECS_PER_SEC : unixEpochMicros;
  if (special === 'now') return utcToLocal(currentTimestamp(settings), sessionZone(settings));
  if (special === 'today' || special === 'tomorrow' || special === 'yesterday') {
    const local = utcToLocal(currentTimestamp(settings), sessionZone(settings));
    const midnight = floorDiv(local, USECS_PER_DAY) * USECS_PER_DAY;
    const shift = special === 'tomorrow' ? USECS_PER_DAY : special === 'yesterday' ? -USECS_PER_DAY : 0n;
    return midnight + shift + (parsed.hour !== undefined ? timeOfDay(parsed) : 0n);
  }
  if (parsed.year === undefined) throw syntaxError(sqlName, text);
  validateDate(parsed, text);
  validateTime(parsed, text);
  if (parsed.year > 294276 || parsed.year < -4713) throw new SqlError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${text}"`);
  const days = BigInt(date2j(parsed.year, parsed.month!, parsed.day!) - POSTGRES_EPOCH_JDATE);
  return days * USECS_PER_DAY + timeOfDay(parsed);
}

function checkTimestamp(value: bigint, text: string): bigint {
  if (value === TIMESTAMP_INFINITY || value === TIMESTAMP_MINUS_INFINITY) return value;
  if (!isValidTimestamp(value)) throw new SqlError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${text}"`);
  return value;
}

const timestampScales = [1000000n, 100000n, 10000n, 1000n, 100n, 10n, 1n];

/** Rounds µs to `precision` fractional digits, half away from zero (AdjustTimestampForTypmod). */
export function roundToPrecision(value: bigint, precision: number): bigint {
  if (precision < 0 || precision >= 6) return value;
  const scale = timestampScales[precision]!;
  const offset = scale / 2n;
  return value >= 0n ? ((value + offset) / scale) * scale : -(((-value + offset) / scale) * scale);
}

function timestampTypmod(value: Value, typmod: number): Value {
  const v = value as bigint;
  if (typmod < 0 || v === TIMESTAMP_INFINITY || v === TIMESTAMP_MINUS_INFINITY) return v;
  return roundToPrecision(v, typmod);
}

type OutputStyle = 'ISO' | 'SQL' | 'POSTGRES' | 'GERMAN';

/** DateStyle's output part (its first word); the order part only matters for SQL/Postgres. */
export function outputStyleOf(dateStyle: string): OutputStyle {
  const upper = dateStyle.toUpperCase();
  if (/\bSQL\b/.test(upper)) return 'SQL';
  if (/\bPOSTGRES\b/.test(upper)) return 'POSTGRES';
  if (/\bGERMAN\b/.test(upper)) return 'GERMAN';
  return 'ISO';
}

const monthAbbreviations = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const dayAbbreviations = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function displayYear(year: number): string {
  return String(year > 0 ? year : -(year - 1)).padStart(4, '0');
}

/** EncodeDateOnly for the non-ISO styles. */
function formatDateStyled(year: number, month: number, day: number, style: OutputStyle, dateStyle: string): string {
  const dmy = dateOrderOf(dateStyle) === 'DMY';
  const first = dmy ? day : month;
  const second = dmy ? month : day;
  switch (style) {
    case 'SQL':
      return `${pad2(first)}/${pad2(second)}/${displayYear(year)}`;
    case 'GERMAN':
      return `${pad2(day)}.${pad2(month)}.${displayYear(year)}`;
    case 'POSTGRES':
      return `${pad2(first)}-${pad2(second)}-${displayYear(year)}`;
    default:
      return formatYmd(year, month, day);
  }
}

/** EncodeDateTime; `zone` is the abbreviation or offset text for timestamptz, undefined for timestamp. */
function formatDateTimeStyled(local: bigint, settings: FormatSettings, zoneText?: { iso: string; name: string }): string {
  const p = timestampToParts(local);
  const style = outputStyleOf(settings.dateStyle);
  const time = formatHms(p.hour, p.minute, p.second, p.microsecond);
  const bc = p.year <= 0 ? ' BC' : '';
  if (style === 'ISO') return `${formatYmd(p.year, p.month, p.day)} ${time}${zoneText?.iso ?? ''}${bc}`;
  const zone = zoneText ? ' ' + zoneText.name : '';
  if (style === 'POSTGRES') {
    const dayOfWeek = dayAbbreviations[(date2j(p.year, p.month, p.day) + 1) % 7]!;
    const dmy = dateOrderOf(settings.dateStyle) === 'DMY';
    const monthDay = dmy ? `${pad2(p.day)} ${monthAbbreviations[p.month - 1]}` : `${monthAbbreviations[p.month - 1]} ${pad2(p.day)}`;
    return `${dayOfWeek} ${monthDay} ${time} ${displayYear(p.year)}${zone}${bc}`;
  }
  return `${formatDateStyled(p.year, p.month, p.day, style, settings.dateStyle)} ${time}${zone}${bc}`;
}

export function formatTimestamp(value: bigint, settings?: FormatSettings): string {
  if (value === TIMESTAMP_INFINITY) return 'infinity';
  if (value === TIMESTAMP_MINUS_INFINITY) return '-infinity';
  if (!settings) {
    const p = timestampToParts(value);
    return `${formatYmd(p.year, p.month, p.day)} ${formatHms(p.hour, p.minute, p.second, p.microsecond)}${p.year <= 0 ? ' BC' : ''}`;
  }
  return formatDateTimeStyled(value, settings);
}

export function formatTimestampTz(value: bigint, settings: FormatSettings): string {
  if (value === TIMESTAMP_INFINITY) return 'infinity';
  if (value === TIMESTAMP_MINUS_INFINITY) return '-infinity';
  const zone = sessionZone(settings);
  const offset = offsetAtTimestamp(zone, value);
  const local = value + BigInt(offset) * USECS_PER_SEC;
  const style = outputStyleOf(settings.dateStyle);
  const name = style === 'ISO' ? '' : zoneAbbreviation(zone, Number(floorDiv(value - unixEpochMicros, USECS_PER_SEC)), offset);
  return formatDateTimeStyled(local, settings, { iso: formatOffset(offset), name });
}

function compareBigInts(a: Value, b: Value): number {
  return (a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0;
}

function int64Type(oid: number, name: string, arrayOid: number, category: string, fields: Pick<PgType, 'parseText' | 'formatText' | 'applyTypmod'> & Partial<PgType>): PgType {
  return {
    oid,
    name,
    length: 8,
    category,
    preferred: false,
    arrayOid,
    decodeBinary: (data: Uint8Array, typmod: number) => fields.applyTypmod(expectLength(data, 8, name).getBigInt64(0), typmod, false),
    encodeBinary: (value: Value) => fixedBytes(8, (view) => view.setBigInt64(0, value as bigint)),
    compare: compareBigInts,
    hash: (value: Value) => hashBigInt(value as bigint),
    encodeKey: (value: Value, out: KeyWriter) => writeSignedInt(out, value as bigint, 8),
    decodeKey: (input: KeyReader) => readSignedInt(input, 8) as bigint,
    ...fields,
  };
}

export const timestampType = int64Type(TypeOid.timestamp, 'timestamp', TypeOid._timestamp, 'D', {
  preferred: false,
  parseText: (text: string, typmod: number, settings: FormatSettings) => {
    const parsed = parse(text, 'timestamp', settings);
    return timestampTypmod(checkTimestamp(parsedToLocal(parsed, 'timestamp', text, settings, false), text), typmod);
  },
  formatText: (value: Value, settings: FormatSettings) => formatTimestamp(value as bigint, settings),
  applyTypmod: timestampTypmod,
});

export const timestamptzType = int64Type(TypeOid.timestamptz, 'timestamptz', TypeOid._timestamptz, 'D', {
  preferred: true,
  parseText: (text: string, typmod: number, settings: FormatSettings) => {
    const sqlName = 'timestamp with time zone';
    const parsed = parse(text, sqlName, settings);
    const local = parsedToLocal(parsed, sqlName, text, settings, true);
    if (local === TIMESTAMP_INFINITY || local === TIMESTAMP_MINUS_INFINITY) return local;
    let utc: bigint;
    if (parsed.special === 'now') utc = currentTimestamp(settings);
    else if (parsed.special === 'epoch') utc = unixEpochMicros;
    else if (parsed.offsetSeconds !== undefined) utc = local - BigInt(parsed.offsetSeconds) * USECS_PER_SEC;
    else utc = localToUtc(local, parsed.zoneName !== undefined ? findZone(parsed.zoneName)! : sessionZone(settings));
    return timestampTypmod(checkTimestamp(utc, text), typmod);
  },
  formatText: (value: Value, settings: FormatSettings) => formatTimestampTz(value as bigint, settings),
  applyTypmod: timestampTypmod,
});

// ---- date: days since 2000-01-01, ±Infinity.
export function formatDate(value: number, settings?: FormatSettings): string {
  if (value === Infinity) return 'infinity';
  if (value === -Infinity) return '-infinity';
  const [year, month, day] = j2date(value + POSTGRES_EPOCH_JDATE);
  const style = settings ? outputStyleOf(settings.dateStyle) : 'ISO';
  const text = style === 'ISO' ? formatYmd(year, month, day) : formatDateStyled(year, month, day, style, settings!.dateStyle);
  return text + (year <= 0 ? ' BC' : '');
}

export function isValidDate(days: number): boolean {
  const julian = days + POSTGRES_EPOCH_JDATE;
  return julian >= 0 && julian < DATE_END_JULIAN;
}

export const dateType: PgType = {
  oid: TypeOid.date,
  name: 'date',
  length: 4,
  category: 'D',
  preferred: false,
  arrayOid: TypeOid._date,
  parseText: (text: string, _typmod: number, settings: FormatSettings) => {
    const parsed = parse(text, 'date', settings);
    switch (parsed.special) {
      case 'infinity':
        return Infinity;
      case '-infinity':
        return -Infinity;
      case 'epoch':
        return UNIX_EPOCH_JDATE - POSTGRES_EPOCH_JDATE;
      case 'now':
      case 'today':
      case 'tomorrow':
      case 'yesterday':
        return Number(floorDiv(parsedToLocal(parsed, 'date', text, settings, false), USECS_PER_DAY));
      case 'allballs':
        throw syntaxError('date', text);
    }
    if (parsed.year === undefined) throw syntaxError('date', text);
    validateDate(parsed, text);
    validateTime(parsed, text);
    if (parsed.year < -4713 || parsed.year > 5874898) throw new SqlError(SqlState.datetimeFieldOverflow, `date out of range: "${text}"`);
    const days = date2j(parsed.year, parsed.month!, parsed.day!) - POSTGRES_EPOCH_JDATE;
    if (!isValidDate(days)) throw new SqlError(SqlState.datetimeFieldOverflow, `date out of range: "${text}"`);
    return days;
  },
  formatText: (value: Value, settings: FormatSettings) => formatDate(value as number, settings),
  decodeBinary: (data: Uint8Array) => {
    const days = expectLength(data, 4, 'date').getInt32(0);
    return days === DATE_INFINITY_BINARY ? Infinity : days === DATE_MINUS_INFINITY_BINARY ? -Infinity : days;
  },
  encodeBinary: (value: Value) =>
    fixedBytes(4, (view) => view.setInt32(0, value === Infinity ? DATE_INFINITY_BINARY : value === -Infinity ? DATE_MINUS_INFINITY_BINARY : (value as number))),
  applyTypmod: (value: Value) => value,
  compare: (a: Value, b: Value) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0),
  hash: (value: Value) => hashNumber(value as number),
  encodeKey: (value: Value, out: KeyWriter) =>
    writeSignedInt(out, value === Infinity ? DATE_INFINITY_BINARY : value === -Infinity ? DATE_MINUS_INFINITY_BINARY : (value as number), 4),
  decodeKey: (input: KeyReader) => {
    const days = readSignedInt(input, 4) as number;
    return days === DATE_INFINITY_BINARY ? Infinity : days === DATE_MINUS_INFINITY_BINARY ? -Infinity : days;
  },
};

// ---- time and timetz.
export function formatTime(micros: bigint): string {
  const hour = Number(micros / USECS_PER_HOUR);
  let rest = micros - BigInt(hour) * USECS_PER_HOUR;
  const minute = Number(rest / USECS_PER_MINUTE);
  rest -= BigInt(minute) * USECS_PER_MINUTE;
  const second = Number(rest / USECS_PER_SEC);
  return formatHms(hour, minute, second, Number(rest - BigInt(second) * USECS_PER_SEC));
}

function parseTimeValue(text: string, sqlName: string, settings: FormatSettings): { micros: bigint; parsed: ParsedDateTime } {
  const parsed = parse(text, sqlName, settings, true);
  if (parsed.special === 'allballs') return { micros: 0n, parsed };
  if (parsed.special === 'now') {
    const local = utcToLocal(currentTimestamp(settings), sessionZone(settings));
    return { micros: local - floorDiv(local, USECS_PER_DAY) * USECS_PER_DAY, parsed };
  }
  if (parsed.special !== undefined || parsed.hour === undefined) throw syntaxError(sqlName, text);
  validateDate(parsed, text);
  validateTime(parsed, text);
  return { micros: timeOfDay(parsed), parsed };
}

function timeTypmod(value: Value, typmod: number): Value {
  return typmod < 0 ? value : roundToPrecision(value as bigint, typmod);
}

export const timeType = int64Type(TypeOid.time, 'time', TypeOid._time, 'D', {
  parseText: (text: string, typmod: number, settings: FormatSettings) => timeTypmod(parseTimeValue(text, 'time', settings).micros, typmod),
  formatText: (value: Value) => formatTime(value as bigint),
  applyTypmod: timeTypmod,
});

/** timetz order (timetz_cmp): by UTC instant, then west-most zone greater. */
export function compareTimeTz(a: TimeTz, b: TimeTz): number {
  const utcA = a.micros - BigInt(a.offsetSeconds) * USECS_PER_SEC;
  const utcB = b.micros - BigInt(b.offsetSeconds) * USECS_PER_SEC;
  if (utcA !== utcB) return utcA < utcB ? -1 : 1;
  return b.offsetSeconds - a.offsetSeconds;
}

export const timetzType: PgType = {
  oid: TypeOid.timetz,
  name: 'timetz',
  length: 12,
  category: 'D',
  preferred: false,
  arrayOid: TypeOid._timetz,
  parseText: (text: string, typmod: number, settings: FormatSettings) => {
    const { micros, parsed } = parseTimeValue(text, 'time with time zone', settings);
    let offsetSeconds = parsed.offsetSeconds;
    if (offsetSeconds === undefined) {
      const zone = parsed.zoneName !== undefined ? findZone(parsed.zoneName)! : sessionZone(settings);
      // A zone with rules needs a date: the one given, else today's.
      let day: bigint;
      if (parsed.year !== undefined) day = BigInt(date2j(parsed.year, parsed.month!, parsed.day!) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY;
      else day = floorDiv(utcToLocal(currentTimestamp(settings), zone), USECS_PER_DAY) * USECS_PER_DAY;
      offsetSeconds = offsetForLocalTimestamp(zone, day + micros);
    }
    return { micros: timeTypmod(micros, typmod) as bigint, offsetSeconds } satisfies TimeTz;
  },
  formatText: (value: Value) => formatTime((value as TimeTz).micros) + formatOffset((value as TimeTz).offsetSeconds),
  decodeBinary: (data: Uint8Array) => {
    const view = expectLength(data, 12, 'timetz');
    return { micros: view.getBigInt64(0), offsetSeconds: -view.getInt32(8) } satisfies TimeTz;
  },
  encodeBinary: (value: Value) =>
    fixedBytes(12, (view) => {
      view.setBigInt64(0, (value as TimeTz).micros);
      view.setInt32(8, -(value as TimeTz).offsetSeconds);
    }),
  applyTypmod: (value: Value, typmod: number) =>
    typmod < 0 ? value : { ...(value as TimeTz), micros: roundToPrecision((value as TimeTz).micros, typmod) },
  compare: (a: Value, b: Value) => compareTimeTz(a as TimeTz, b as TimeTz),
  hash: (value: Value) => combineHashes(hashBigInt((value as TimeTz).micros), hashNumber((value as TimeTz).offsetSeconds)),
  encodeKey: (value: Value, out: KeyWriter) => {
    const v = value as TimeTz;
    writeSignedInt(out, v.micros - BigInt(v.offsetSeconds) * USECS_PER_SEC, 8);
    writeSignedInt(out, -v.offsetSeconds, 4);
  },
  decodeKey: (input: KeyReader) => {
    const utc = readSignedInt(input, 8) as bigint;
    const offsetSeconds = -(readSignedInt(input, 4) as number);
    return { micros: utc + BigInt(offsetSeconds) * USECS_PER_SEC, offsetSeconds } satisfies TimeTz;
  },
};

export { partsToTimestamp, timestampToParts };
