// Date/time functions (timestamp.c, date.c): date_trunc, age, make_*, justify_*, AT TIME ZONE
// (timezone()), to_timestamp(double), isfinite, current_date/localtimestamp helpers.
import { SqlState } from '../../util/errors.js';
import type { FormatSettings, Value } from '../api.js';
import {
  POSTGRES_EPOCH_JDATE, TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY, USECS_PER_DAY, USECS_PER_SEC, date2j, daysInMonth,
  isValidTimestamp, partsToTimestamp, timestampToParts, type BrokenDownTime,
} from '../datetime-core.js';
import { localToUtc, offsetAtTimestamp, sessionZone, utcToLocal } from '../datetime-types.js';
import { checkInterval, formatInterval, type Interval } from '../interval.js';
import { zoneOrError, type Zone } from '../timezone.js';
import { defineFunction, sqlError } from './define.js';
import { Oid } from './oids.js';
import { cdiv, isoWeekToDate, isoWeek, parseField, unitNotRecognized, unitNotSupported } from './datetime-fields.js';

const { text, date, timestamp, timestamptz, interval, int4, float8 } = Oid;
const big = (v: Value) => v as bigint;
const isInfinite = (t: bigint) => t === TIMESTAMP_INFINITY || t === TIMESTAMP_MINUS_INFINITY;

function timestampOutOfRange(): never {
  throw sqlError(SqlState.datetimeFieldOverflow, 'timestamp out of range');
}

function checked(value: bigint): bigint {
  if (!isValidTimestamp(value)) timestampOutOfRange();
  return value;
}

// --- date_trunc -----------------------------------------------------------------------------
/** Truncates broken-down fields (timestamp_trunc's switch with its fall-throughs). */
function truncateParts(unit: string, p: BrokenDownTime, typeName: string): BrokenDownTime {
  const field = parseField(unit);
  const t = { ...p };
  switch (field) {
    case 'week': {
      // Weeks 52/53 in January belong to the previous year, week 1 in December to the next.
      const week = isoWeek(p.year, p.month, p.day);
      let weekYear = p.year;
      if (week >= 52 && p.month === 1) weekYear--;
      if (week <= 1 && p.month === 12) weekYear++;
      const [year, month, day] = isoWeekToDate(weekYear, week);
      return { year, month, day, hour: 0, minute: 0, second: 0, microsecond: 0 };
    }
    case 'millennium':
      t.year = t.year > 0 ? cdiv(t.year + 999, 1000) * 1000 - 999 : -cdiv(999 - (t.year - 1), 1000) * 1000 + 1;
      return truncateFrom('year', t);
    case 'century':
      t.year = t.year > 0 ? cdiv(t.year + 99, 100) * 100 - 99 : -cdiv(99 - (t.year - 1), 100) * 100 + 1;
      return truncateFrom('year', t);
    case 'decade':
      t.year = t.year > 0 ? cdiv(t.year, 10) * 10 : -cdiv(8 - (t.year - 1), 10) * 10;
      return truncateFrom('year', t);
    case 'year':
    case 'quarter':
    case 'month':
    case 'day':
    case 'hour':
    case 'minute':
    case 'second':
    case 'milliseconds':
    case 'microseconds':
      return truncateFrom(field, t);
    case undefined:
      return unitNotRecognized(unit, typeName);
    default:
      return unitNotRecognized(unit, typeName);
  }
}

function truncateFrom(field: 'year' | 'quarter' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'milliseconds' | 'microseconds', t: BrokenDownTime): BrokenDownTime {
  const order = ['year', 'quarter', 'month', 'day', 'hour', 'minute', 'second', 'milliseconds', 'microseconds'];
  const level = order.indexOf(field);
  if (level <= 0) t.month = 1;
  if (level <= 1) t.month = 3 * cdiv(t.month - 1, 3) + 1;
  if (level <= 2) t.day = 1;
  if (level <= 3) t.hour = 0;
  if (level <= 4) t.minute = 0;
  if (level <= 5) t.second = 0;
  if (level <= 6) t.microsecond = 0;
  if (level === 7) t.microsecond = cdiv(t.microsecond, 1000) * 1000;
  return t;
}

