// extract (numeric, PostgreSQL 14+) and date_part (float8) for date, time, timetz, timestamp,
// timestamptz and interval, following timestamp.c's timestamp_part_common/interval_part_common.
import { Numeric } from '../numeric.js';
import type { FormatSettings, Value } from '../api.js';
import { POSTGRES_EPOCH_JDATE, TIMESTAMP_INFINITY, USECS_PER_DAY, USECS_PER_SEC, date2j, timestampToParts } from '../datetime-core.js';
import { offsetAtTimestamp, sessionZone, type TimeTz } from '../datetime-types.js';
import type { Interval } from '../interval.js';
import { defineFunction } from './define.js';
import { Oid } from './oids.js';
import {
  centuryOf, dayOfWeek, decadeOf, isoWeek, isoYear, millenniumOf, parseField, unitNotRecognized, unitNotSupported, cdiv, type DateField,
} from './datetime-fields.js';

/** A field value: exact as numeric (scale given) — date_part converts to float8. */
type FieldValue = { integer: bigint; scale: number } | { numeric: Numeric } | null;

const exact = (integer: bigint | number, scale = 0): FieldValue => ({ integer: BigInt(integer), scale });
const unixEpochMicros = BigInt(2440588 - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY;

function toNumeric(value: FieldValue): Numeric | null {
  if (value === null) return null;
  if ('numeric' in value) return value.numeric;
  return Numeric.of(value.integer, value.scale);
}

function toFloat(value: FieldValue, floatOverride?: number): number | null {
  if (value === null) return null;
  if (floatOverride !== undefined) return floatOverride;
  if ('numeric' in value) return value.numeric.toNumber();
  return Number(value.integer) / 10 ** value.scale;
}

interface Extracted {
  value: FieldValue;
  /** date_part computes some fields in double arithmetic whose rounding differs from numeric. */
  asFloat?: number;
}

/** Fields of a broken-down local timestamp (timestamp, or timestamptz in the session zone). */
function timestampField(field: DateField, local: bigint, typeName: string, unit: string, offsetSeconds: number | undefined, epochSource: bigint): Extracted {
  const p = timestampToParts(local);
  const secondsMicros = BigInt(p.second) * USECS_PER_SEC + BigInt(p.microsecond);
  switch (field) {
    case 'microseconds':
      return { value: exact(secondsMicros) };
    case 'milliseconds':
      return { value: exact(secondsMicros, 3), asFloat: p.second * 1000 + p.microsecond / 1000 };
    case 'second':
      return { value: exact(secondsMicros, 6), asFloat: p.second + p.microsecond / 1000000 };
    case 'minute':
      return { value: exact(p.minute) };
    case 'hour':
      return { value: exact(p.hour) };
    case 'day':
      return { value: exact(p.day) };
    case 'month':
      return { value: exact(p.month) };
    case 'quarter':
      return { value: exact(cdiv(p.month - 1, 3) + 1) };
    case 'week':
      return { value: exact(isoWeek(p.year, p.month, p.day)) };
    case 'year':
      return { value: exact(p.year > 0 ? p.year : p.year - 1) };
    case 'decade':
      return { value: exact(decadeOf(p.year)) };
    case 'century':
      return { value: exact(centuryOf(p.year)) };
    case 'millennium':
      return { value: exact(millenniumOf(p.year)) };
    case 'julian': {
      const dayMicros = ((BigInt(p.hour) * 60n + BigInt(p.minute)) * 60n) * USECS_PER_SEC + secondsMicros;
      const numeric = Numeric.fromBigInt(date2j(p.year, p.month, p.day)).add(Numeric.fromBigInt(dayMicros).divide(Numeric.fromBigInt(USECS_PER_DAY)));
      const seconds = ((p.hour * 60 + p.minute) * 60 + p.second) + p.microsecond / 1000000;
      return { value: { numeric }, asFloat: date2j(p.year, p.month, p.day) + seconds / 86400 };
    }
    case 'isoyear': {
      const year = isoYear(p.year, p.month, p.day);
      return { value: exact(year > 0 ? year : year - 1) };
    }
    case 'dow':
      return { value: exact(dayOfWeek(date2j(p.year, p.month, p.day))) };
    case 'isodow': {
      const dow = dayOfWeek(date2j(p.year, p.month, p.day));
      return { value: exact(dow === 0 ? 7 : dow) };
    }
    case 'doy':
      return { value: exact(date2j(p.year, p.month, p.day) - date2j(p.year, 1, 1) + 1) };
    case 'epoch': {
      const micros = epochSource - unixEpochMicros;
      return { value: exact(micros, 6), asFloat: Number(micros) / 1000000 };
    }
    case 'timezone':
    case 'timezone_hour':
    case 'timezone_minute': {
      if (offsetSeconds === undefined) return unitNotSupported(unit, typeName);
      if (field === 'timezone') return { value: exact(offsetSeconds) };
      if (field === 'timezone_hour') return { value: exact(cdiv(offsetSeconds, 3600)) };
      return { value: exact(cdiv(offsetSeconds % 3600, 60)) };
    }
  }
}

/** Infinite timestamps: monotonic fields give ±Infinity, the others NULL (NonFiniteTimestampTzPart). */
function infiniteField(field: DateField, positive: boolean): Extracted {
  switch (field) {
    case 'year':
    case 'decade':
    case 'century':
    case 'millennium':
    case 'julian':
    case 'isoyear':
    case 'epoch':
      return { value: { numeric: positive ? Numeric.Infinity : Numeric.NegativeInfinity }, asFloat: positive ? Infinity : -Infinity };
    default:
      return { value: null };
  }
}

function extractTimestamp(unit: string, value: bigint, withZone: boolean, settings: FormatSettings): Extracted {
  const typeName = withZone ? 'timestamp with time zone' : 'timestamp without time zone';
  const field = parseField(unit) ?? unitNotRecognized(unit, typeName);
  if (value === TIMESTAMP_INFINITY || value === -TIMESTAMP_INFINITY - 1n) return infiniteField(field, value > 0n);
  if (!withZone) return timestampField(field, value, typeName, unit, undefined, value);
  const offset = offsetAtTimestamp(sessionZone(settings), value);
  return timestampField(field, value + BigInt(offset) * USECS_PER_SEC, typeName, unit, offset, value);
}

function extractDate(unit: string, days: number): Extracted {
  const field = parseField(unit) ?? unitNotRecognized(unit, 'date');
  if (!Number.isFinite(days)) {
    switch (field) {
      case 'year': case 'decade': case 'century': case 'millennium': case 'julian': case 'isoyear': case 'epoch':
        return { value: { numeric: days > 0 ? Numeric.Infinity : Numeric.NegativeInfinity }, asFloat: days };
      case 'day': case 'month': case 'quarter': case 'week': case 'dow': case 'isodow': case 'doy':
        return { value: null };
      default:
        return unitNotSupported(unit, 'date');
    }
  }
  switch (field) {
    case 'day': case 'month': case 'quarter': case 'week': case 'year': case 'decade': case 'century': case 'millennium':
    case 'isoyear': case 'dow': case 'isodow': case 'doy':
      return timestampField(field, BigInt(days) * USECS_PER_DAY, 'date', unit, undefined, 0n);
    case 'julian':
      return { value: exact(days + POSTGRES_EPOCH_JDATE) };
    case 'epoch': {
      const seconds = (BigInt(days) * USECS_PER_DAY - unixEpochMicros) / USECS_PER_SEC;
      return { value: exact(seconds) };
    }
    default:
      return unitNotSupported(unit, 'date');
  }
}

function extractTime(unit: string, micros: bigint, offsetSeconds: number | undefined): Extracted {
  const typeName = offsetSeconds === undefined ? 'time without time zone' : 'time with time zone';
  const field = parseField(unit) ?? unitNotRecognized(unit, typeName);
  const hour = Number(micros / 3_600_000_000n);
  const minute = Number((micros / 60_000_000n) % 60n);
  const secondsMicros = micros % 60_000_000n;
  switch (field) {
    case 'microseconds':
      return { value: exact(secondsMicros) };
    case 'milliseconds':
      return { value: exact(secondsMicros, 3), asFloat: Number(secondsMicros) / 1000 };
    case 'second':
      return { value: exact(secondsMicros, 6), asFloat: Number(secondsMicros) / 1000000 };
    case 'minute':
      return { value: exact(minute) };
    case 'hour':
      return { value: exact(hour) };
    case 'epoch': {
      const total = micros - BigInt(offsetSeconds ?? 0) * USECS_PER_SEC;
      return { value: exact(total, 6), asFloat: Number(total) / 1000000 };
    }
    case 'timezone':
    case 'timezone_hour':
    case 'timezone_minute':
      if (offsetSeconds === undefined) return unitNotSupported(unit, typeName);
      if (field === 'timezone') return { value: exact(offsetSeconds) };
      if (field === 'timezone_hour') return { value: exact(cdiv(offsetSeconds, 3600)) };
      return { value: exact(cdiv(offsetSeconds % 3600, 60)) };
    default:
      return unitNotSupported(unit, typeName);
  }
}

function extractInterval(unit: string, interval: Interval): Extracted {
  const field = parseField(unit) ?? unitNotRecognized(unit, 'interval');
  const years = cdiv(interval.months, 12);
  const months = interval.months % 12;
  const micros = interval.micros;
  const hours = micros / 3_600_000_000n;
  const secondsMicros = micros % 60_000_000n;
  switch (field) {
    case 'microseconds':
      return { value: exact(secondsMicros) };
    case 'milliseconds':
      return { value: exact(secondsMicros, 3) };
    case 'second':
      return { value: exact(secondsMicros, 6) };
    case 'minute':
      return { value: exact((micros / 60_000_000n) % 60n) };
    case 'hour':
      return { value: exact(hours) };
    case 'day':
      return { value: exact(interval.days) };
    case 'month':
      return { value: exact(months) };
    case 'quarter':
      return { value: exact(cdiv(months, 3) + 1) };
    case 'year':
      return { value: exact(years) };
    case 'decade':
      return { value: exact(cdiv(years, 10)) };
    case 'century':
      return { value: exact(cdiv(years, 100)) };
    case 'millennium':
      return { value: exact(cdiv(years, 1000)) };
    case 'epoch': {
      // 365.25-day years and 30-day months, as interval_part_common.
      const secondsFromDayMonth = 31557600n * BigInt(years) + 2592000n * BigInt(months) + 86400n * BigInt(interval.days);
      const total = micros + secondsFromDayMonth * USECS_PER_SEC;
      // date_part sums in double, in this order.
      const asFloat = Number(micros) / 1000000.0 + 31557600 * years + 2592000 * months + 86400 * interval.days;
      return { value: exact(total, 6), asFloat };
    }
    default:
      return unitNotSupported(unit, 'interval');
  }
}

type Extractor = (unit: string, value: Value, settings: FormatSettings) => Extracted;

const extractors: [number, Extractor][] = [
  [Oid.timestamp, (u, v, s) => extractTimestamp(u, v as bigint, false, s)],
  [Oid.timestamptz, (u, v, s) => extractTimestamp(u, v as bigint, true, s)],
  [Oid.date, (u, v) => extractDate(u, v as number)],
  [Oid.time, (u, v) => extractTime(u, v as bigint, undefined)],
  [Oid.timetz, (u, v) => extractTime(u, (v as TimeTz).micros, (v as TimeTz).offsetSeconds)],
  [Oid.interval, (u, v) => extractInterval(u, v as Interval)],
];

for (const [type, extractor] of extractors) {
  const volatility = type === Oid.timestamptz || type === Oid.timetz ? 'stable' : 'immutable';
  defineFunction('extract', [Oid.text, type], Oid.numeric, ([unit, value], context) => toNumeric(extractor(unit as string, value, context.settings).value), { volatility });
  defineFunction(
    'date_part',
    [Oid.text, type],
    Oid.float8,
    ([unit, value], context) => {
      // date_part(text, date) is date_part(text, $2::timestamp) in pg_proc.
      const extracted =
        type === Oid.date
          ? extractTimestamp(unit as string, Number.isFinite(value as number) ? BigInt(value as number) * USECS_PER_DAY : (value as number) > 0 ? TIMESTAMP_INFINITY : -TIMESTAMP_INFINITY - 1n, false, context.settings)
          : extractor(unit as string, value, context.settings);
      return toFloat(extracted.value, extracted.asFloat);
    },
    { volatility },
  );
}
