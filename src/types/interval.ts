// interval: months, days and microseconds kept apart as PostgreSQL does. Input in the
// 'postgres' style ('1 year 2 mons -3 days 04:05:06', '@ 1 hour ago', fractional units
// cascading down), SQL-standard 'Y-M' and 'D H:M:S', and ISO 8601 ('P1Y2M3DT4H5M6S',
// 'P0001-02-03T04:05:06'); output IntervalStyle postgres; order by the 30-day-month span.
import type { FormatSettings, KeyReader, KeyWriter, PgType, Value } from './api.js';
import { SqlError, SqlState } from '../util/errors.js';
import { expectLength, fixedBytes } from './binary.js';
import { USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC, pad2 } from './datetime-core.js';
import { roundToPrecision } from './datetime-types.js';
import { hashBigInt } from './hash.js';
import { readBytes, readSignedInt, writeSignedInt } from './key-bytes.js';
import { TypeOid } from './oids.js';

export interface Interval {
  months: number;
  days: number;
  micros: bigint;
}

export function makeInterval(months: number, days: number, micros: bigint): Interval {
  return { months, days, micros };
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export function intervalOutOfRange(): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, 'interval out of range');
}

export function checkInterval(interval: Interval): Interval {
  const { months, days, micros } = interval;
  if (months < INT32_MIN || months > INT32_MAX || days < INT32_MIN || days > INT32_MAX || !Number.isInteger(months) || !Number.isInteger(days)) {
    throw intervalOutOfRange();
  }
  if (micros < -9223372036854775808n || micros > 9223372036854775807n) throw intervalOutOfRange();
  return interval;
}

/** Total span with 30-day months and 24-hour days (interval_cmp_value). */
export function intervalSpan(interval: Interval): bigint {
  return (BigInt(interval.months) * 30n + BigInt(interval.days)) * USECS_PER_DAY + interval.micros;
}

