// Date/time arithmetic as timestamp.c and date.c do it: months then days are added in the
// (local) calendar with end-of-month clamping, then the time part; differences justify hours
// into days; interval × / float cascade fractional months and days downwards.
import type { FormatSettings } from './api.js';
import { SqlError, SqlState } from '../util/errors.js';
import {
  POSTGRES_EPOCH_JDATE, TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY, USECS_PER_DAY, USECS_PER_SEC, date2j, daysInMonth, floorDiv,
  isValidTimestamp, j2date, partsToTimestamp, timestampToParts,
} from './datetime-core.js';
import { isValidDate, localToUtc, sessionZone, utcToLocal } from './datetime-types.js';
import { checkInterval, intervalOutOfRange, type Interval } from './interval.js';
import { roundHalfEven } from './casts.js';

export function isInfiniteTimestamp(value: bigint): boolean {
  return value === TIMESTAMP_INFINITY || value === TIMESTAMP_MINUS_INFINITY;
}

function timestampRangeError(): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, 'timestamp out of range');
}

function checkedTimestamp(value: bigint): bigint {
  if (!isValidTimestamp(value)) throw timestampRangeError();
  return value;
}

/** timestamp + interval on a local (wall-clock) timestamp. */
export function addIntervalLocal(timestamp: bigint, interval: Interval): bigint {
  if (isInfiniteTimestamp(timestamp)) return timestamp;
  let result = timestamp;
  if (interval.months !== 0) {
    const parts = timestampToParts(result);
    let month = parts.month + interval.months;
    let year = parts.year;
    if (month > 12) {
      year += Math.floor((month - 1) / 12);
      month = ((month - 1) % 12) + 1;
    } else if (month < 1) {
      year += Math.trunc(month / 12) - 1;
      month = (month % 12) + 12;
    }
    const day = Math.min(parts.day, daysInMonth(year, month));
    if (year > 294277 || year < -4714) throw timestampRangeError();
    result = checkedTimestamp(partsToTimestamp({ ...parts, year, month, day }));
  }
  if (interval.days !== 0) {
    const parts = timestampToParts(result);
    const julian = date2j(parts.year, parts.month, parts.day) + interval.days;
    const [year, month, day] = j2date(julian);
    result = checkedTimestamp(partsToTimestamp({ ...parts, year, month, day }));
  }
  return checkedTimestamp(result + interval.micros);
}

export function negateInterval(interval: Interval): Interval {
  return checkInterval({ months: -interval.months + 0, days: -interval.days + 0, micros: -interval.micros });
}

export function addIntervals(a: Interval, b: Interval): Interval {
  return checkInterval({ months: a.months + b.months, days: a.days + b.days, micros: a.micros + b.micros });
}

/** timestamptz + interval: calendar steps in the session time zone (timestamptz_pl_interval). */
export function addIntervalTz(timestamp: bigint, interval: Interval, settings: FormatSettings): bigint {
  if (isInfiniteTimestamp(timestamp)) return timestamp;
  let result = timestamp;
  if (interval.months !== 0 || interval.days !== 0) {
    const zone = sessionZone(settings);
    const local = addIntervalLocal(utcToLocal(result, zone), { months: interval.months, days: interval.days, micros: 0n });
    result = checkedTimestamp(localToUtc(local, zone));
  }
  return checkedTimestamp(result + interval.micros);
}

/** interval_justify_hours: whole days out of the time part, signs made consistent. */
export function justifyHours(interval: Interval): Interval {
  let { days, micros } = interval;
  const wholeDays = micros / USECS_PER_DAY;
  micros -= wholeDays * USECS_PER_DAY;
  days += Number(wholeDays);
  if (days > 0 && micros < 0n) {
    micros += USECS_PER_DAY;
    days--;
  } else if (days < 0 && micros > 0n) {
    micros -= USECS_PER_DAY;
    days++;
  }
  return checkInterval({ months: interval.months, days, micros });
}

export function subtractTimestamps(a: bigint, b: bigint): Interval {
  if (isInfiniteTimestamp(a) || isInfiniteTimestamp(b)) {
    throw new SqlError(SqlState.datetimeFieldOverflow, 'cannot subtract infinite timestamps');
  }
  return justifyHours({ months: 0, days: 0, micros: a - b });
}

export function dateToTimestamp(date: number): bigint {
  if (date === Infinity) return TIMESTAMP_INFINITY;
  if (date === -Infinity) return TIMESTAMP_MINUS_INFINITY;
  const result = BigInt(date) * USECS_PER_DAY;
  if (!isValidTimestamp(result)) throw new SqlError(SqlState.datetimeFieldOverflow, 'date out of range for timestamp');
  return result;
}

export function dateToTimestampTz(date: number, settings: FormatSettings): bigint {
  const local = dateToTimestamp(date);
  if (isInfiniteTimestamp(local)) return local;
  return checkedTimestamp(localToUtc(local, sessionZone(settings)));
}

export function timestampToDate(timestamp: bigint): number {
  if (timestamp === TIMESTAMP_INFINITY) return Infinity;
  if (timestamp === TIMESTAMP_MINUS_INFINITY) return -Infinity;
  return Number(floorDiv(timestamp, USECS_PER_DAY));
}

export function addDays(date: number, days: number): number {
  if (!Number.isFinite(date)) return date;
  const result = date + days;
  if (!isValidDate(result)) throw new SqlError(SqlState.datetimeFieldOverflow, 'date out of range');
  return result;
}

export function subtractDates(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new SqlError(SqlState.datetimeFieldOverflow, 'cannot subtract infinite dates');
  return a - b;
}

/** Time of day arithmetic wraps modulo 24 hours. */
export function addToTime(time: bigint, micros: bigint): bigint {
  let result = (time + micros) % USECS_PER_DAY;
  if (result < 0n) result += USECS_PER_DAY;
  return result;
}

const TS_PREC_INV = 1_000_000;
const tsRound = (value: number) => roundHalfEven(value * TS_PREC_INV) / TS_PREC_INV;
const fitsInt32 = (value: number) => !Number.isNaN(value) && value >= -2147483648 && value < 2147483648;

/** interval_mul / interval_div (factor inverted by the caller for division). */
export function scaleInterval(interval: Interval, factor: number, divide: boolean): Interval {
  const apply = (value: number) => (divide ? value / factor : value * factor);
  if (divide && factor === 0) throw new SqlError(SqlState.divisionByZero, 'division by zero');
  const monthsExact = apply(interval.months);
  if (!fitsInt32(monthsExact)) throw intervalOutOfRange();
  const months = Math.trunc(monthsExact);
  const daysExact = apply(interval.days);
  if (!fitsInt32(daysExact)) throw intervalOutOfRange();
  let days = Math.trunc(daysExact);
  const monthRemainderDays = tsRound((monthsExact - months) * 30);
  let secondRemainder = tsRound((daysExact - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86400);
  if (Math.abs(secondRemainder) >= 86400) {
    const extraDays = Math.trunc(secondRemainder / 86400);
    days += extraDays;
    secondRemainder -= extraDays * 86400;
  }
  days += Math.trunc(monthRemainderDays);
  if (!fitsInt32(days)) throw intervalOutOfRange();
  const microsExact = roundHalfEven(apply(Number(interval.micros)) + secondRemainder * Number(USECS_PER_SEC));
  if (Number.isNaN(microsExact) || microsExact < -9223372036854775808 || microsExact >= 9223372036854775808) throw intervalOutOfRange();
  return checkInterval({ months: months + 0, days: days + 0, micros: BigInt(microsExact) });
}

export const postgresEpochJulian = POSTGRES_EPOCH_JDATE;