function truncateTimestamp(unit: string, value: bigint): bigint {
  if (isInfinite(value)) return value;
  return checked(partsToTimestamp(truncateParts(unit, timestampToParts(value), 'timestamp without time zone')));
}

function truncateTimestampTz(unit: string, value: bigint, zone: Zone): bigint {
  if (isInfinite(value)) return value;
  const field = parseField(unit);
  const local = utcToLocal(value, zone);
  const truncated = partsToTimestamp(truncateParts(unit, timestampToParts(local), 'timestamp with time zone'));
  // Units below a day keep the original offset (timestamptz_trunc_internal redoes the zone only from 'day' up).
  if (field === 'hour' || field === 'minute' || field === 'second' || field === 'milliseconds' || field === 'microseconds') {
    return checked(truncated - BigInt(offsetAtTimestamp(zone, value)) * USECS_PER_SEC);
  }
  return checked(localToUtc(truncated, zone));
}

defineFunction('date_trunc', [text, timestamp], timestamp, ([u, v]) => truncateTimestamp(u as string, big(v)));
defineFunction('date_trunc', [text, timestamptz], timestamptz, ([u, v], c) => truncateTimestampTz(u as string, big(v), sessionZone(c.settings)), { volatility: 'stable' });
defineFunction('date_trunc', [text, timestamptz, text], timestamptz, ([u, v, z]) => truncateTimestampTz(u as string, big(v), zoneOrError(z as string)));
defineFunction('date_trunc', [text, interval], interval, ([u, v]) => truncateInterval(u as string, v as Interval));

function truncateInterval(unit: string, value: Interval): Interval {
  const field = parseField(unit);
  const years = cdiv(value.months, 12);
  let months = value.months;
  let days = value.days;
  let micros = value.micros;
  const hourMicros = 3_600_000_000n;
  switch (field) {
    case 'millennium':
      months = cdiv(years, 1000) * 1000 * 12;
      days = 0;
      micros = 0n;
      break;
    case 'century':
      months = cdiv(years, 100) * 100 * 12;
      days = 0;
      micros = 0n;
      break;
    case 'decade':
      months = cdiv(years, 10) * 10 * 12;
      days = 0;
      micros = 0n;
      break;
    case 'year':
      months = years * 12;
      days = 0;
      micros = 0n;
      break;
    case 'quarter':
      months = years * 12 + 3 * cdiv(value.months % 12, 3);
      days = 0;
      micros = 0n;
      break;
    case 'month':
      days = 0;
      micros = 0n;
      break;
    case 'day':
      micros = 0n;
      break;
    case 'hour':
      micros = (micros / hourMicros) * hourMicros;
      break;
    case 'minute':
      micros = (micros / 60_000_000n) * 60_000_000n;
      break;
    case 'second':
      micros = (micros / USECS_PER_SEC) * USECS_PER_SEC;
      break;
    case 'milliseconds':
      micros = (micros / 1000n) * 1000n;
      break;
    case 'microseconds':
      break;
    case 'week':
      throw sqlError(SqlState.featureNotSupported, `unit "${unit.toLowerCase()}" not supported for type interval`, {
        detail: 'Months usually have fractional weeks.',
      });
    default:
      return unitNotRecognized(unit, 'interval');
  }
  return { months: months + 0, days: days + 0, micros };
}

// --- age ------------------------------------------------------------------------------------
function age(a: BrokenDownTime, b: BrokenDownTime, aBeforeB: boolean): Interval {
  let microsecond = a.microsecond - b.microsecond;
  let second = a.second - b.second;
  let minute = a.minute - b.minute;
  let hour = a.hour - b.hour;
  let day = a.day - b.day;
  let month = a.month - b.month;
  let year = a.year - b.year;
  const sign = aBeforeB ? -1 : 1;
  if (aBeforeB) {
    microsecond = -microsecond;
    second = -second;
    minute = -minute;
    hour = -hour;
    day = -day;
    month = -month;
    year = -year;
  }
  while (microsecond < 0) {
    microsecond += 1_000_000;
    second--;
  }
  while (second < 0) {
    second += 60;
    minute--;
  }
  while (minute < 0) {
    minute += 60;
    hour--;
  }
  while (hour < 0) {
    hour += 24;
    day--;
  }
  while (day < 0) {
    // Borrow the length of the earlier timestamp's month (day_tab[isleap(year)][mon - 1]).
    const from = aBeforeB ? a : b;
    day += daysInMonth(from.year, from.month);
    month--;
  }
  while (month < 0) {
    month += 12;
    year--;
  }
  const micros = (BigInt(hour) * 3600n + BigInt(minute) * 60n + BigInt(second)) * USECS_PER_SEC + BigInt(microsecond);
  return checkInterval({ months: sign * (year * 12 + month) + 0, days: sign * day + 0, micros: BigInt(sign) * micros });
}