export function compareIntervals(a: Interval, b: Interval): number {
  const x = intervalSpan(a);
  const y = intervalSpan(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---- input

interface Accumulator {
  months: number;
  days: number;
  micros: bigint;
  /** Units already given (DecodeInterval's fmask): a unit may appear once. */
  fieldMask: number;
}

const unitAliases: Record<string, string> = {
  microsecond: 'us', microseconds: 'us', us: 'us', usec: 'us', usecs: 'us', useconds: 'us', usecond: 'us',
  millisecond: 'ms', milliseconds: 'ms', ms: 'ms', msec: 'ms', msecs: 'ms', mseconds: 'ms', msecond: 'ms',
  second: 's', seconds: 's', s: 's', sec: 's', secs: 's',
  minute: 'm', minutes: 'm', m: 'm', min: 'm', mins: 'm',
  hour: 'h', hours: 'h', h: 'h', hr: 'h', hrs: 'h',
  day: 'd', days: 'd', d: 'd',
  week: 'w', weeks: 'w', w: 'w',
  month: 'mon', months: 'mon', mon: 'mon', mons: 'mon',
  year: 'y', years: 'y', y: 'y', yr: 'y', yrs: 'y',
  decade: 'dec', decades: 'dec', dec: 'dec', decs: 'dec',
  century: 'c', centuries: 'c', c: 'c', cent: 'c',
  millennium: 'mil', millennia: 'mil', mil: 'mil', mils: 'mil', millenniums: 'mil',
};

const fieldBit: Record<string, number> = { us: 1, ms: 2, s: 4, m: 8, h: 16, d: 32, w: 64, mon: 128, y: 256, dec: 512, c: 1024, mil: 2048 };
const allSecondsBits = fieldBit.us! | fieldBit.ms! | fieldBit.s!;
const timeBits = allSecondsBits | fieldBit.m! | fieldBit.h!;

function claimFields(acc: Accumulator, bits: number, text: string): void {
  if (acc.fieldMask & bits) throw syntax(text);
  acc.fieldMask |= bits;
}

/** AdjustFractMicroseconds: frac × scale µs, rounding a remaining half-µs away only when above .5. */
function addFractionMicros(acc: Accumulator, fraction: number, scale: number): void {
  if (fraction === 0) return;
  let value = fraction * scale;
  let micros = Math.trunc(value);
  value -= micros;
  if (value > 0.5) micros++;
  else if (value < -0.5) micros--;
  acc.micros += BigInt(micros);
}

/** AdjustFractDays: whole days, then the rest as microseconds. */
function addFractionDays(acc: Accumulator, fraction: number, scale: number): void {
  if (fraction === 0) return;
  const value = fraction * scale;
  const extraDays = Math.trunc(value);
  acc.days += extraDays;
  addFractionMicros(acc, value - extraDays, 86_400_000_000);
}

/** Adds `whole` + `fraction` (same sign) of a unit, as PostgreSQL 15's DecodeInterval does. */
function addUnit(acc: Accumulator, unit: string, whole: number, fraction: number, text: string): void {
  const micros = (scale: bigint, scaleNumber: number) => {
    acc.micros += BigInt(whole) * scale;
    addFractionMicros(acc, fraction, scaleNumber);
  };
  const years = (scale: number) => {
    acc.months += whole * 12 * scale + roundHalfEvenNumber(fraction * scale * 12);
  };
  switch (unit) {
    case 'us':
      micros(1n, 1);
      break;
    case 'ms':
      micros(1000n, 1000);
      break;
    case 's':
      micros(USECS_PER_SEC, 1e6);
      claimFields(acc, fraction === 0 ? fieldBit.s! : allSecondsBits, text);
      return;
    case 'm':
      micros(USECS_PER_MINUTE, 60e6);
      break;
    case 'h':
      micros(USECS_PER_HOUR, 3600e6);
      break;
    case 'd':
      acc.days += whole;
      addFractionMicros(acc, fraction, 86_400_000_000);
      break;
    case 'w':
      acc.days += whole * 7;
      addFractionDays(acc, fraction, 7);
      break;
    case 'mon':
      acc.months += whole;
      addFractionDays(acc, fraction, 30);
      break;
    case 'y':
      years(1);
      break;
    case 'dec':
      years(10);
      break;
    case 'c':
      years(100);
      break;
    case 'mil':
      years(1000);
      break;
  }
  claimFields(acc, fieldBit[unit]!, text);
}

function roundHalfEvenNumber(value: number): number {
  const floor = Math.floor(value);
  const difference = value - floor;
  if (difference !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** '-1.25' → whole -1, fraction -0.25 (the fraction carries the sign, as strtod of the tail does). */
function splitNumber(token: string): [number, number] {
  const negative = token.startsWith('-');
  const body = token.replace(/^[-+]/, '');
  const [integerPart = '', fractionPart] = body.split('.');
  const whole = Number(integerPart || '0');
  const fraction = fractionPart ? Number('0.' + fractionPart) : 0;
  return negative ? [-whole || 0, -fraction || 0] : [whole, fraction];
}

function syntax(text: string): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat, `invalid input syntax for type interval: "${text}"`);
}

/** 'h:m[:s[.f]]' with a sign. */
function parseClock(clock: string, negative: boolean, acc: Accumulator, text: string): boolean {
  const match = /^(\d+):(\d+)(?::(\d+)(\.\d*)?)?$/.exec(clock) ?? /^(\d+):(\d+)(\.\d*)$/.exec(clock);
  if (!match) return false;
  let hours: number;
  let minutes: number;
  let seconds: number;
  let fraction: string | undefined;
  if (match.length === 4) {
    hours = 0;
    minutes = Number(match[1]);
    seconds = Number(match[2]);
    fraction = match[3];
  } else {
    hours = Number(match[1]);
    minutes = Number(match[2]);
    seconds = match[3] === undefined ? 0 : Number(match[3]);
    fraction = match[4];
  }
  if (minutes > 59 || seconds > 59) throw new SqlError(SqlState.datetimeFieldOverflow, `interval field value out of range: "${text}"`);
  claimFields(acc, timeBits, text);
  const sign = negative ? -1n : 1n;
  const fractionMicros = fraction && fraction.length > 1 ? BigInt(roundHalfEvenNumber(Number('0' + fraction) * 1e6)) : 0n;
  acc.micros += sign * (BigInt(hours) * USECS_PER_HOUR + BigInt(minutes) * USECS_PER_MINUTE + BigInt(seconds) * USECS_PER_SEC + fractionMicros);
  return true;
}

function parseIso8601(input: string, acc: Accumulator, text: string): boolean {
  const upper = input.toUpperCase();
  const alternative = /^P(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?))?$/.exec(upper);
  if (alternative) {
    acc.months += Number(alternative[1]) * 12 + Number(alternative[2]);
    acc.days += Number(alternative[3]);
    if (alternative[4] !== undefined) {
      addUnit(acc, 'h', Number(alternative[4]), 0, text);
      addUnit(acc, 'm', Number(alternative[5]), 0, text);
      const [whole, fraction] = splitNumber(alternative[6]!);
      addUnit(acc, 's', whole, fraction, text);
    }
    return true;
  }
  const match = /^P((?:[-+]?\d+(?:\.\d+)?[YMWD])*)(?:T((?:[-+]?\d+(?:\.\d+)?[HMS])*))?$/.exec(upper);
  if (!match || upper === 'P') return false;
  const dateUnits: Record<string, string> = { Y: 'y', M: 'mon', W: 'w', D: 'd' };
  const timeUnits: Record<string, string> = { H: 'h', M: 'm', S: 's' };
  for (const [, number, unit] of (match[1] ?? '').matchAll(/([-+]?\d+(?:\.\d+)?)([YMWD])/g)) {
    const [whole, fraction] = splitNumber(number!);
    addUnit(acc, dateUnits[unit!]!, whole, fraction, text);
  }
  for (const [, number, unit] of (match[2] ?? '').matchAll(/([-+]?\d+(?:\.\d+)?)([HMS])/g)) {
    const [whole, fraction] = splitNumber(number!);
    addUnit(acc, timeUnits[unit!]!, whole, fraction, text);
  }
  return true;
}

export function parseInterval(text: string): Interval {
  const acc: Accumulator = { months: 0, days: 0, micros: 0n, fieldMask: 0 };
  let input = text.trim().toLowerCase();
  if (input.length === 0) throw syntax(text);
  if (input.startsWith('p')) {
    if (!parseIso8601(input, acc, text)) throw syntax(text);
    return finish(acc, false, text);
  }
  if (input.startsWith('@')) input = input.slice(1).trim();
  let ago = false;
  if (/\sago$/.test(input) || input === 'ago') {
    ago = true;
    input = input.replace(/\s*ago$/, '');
  }
  const tokens = input.split(/\s+/).filter(Boolean);
  if (tokens.length === 0) throw syntax(text);
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i]!;
    // Number glued to a unit: '1day', '-2hours'
    const glued = /^([-+]?\d*\.?\d+)([a-z]+)$/.exec(token);
    if (glued && unitAliases[glued[2]!] !== undefined) {
      tokens.splice(i, 1, glued[1]!, glued[2]!);
      token = glued[1]!;
    }
    const clock = /^([-+]?)(\d.*)$/.exec(token);
    if (clock && clock[2]!.includes(':')) {
      if (!parseClock(clock[2]!, clock[1] === '-', acc, text)) throw syntax(text);
      continue;
    }
    const yearMonth = /^([-+]?)(\d+)-(\d+)$/.exec(token);
    if (yearMonth) {
      const sign = yearMonth[1] === '-' ? -1 : 1;
      claimFields(acc, fieldBit.y! | fieldBit.mon!, text);
      acc.months += sign * (Number(yearMonth[2]) * 12 + Number(yearMonth[3]));
      continue;
    }
    if (/^[-+]?(\d+\.?\d*|\.\d+)$/.test(token)) {
      const [whole, fraction] = splitNumber(token);
      const next = tokens[i + 1];
      const unit = next === undefined ? undefined : unitAliases[next];
      if (unit !== undefined) {
        addUnit(acc, unit, whole, fraction, text);
        i++;
      } else if (next !== undefined && /^[-+]?\d+:/.test(next) && !token.includes('.')) {
        addUnit(acc, 'd', whole, 0, text); // SQL-standard 'D H:M:S': the number is days
      } else if (next === undefined) {
        addUnit(acc, 's', whole, fraction, text); // a bare number is seconds
      } else throw syntax(text);
      continue;
    }
    throw syntax(text);
  }
  return finish(acc, ago, text);
}

