// Operators of date, time, timetz, timestamp, timestamptz and interval (pg_operator), plus
// the comparison operators of uuid and jsonb. Cross-type date/timestamp comparisons convert
// as PostgreSQL does (date → timestamp at midnight; timestamp → timestamptz in TimeZone).
import type { FormatSettings, Value } from './api.js';
import type { FunctionContext } from './functions/api.js';
import {
  addDays, addIntervalLocal, addIntervalTz, addIntervals, addToTime, dateToTimestamp, dateToTimestampTz, isInfiniteTimestamp,
  negateInterval, scaleInterval, subtractDates, subtractTimestamps,
} from './datetime-arithmetic.js';
import { USECS_PER_SEC } from './datetime-core.js';
import { compareTimeTz, localToUtc, sessionZone, type TimeTz } from './datetime-types.js';
import { compareIntervals, checkInterval, type Interval } from './interval.js';
import { compareJsonb, type JsonbValue } from './jsonb-value.js';
import { TypeOid } from './oids.js';
import { defineComparisons, defineOperator } from './operators-support.js';

const { date, time, timetz, timestamp, timestamptz, interval, int4, float8, uuid, jsonb } = TypeOid;
const big = (v: Value) => v as bigint;
const iv = (v: Value) => v as Interval;
const settingsOf = (context: FunctionContext): FormatSettings => context.settings;

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function timestampToTimestampTz(value: bigint, settings: FormatSettings): bigint {
  if (isInfiniteTimestamp(value)) return value;
  return localToUtc(value, sessionZone(settings));
}

// ---- date
defineOperator('+', date, int4, (d, n) => addDays(d as number, n as number));
defineOperator('+', int4, date, (n, d) => addDays(d as number, n as number));
defineOperator('-', date, int4, (d, n) => addDays(d as number, -(n as number)));
defineOperator('-', date, date, (a, b) => subtractDates(a as number, b as number));
defineOperator('+', date, interval, (d, i) => addIntervalLocal(dateToTimestamp(d as number), iv(i)));
defineOperator('+', interval, date, (i, d) => addIntervalLocal(dateToTimestamp(d as number), iv(i)));
defineOperator('-', date, interval, (d, i) => addIntervalLocal(dateToTimestamp(d as number), negateInterval(iv(i))));
defineOperator('+', date, time, (d, t) => addTime(dateToTimestamp(d as number), big(t)));
defineOperator('+', time, date, (t, d) => addTime(dateToTimestamp(d as number), big(t)));
defineOperator('+', date, timetz, (d, t) => dateTimeTz(d as number, t as TimeTz));
defineOperator('+', timetz, date, (t, d) => dateTimeTz(d as number, t as TimeTz));

function addTime(timestampValue: bigint, timeValue: bigint): bigint {
  if (isInfiniteTimestamp(timestampValue)) return timestampValue;
  return timestampValue + timeValue;
}

function dateTimeTz(d: number, t: TimeTz): bigint {
  const local = dateToTimestamp(d);
  if (isInfiniteTimestamp(local)) return local;
  return local + t.micros - BigInt(t.offsetSeconds) * USECS_PER_SEC;
}

defineComparisons(date, date, (a, b) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0));
defineComparisons(date, timestamp, (a, b) => compareBig(dateToTimestamp(a as number), big(b)));
defineComparisons(timestamp, date, (a, b) => compareBig(big(a), dateToTimestamp(b as number)));
// Cross-type comparisons need the session time zone: registered with the context-aware form.
for (const name of ['=', '<>', '<', '<=', '>', '>='] as const) {
  const test = (c: number) => (name === '=' ? c === 0 : name === '<>' ? c !== 0 : name === '<' ? c < 0 : name === '<=' ? c <= 0 : name === '>' ? c > 0 : c >= 0);
  defineOperator(name, date, timestamptz, (a, b, ctx) => test(compareBig(dateToTimestampTz(a as number, settingsOf(ctx)), big(b))));
  defineOperator(name, timestamptz, date, (a, b, ctx) => test(compareBig(big(a), dateToTimestampTz(b as number, settingsOf(ctx)))));
  defineOperator(name, timestamp, timestamptz, (a, b, ctx) => test(compareBig(timestampToTimestampTz(big(a), settingsOf(ctx)), big(b))));
  defineOperator(name, timestamptz, timestamp, (a, b, ctx) => test(compareBig(big(a), timestampToTimestampTz(big(b), settingsOf(ctx)))));
}

// ---- timestamp / timestamptz
defineOperator('+', timestamp, interval, (t, i) => addIntervalLocal(big(t), iv(i)));
defineOperator('+', interval, timestamp, (i, t) => addIntervalLocal(big(t), iv(i)));
defineOperator('-', timestamp, interval, (t, i) => addIntervalLocal(big(t), negateInterval(iv(i))));
defineOperator('-', timestamp, timestamp, (a, b) => subtractTimestamps(big(a), big(b)));
defineOperator('+', timestamptz, interval, (t, i, ctx) => addIntervalTz(big(t), iv(i), settingsOf(ctx)));
defineOperator('+', interval, timestamptz, (i, t, ctx) => addIntervalTz(big(t), iv(i), settingsOf(ctx)));
defineOperator('-', timestamptz, interval, (t, i, ctx) => addIntervalTz(big(t), negateInterval(iv(i)), settingsOf(ctx)));
defineOperator('-', timestamptz, timestamptz, (a, b) => subtractTimestamps(big(a), big(b)));
defineComparisons(timestamp, timestamp, (a, b) => compareBig(big(a), big(b)));
defineComparisons(timestamptz, timestamptz, (a, b) => compareBig(big(a), big(b)));

// ---- time / timetz
defineOperator('+', time, interval, (t, i) => addToTime(big(t), iv(i).micros));
defineOperator('+', interval, time, (i, t) => addToTime(big(t), iv(i).micros));
defineOperator('-', time, interval, (t, i) => addToTime(big(t), -iv(i).micros));
defineOperator('-', time, time, (a, b) => checkInterval({ months: 0, days: 0, micros: big(a) - big(b) }));
defineOperator('+', timetz, interval, (t, i) => ({ ...(t as TimeTz), micros: addToTime((t as TimeTz).micros, iv(i).micros) }));
defineOperator('+', interval, timetz, (i, t) => ({ ...(t as TimeTz), micros: addToTime((t as TimeTz).micros, iv(i).micros) }));
defineOperator('-', timetz, interval, (t, i) => ({ ...(t as TimeTz), micros: addToTime((t as TimeTz).micros, -iv(i).micros) }));
defineComparisons(time, time, (a, b) => compareBig(big(a), big(b)));
defineComparisons(timetz, timetz, (a, b) => compareTimeTz(a as TimeTz, b as TimeTz));

// ---- interval
defineOperator('+', interval, interval, (a, b) => addIntervals(iv(a), iv(b)));
defineOperator('-', interval, interval, (a, b) => addIntervals(iv(a), negateInterval(iv(b))));
defineOperator('-', 0, interval, (_, b) => negateInterval(iv(b)));
defineOperator('*', interval, float8, (i, f) => scaleInterval(iv(i), f as number, false));
defineOperator('*', float8, interval, (f, i) => scaleInterval(iv(i), f as number, false));
defineOperator('/', interval, float8, (i, f) => scaleInterval(iv(i), f as number, true));
defineComparisons(interval, interval, (a, b) => compareIntervals(iv(a), iv(b)));

// ---- uuid, jsonb
defineComparisons(uuid, uuid, (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0));
defineComparisons(jsonb, jsonb, (a, b) => compareJsonb(a as JsonbValue, b as JsonbValue));