function ageOf(a: bigint, b: bigint, zone: Zone | undefined): Interval {
  if (isInfinite(a) || isInfinite(b)) throw sqlError(SqlState.datetimeFieldOverflow, 'timestamp out of range');
  const localA = zone ? utcToLocal(a, zone) : a;
  const localB = zone ? utcToLocal(b, zone) : b;
  return age(timestampToParts(localA), timestampToParts(localB), a < b);
}

function todayLocal(transactionTimestamp: bigint, settings: FormatSettings): bigint {
  const local = utcToLocal(transactionTimestamp, sessionZone(settings));
  const day = local >= 0n ? local / USECS_PER_DAY : (local - USECS_PER_DAY + 1n) / USECS_PER_DAY;
  return day * USECS_PER_DAY;
}

defineFunction('age', [timestamp, timestamp], interval, ([a, b]) => ageOf(big(a), big(b), undefined));
defineFunction('age', [timestamptz, timestamptz], interval, ([a, b], c) => ageOf(big(a), big(b), sessionZone(c.settings)), { volatility: 'stable' });
defineFunction('age', [timestamp], interval, ([a], c) => ageOf(todayLocal(c.transactionTimestamp, c.settings), big(a), undefined), { volatility: 'stable' });
defineFunction(
  'age',
  [timestamptz],
  interval,
  ([a], c) => {
    const zone = sessionZone(c.settings);
    return ageOf(localToUtc(todayLocal(c.transactionTimestamp, c.settings), zone), big(a), zone);
  },
  { volatility: 'stable' },
);

// --- make_* ---------------------------------------------------------------------------------
function makeDate(yearArgument: number, month: number, day: number): number {
  // Negative years are BC: -1 is 1 BC (astronomical 0).
  if (yearArgument === 0) throw sqlError(SqlState.datetimeFieldOverflow, `date field value out of range: ${yearArgument}-${pad(month)}-${pad(day)}`);
  const year = yearArgument < 0 ? yearArgument + 1 : yearArgument;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    // The message shows the year after the BC adjustment (-5 → -4), as make_date does.
    throw sqlError(SqlState.datetimeFieldOverflow, `date field value out of range: ${year}-${pad(month)}-${pad(day)}`);
  }
  const days = date2j(year, month, day) - POSTGRES_EPOCH_JDATE;
  if (date2j(year, month, day) < 0 || year > 5874897) throw sqlError(SqlState.datetimeFieldOverflow, `date out of range: ${yearArgument}-${pad(month)}-${pad(day)}`);
  return days;
}
const pad = (n: number) => String(n).padStart(2, '0');

function timeMicros(hour: number, minute: number, seconds: number): bigint {
  const wholeSeconds = Math.trunc(seconds);
  const fraction = Math.round((seconds - wholeSeconds) * 1e6);
  const valid =
    hour >= 0 && minute >= 0 && minute < 60 && seconds >= 0 && seconds <= 60 && hour <= 24 && !(hour === 24 && (minute > 0 || seconds > 0));
  if (!valid) {
    throw sqlError(SqlState.datetimeFieldOverflow, `time field value out of range: ${hour}:${pad(minute)}:${formatSeconds(seconds)}`);
  }
  return ((BigInt(hour) * 60n + BigInt(minute)) * 60n + BigInt(wholeSeconds)) * USECS_PER_SEC + BigInt(fraction);
}

function formatSeconds(seconds: number): string {
  return formatG(seconds).padStart(2, '0'); // "%02g"
}