function finish(acc: Accumulator, negate: boolean, text: string): Interval {
  let micros = acc.micros;
  let { months, days } = acc;
  if (negate) {
    months = -months;
    days = -days;
    micros = -micros;
  }
  if (!Number.isFinite(months) || !Number.isFinite(days) || months < INT32_MIN || months > INT32_MAX || days < INT32_MIN || days > INT32_MAX) {
    throw new SqlError(SqlState.datetimeFieldOverflow, `interval field value out of range: "${text}"`);
  }
  if (micros < -9223372036854775808n || micros > 9223372036854775807n) {
    throw new SqlError(SqlState.datetimeFieldOverflow, `interval field value out of range: "${text}"`);
  }
  return checkInterval({ months: months + 0, days: days + 0, micros });
}

// ---- output (IntervalStyle postgres)

interface IntervalFields {
  years: number;
  months: number;
  days: number;
  hours: bigint;
  minutes: number;
  seconds: number;
  /** Microseconds, with the sign of the time part. */
  fraction: number;
}

function fieldsOf(interval: Interval): IntervalFields {
  const years = Math.trunc(interval.months / 12);
  let time = interval.micros;
  const hours = time / USECS_PER_HOUR;
  time -= hours * USECS_PER_HOUR;
  const minutes = time / USECS_PER_MINUTE;
  time -= minutes * USECS_PER_MINUTE;
  const seconds = time / USECS_PER_SEC;
  return {
    years: years + 0,
    months: interval.months - years * 12 + 0,
    days: interval.days,
    hours,
    minutes: Number(minutes),
    seconds: Number(seconds),
    fraction: Number(time - seconds * USECS_PER_SEC),
  };
}

