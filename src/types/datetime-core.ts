// Calendar arithmetic shared by the date/time types, ported from PostgreSQL's datetime.c and
// timestamp.c: Julian day numbers (date2j/j2date, proleptic Gregorian, year 0 = 1 BC),
// microsecond timestamps since 2000-01-01, and ISO (DateStyle ISO) formatting.
import { SqlError, SqlState } from '../util/errors.js';

export const USECS_PER_SEC = 1_000_000n;
export const USECS_PER_MINUTE = 60_000_000n;
export const USECS_PER_HOUR = 3_600_000_000n;
export const USECS_PER_DAY = 86_400_000_000n;
export const POSTGRES_EPOCH_JDATE = 2451545;
export const UNIX_EPOCH_JDATE = 2440588;
/** timestamp 'infinity' / '-infinity' are int64 max / min, as in PostgreSQL's binary format. */
export const TIMESTAMP_INFINITY = 9223372036854775807n;
export const TIMESTAMP_MINUS_INFINITY = -9223372036854775808n;
/** Julian day limits: 4713-11-24 BC … (dates up to 5874897 AD, timestamps up to 294276 AD). */
export const JULIAN_MIN_DAY = 0;
export const DATE_END_JULIAN = 2147483494; // date2j(5874898, 1, 1)
export const TIMESTAMP_END_JULIAN = 109203528; // date2j(294277, 1, 1)
export const MIN_TIMESTAMP = -211813488000000000n; // 4714-11-24 00:00:00 BC
export const END_TIMESTAMP = 9223371331200000000n; // 294277-01-01 00:00:00

export function date2j(year: number, month: number, day: number): number {
  let y = year;
  let m = month;
  if (m > 2) {
    m += 1;
    y += 4800;
  } else {
    m += 13;
    y += 4799;
  }
  const century = Math.trunc(y / 100);
  let julian = y * 365 - 32167;
  julian += Math.trunc(y / 4) - century + Math.trunc(century / 4);
  julian += Math.trunc((7834 * m) / 256) + day;
  return julian;
}

export function j2date(jd: number): [number, number, number] {
  let julian = jd + 32044;
  let quad = Math.floor(julian / 146097);
  const extra = (julian - quad * 146097) * 4 + 3;
  julian += 60 + quad * 3 + Math.floor(extra / 146097);
  quad = Math.floor(julian / 1461);
  julian -= quad * 1461;
  let y = Math.floor((julian * 4) / 1461);
  julian = (y !== 0 ? (julian + 305) % 365 : (julian + 306) % 366) + 123;
  y += quad * 4;
  const year = y - 4800;
  quad = Math.floor((julian * 2141) / 65536);
  const day = julian - Math.floor((7834 * quad) / 256);
  const month = ((quad + 10) % 12) + 1;
  return [year, month, day];
}

export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : monthDays[month - 1]!;
}

/** Broken-down time (PostgreSQL's struct pg_tm with fsec), year astronomical (0 = 1 BC). */
export interface BrokenDownTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
}

export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Timestamp (µs since 2000-01-01) → broken-down time. */
export function timestampToParts(timestamp: bigint): BrokenDownTime {
  const days = floorDiv(timestamp, USECS_PER_DAY);
  let timeOfDay = timestamp - days * USECS_PER_DAY;
  const [year, month, day] = j2date(Number(days) + POSTGRES_EPOCH_JDATE);
  const hour = Number(timeOfDay / USECS_PER_HOUR);
  timeOfDay -= BigInt(hour) * USECS_PER_HOUR;
  const minute = Number(timeOfDay / USECS_PER_MINUTE);
  timeOfDay -= BigInt(minute) * USECS_PER_MINUTE;
  const second = Number(timeOfDay / USECS_PER_SEC);
  const microsecond = Number(timeOfDay - BigInt(second) * USECS_PER_SEC);
  return { year, month, day, hour, minute, second, microsecond };
}

export function partsToTimestamp(parts: BrokenDownTime): bigint {
  const days = BigInt(date2j(parts.year, parts.month, parts.day) - POSTGRES_EPOCH_JDATE);
  return days * USECS_PER_DAY + timeToMicros(parts.hour, parts.minute, parts.second, parts.microsecond);
}

export function timeToMicros(hour: number, minute: number, second: number, microsecond: number): bigint {
  return BigInt(hour) * USECS_PER_HOUR + BigInt(minute) * USECS_PER_MINUTE + BigInt(second) * USECS_PER_SEC + BigInt(microsecond);
}

export function isValidTimestamp(timestamp: bigint): boolean {
  return timestamp >= MIN_TIMESTAMP && timestamp < END_TIMESTAMP;
}

export function timestampOutOfRange(): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, 'timestamp out of range');
}

export function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** 'YYYY-MM-DD' with the year at least 4 digits, as EncodeDateOnly (BC handled by the caller). */
export function formatYmd(year: number, month: number, day: number): string {
  const displayYear = year > 0 ? year : -(year - 1);
  return `${String(displayYear).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** 'HH:MM:SS[.ffffff]' with trailing fractional zeros dropped (AppendSeconds). */
export function formatHms(hour: number, minute: number, second: number, microsecond: number): string {
  let text = `${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
  if (microsecond !== 0) text += '.' + String(microsecond).padStart(6, '0').replace(/0+$/, '');
  return text;
}

/** '+HH[:MM[:SS]]' for an offset in seconds east of UTC (EncodeTimezone). */
export function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  let rest = Math.abs(offsetSeconds);
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  let text = sign + pad2(hours);
  if (minutes !== 0 || seconds !== 0) text += ':' + pad2(minutes);
  if (seconds !== 0) text += ':' + pad2(seconds);
  return text;
}