defineFunction('make_date', [int4, int4, int4], date, ([y, m, d]) => makeDate(y as number, m as number, d as number));
defineFunction('make_time', [int4, int4, float8], Oid.time, ([h, m, s]) => timeMicros(h as number, m as number, s as number));
function makeTimestamp(args: Value[]): bigint {
  const [y, m, d, h, mi, s] = args as number[];
  const days = makeDate(y!, m!, d!);
  return checked(BigInt(days) * USECS_PER_DAY + timeMicros(h!, mi!, s!));
}
defineFunction('make_timestamp', [int4, int4, int4, int4, int4, float8], timestamp, (args) => makeTimestamp(args));
defineFunction('make_timestamptz', [int4, int4, int4, int4, int4, float8], timestamptz, (args, c) => checked(localToUtc(makeTimestamp(args), sessionZone(c.settings))), {
  volatility: 'stable',
});
defineFunction('make_timestamptz', [int4, int4, int4, int4, int4, float8, text], timestamptz, (args) => checked(localToUtc(makeTimestamp(args), zoneOrError(args[6] as string))), {
  volatility: 'stable',
});

/** make_interval(years, months, weeks, days, hours, mins, secs), every argument defaulting to 0. */
function makeInterval(args: Value[]): Interval {
  const [years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0] = args as number[];
  if (!Number.isFinite(seconds)) throw sqlError(SqlState.datetimeFieldOverflow, 'interval out of range');
  const micros = BigInt(hours) * 3_600_000_000n + BigInt(minutes) * 60_000_000n + BigInt(Math.round(seconds * 1e6));
  return checkInterval({ months: years * 12 + months, days: weeks * 7 + days, micros });
}
const intervalArgTypes = [int4, int4, int4, int4, int4, int4, float8];
const intervalArgNames = ['years', 'months', 'weeks', 'days', 'hours', 'mins', 'secs'];
for (let count = 0; count <= 7; count++) {
  defineFunction('make_interval', intervalArgTypes.slice(0, count), interval, (args) => makeInterval(args), {
    argNames: intervalArgNames.slice(0, count),
    argDefaults: count === 7 ? [0, 0, 0, 0, 0, 0, 0] : [],
  });
}

// --- justify --------------------------------------------------------------------------------
function justifyDays(value: Interval): Interval {
  let months = value.months + cdiv(value.days, 30);
  let days = value.days % 30;
  if (months > 0 && days < 0) {
    days += 30;
    months--;
  } else if (months < 0 && days > 0) {
    days -= 30;
    months++;
  }
  return checkInterval({ months: months + 0, days: days + 0, micros: value.micros });
}

function justifyHours(value: Interval): Interval {
  let days = value.days + Number(value.micros / USECS_PER_DAY);
  let micros = value.micros % USECS_PER_DAY;
  if (days > 0 && micros < 0n) {
    micros += USECS_PER_DAY;
    days--;
  } else if (days < 0 && micros > 0n) {
    micros -= USECS_PER_DAY;
    days++;
  }
  return checkInterval({ months: value.months, days: days + 0, micros });
}

function justifyInterval(value: Interval): Interval {
  // interval_justify_interval: whole days out of the time, whole months out of the days, then
  // make the signs agree, borrowing from the larger unit.
  let days = value.days + Number(value.micros / USECS_PER_DAY);
  let micros = value.micros % USECS_PER_DAY;
  let months = value.months + cdiv(days, 30);
  days %= 30;
  if (months > 0 && (days < 0 || (days === 0 && micros < 0n))) {
    days += 30;
    months--;
  } else if (months < 0 && (days > 0 || (days === 0 && micros > 0n))) {
    days -= 30;
    months++;
  }
  if (days > 0 && micros < 0n) {
    micros += USECS_PER_DAY;
    days--;
  } else if (days < 0 && micros > 0n) {
    micros -= USECS_PER_DAY;
    days++;
  }
  return checkInterval({ months: months + 0, days: days + 0, micros });
}

defineFunction('justify_days', [interval], interval, ([v]) => justifyDays(v as Interval));
defineFunction('justify_hours', [interval], interval, ([v]) => justifyHours(v as Interval));
defineFunction('justify_interval', [interval], interval, ([v]) => justifyInterval(v as Interval));