const absBig = (v: bigint) => (v < 0n ? -v : v);

/** AppendSeconds: |seconds| (zero-padded when asked) and a trimmed fraction. */
function appendSeconds(seconds: number, fraction: number, zeroPad: boolean): string {
  const whole = String(Math.abs(seconds));
  let text = zeroPad ? whole.padStart(2, '0') : whole;
  if (fraction !== 0) text += '.' + String(Math.abs(fraction)).padStart(6, '0').replace(/0+$/, '');
  return text;
}

/** EncodeInterval for IntervalStyle postgres (default), postgres_verbose, sql_standard, iso_8601. */
export function formatInterval(interval: Interval, style = 'postgres'): string {
  const f = fieldsOf(interval);
  switch (style.toLowerCase()) {
    case 'iso_8601':
      return formatIso8601(f);
    case 'sql_standard':
      return formatSqlStandard(f);
    case 'postgres_verbose':
      return formatVerbose(f);
    default:
      return formatPostgres(f);
  }
}

function formatPostgres(f: IntervalFields): string {
  let text = '';
  let isZero = true;
  let isBefore = false;
  const part = (value: number, unit: string) => {
    if (value === 0) return;
    text += `${!isZero ? ' ' : ''}${isBefore && value > 0 ? '+' : ''}${value} ${unit}${value !== 1 ? 's' : ''}`;
    isBefore = value < 0;
    isZero = false;
  };
  part(f.years, 'year');
  part(f.months, 'mon');
  part(f.days, 'day');
  if (isZero || f.hours !== 0n || f.minutes !== 0 || f.seconds !== 0 || f.fraction !== 0) {
    const minus = f.hours < 0n || f.minutes < 0 || f.seconds < 0 || f.fraction < 0;
    text += `${isZero ? '' : ' '}${minus ? '-' : isBefore ? '+' : ''}${String(absBig(f.hours)).padStart(2, '0')}:${pad2(Math.abs(f.minutes))}:`;
    text += appendSeconds(f.seconds, f.fraction, true);
  }
  return text;
}

function formatIso8601(f: IntervalFields): string {
  if (f.years === 0 && f.months === 0 && f.days === 0 && f.hours === 0n && f.minutes === 0 && f.seconds === 0 && f.fraction === 0) return 'PT0S';
  let text = 'P';
  const part = (value: number | bigint, unit: string) => {
    if (value !== 0 && value !== 0n) text += `${value}${unit}`;
  };
  part(f.years, 'Y');
  part(f.months, 'M');
  part(f.days, 'D');
  if (f.hours !== 0n || f.minutes !== 0 || f.seconds !== 0 || f.fraction !== 0) text += 'T';
  part(f.hours, 'H');
  part(f.minutes, 'M');
  if (f.seconds !== 0 || f.fraction !== 0) {
    if (f.seconds < 0 || f.fraction < 0) text += '-';
    text += appendSeconds(f.seconds, f.fraction, false) + 'S';
  }
  return text;
}

function formatSqlStandard(input: IntervalFields): string {
  const f = { ...input };
  const hasNegative = f.years < 0 || f.months < 0 || f.days < 0 || f.hours < 0n || f.minutes < 0 || f.seconds < 0 || f.fraction < 0;
  const hasPositive = f.years > 0 || f.months > 0 || f.days > 0 || f.hours > 0n || f.minutes > 0 || f.seconds > 0 || f.fraction > 0;
  const hasYearMonth = f.years !== 0 || f.months !== 0;
  const hasDayTime = f.days !== 0 || f.hours !== 0n || f.minutes !== 0 || f.seconds !== 0 || f.fraction !== 0;
  const standard = !(hasNegative && hasPositive) && !(hasYearMonth && hasDayTime);
  let text = '';
  if (hasNegative && standard) {
    // One leading sign for the whole value.
    text = '-';
    f.years = -f.years;
    f.months = -f.months;
    f.days = -f.days;
    f.hours = -f.hours;
    f.minutes = -f.minutes;
    f.seconds = -f.seconds;
    f.fraction = -f.fraction;
  }
  if (!hasNegative && !hasPositive) return '0';
  if (!standard) {
    const yearSign = f.years < 0 || f.months < 0 ? '-' : '+';
    const daySign = f.days < 0 ? '-' : '+';
    const secondSign = f.hours < 0n || f.minutes < 0 || f.seconds < 0 || f.fraction < 0 ? '-' : '+';
    return `${text}${yearSign}${Math.abs(f.years)}-${Math.abs(f.months)} ${daySign}${Math.abs(f.days)} ${secondSign}${absBig(f.hours)}:${pad2(Math.abs(f.minutes))}:${appendSeconds(f.seconds, f.fraction, true)}`;
  }
  if (hasYearMonth) return `${text}${f.years}-${f.months}`;
  if (f.days !== 0) return `${text}${f.days} ${f.hours}:${pad2(f.minutes)}:${appendSeconds(f.seconds, f.fraction, true)}`;
  return `${text}${f.hours}:${pad2(f.minutes)}:${appendSeconds(f.seconds, f.fraction, true)}`;
}

function formatVerbose(f: IntervalFields): string {
  let text = '@';
  let isZero = true;
  let isBefore = false;
  const part = (input: number | bigint, unit: string) => {
    let value = Number(input);
    if (value === 0) return;
    if (isZero) {
      isBefore = value < 0;
      value = Math.abs(value);
    } else if (isBefore) value = -value;
    text += ` ${value} ${unit}${value === 1 ? '' : 's'}`;
    isZero = false;
  };
  part(f.years, 'year');
  part(f.months, 'mon');
  part(f.days, 'day');
  part(f.hours, 'hour');
  part(f.minutes, 'min');
  if (f.seconds !== 0 || f.fraction !== 0) {
    text += ' ';
    if (f.seconds < 0 || (f.seconds === 0 && f.fraction < 0)) {
      if (isZero) isBefore = true;
      else if (!isBefore) text += '-';
    } else if (isBefore) text += '-';
    text += appendSeconds(f.seconds, f.fraction, false);
    text += ` sec${Math.abs(f.seconds) !== 1 || f.fraction !== 0 ? 's' : ''}`;
    isZero = false;
  }
  if (isZero) text += ' 0';
  if (isBefore) text += ' ago';
  return text;
}

/** interval typmod: low 16 bits are the fractional-second precision (0xFFFF = full). */
function intervalTypmod(value: Value, typmod: number): Value {
  if (typmod < 0) return value;
  const precision = typmod & 0xffff;
  if (precision === 0xffff) return value;
  const interval = value as Interval;
  return { ...interval, micros: roundToPrecision(interval.micros, precision) };
}

export const intervalType: PgType = {
  oid: TypeOid.interval,
  name: 'interval',
  length: 16,
  category: 'T',
  preferred: true,
  arrayOid: TypeOid._interval,
  parseText: (text: string, typmod: number, _settings: FormatSettings) => intervalTypmod(parseInterval(text), typmod),
  formatText: (value: Value, settings: FormatSettings) => formatInterval(value as Interval, settings.intervalStyle),
  decodeBinary: (data: Uint8Array, typmod: number) => {
    const view = expectLength(data, 16, 'interval');
    return intervalTypmod({ micros: view.getBigInt64(0), days: view.getInt32(8), months: view.getInt32(12) }, typmod);
  },
  encodeBinary: (value: Value) =>
    fixedBytes(16, (view) => {
      const interval = value as Interval;
      view.setBigInt64(0, interval.micros);
      view.setInt32(8, interval.days);
      view.setInt32(12, interval.months);
    }),
  applyTypmod: intervalTypmod,
  compare: (a: Value, b: Value) => compareIntervals(a as Interval, b as Interval),
  hash: (value: Value) => hashBigInt(intervalSpan(value as Interval)),
  // The span needs 128 bits: high 64 bits signed, low 64 unsigned.
  encodeKey: (value: Value, out: KeyWriter) => {
    const span = intervalSpan(value as Interval);
    writeSignedInt(out, span >> 64n, 8);
    const low = new Uint8Array(8);
    new DataView(low.buffer).setBigUint64(0, BigInt.asUintN(64, span));
    out.bytes(low);
  },
  decodeKey: (input: KeyReader) => {
    const high = readSignedInt(input, 8) as bigint;
    const lowBytes = readBytes(input, 8);
    const low = new DataView(lowBytes.buffer, lowBytes.byteOffset, 8).getBigUint64(0);
    const span = (high << 64n) | low;
    // Keys keep only the span; decode as days + time (equal under compare()).
    const days = span / USECS_PER_DAY;
    return { months: 0, days: Number(days), micros: span - days * USECS_PER_DAY };
  },
};