// --- time zones -----------------------------------------------------------------------------
/** `ts AT TIME ZONE zone` is timezone(zone, ts). */
defineFunction('timezone', [text, timestamptz], timestamp, ([z, v]) => {
  const value = big(v);
  if (isInfinite(value)) return value;
  return checked(utcToLocal(value, zoneOrError(z as string)));
});
defineFunction('timezone', [text, timestamp], timestamptz, ([z, v]) => {
  const value = big(v);
  if (isInfinite(value)) return value;
  return checked(localToUtc(value, zoneOrError(z as string)));
});

function intervalZone(value: Interval): number {
  if (value.months !== 0 || value.days !== 0) {
    throw sqlError(SqlState.invalidParameterValue, `interval time zone "${formatIntervalZone(value)}" must not include months or days`);
  }
  return Number(value.micros / USECS_PER_SEC);
}
function formatIntervalZone(value: Interval): string {
  return formatInterval(value);
}
defineFunction('timezone', [interval, timestamptz], timestamp, ([z, v]) => {
  const value = big(v);
  if (isInfinite(value)) return value;
  return checked(value + BigInt(intervalZone(z as Interval)) * USECS_PER_SEC);
});
defineFunction('timezone', [interval, timestamp], timestamptz, ([z, v]) => {
  const value = big(v);
  if (isInfinite(value)) return value;
  return checked(value - BigInt(intervalZone(z as Interval)) * USECS_PER_SEC);
});

// --- conversions ----------------------------------------------------------------------------
const unixEpochMicros = BigInt(2440588 - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY;

defineFunction('to_timestamp', [float8], timestamptz, ([s]) => {
  const seconds = s as number;
  if (Number.isNaN(seconds)) throw sqlError(SqlState.datetimeFieldOverflow, 'timestamp cannot be NaN');
  if (seconds === Infinity) return TIMESTAMP_INFINITY;
  if (seconds === -Infinity) return TIMESTAMP_MINUS_INFINITY;
  const micros = Math.round(seconds * 1e6);
  const result = BigInt(micros) + unixEpochMicros;
  if (!Number.isFinite(micros) || !isValidTimestamp(result)) {
    throw sqlError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${formatG(seconds)}"`);
  }
  return result;
});

/** C's printf("%g"): 6 significant digits, trailing zeros dropped, exponent of at least 2 digits. */
export function formatG(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(6)))));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, power] = value.toExponential(5).split('e') as [string, string];
    const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    const sign = power.startsWith('-') ? '-' : '+';
    return `${trimmed}e${sign}${power.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  const fixed = value.toFixed(Math.max(0, 5 - exponent));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

defineFunction('isfinite', [date], Oid.bool, ([d]) => Number.isFinite(d as number));
defineFunction('isfinite', [timestamp], Oid.bool, ([t]) => !isInfinite(big(t)));
defineFunction('isfinite', [timestamptz], Oid.bool, ([t]) => !isInfinite(big(t)));
defineFunction('isfinite', [interval], Oid.bool, () => true);

/** date_bin(stride, source, origin): source rounded down to a multiple of stride from origin. */
function dateBin(stride: Interval, source: bigint, origin: bigint): bigint {
  if (isInfinite(source) || isInfinite(origin)) throw sqlError(SqlState.featureNotSupported, 'timestamps cannot be binned into infinite intervals');
  if (stride.months !== 0) throw sqlError(SqlState.featureNotSupported, 'timestamps cannot be binned into intervals containing months or years');
  const strideMicros = BigInt(stride.days) * USECS_PER_DAY + stride.micros;
  if (strideMicros <= 0n) throw sqlError(SqlState.datetimeFieldOverflow, 'stride must be greater than zero');
  const delta = source - origin;
  let binned = (delta / strideMicros) * strideMicros;
  if (delta < 0n && delta % strideMicros !== 0n) binned -= strideMicros;
  return checked(origin + binned);
}
defineFunction('date_bin', [interval, timestamp, timestamp], timestamp, ([s, t, o]) => dateBin(s as Interval, big(t), big(o)));
defineFunction('date_bin', [interval, timestamptz, timestamptz], timestamptz, ([s, t, o]) => dateBin(s as Interval, big(t), big(o)));
