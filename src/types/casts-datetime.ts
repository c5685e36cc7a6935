// pg_cast entries of the date/time types and json/jsonb (the I/O casts to and from text are
// generic, in casts.ts).
import type { FormatSettings, Value } from './api.js';
import { SqlError, SqlState } from '../util/errors.js';
import { registerCast } from './casts.js';
import { dateToTimestamp, dateToTimestampTz, isInfiniteTimestamp, timestampToDate } from './datetime-arithmetic.js';
import { USECS_PER_DAY, USECS_PER_SEC, floorDiv } from './datetime-core.js';
import { currentTimestamp, localToUtc, offsetAtTimestamp, offsetForLocalTimestamp, sessionZone, utcToLocal, type TimeTz } from './datetime-types.js';
import type { Interval } from './interval.js';
import { JsonNull, formatJsonb, parseJson, type JsonbValue } from './jsonb-value.js';
import { Numeric } from './numeric.js';
import { TypeOid } from './oids.js';
import { findCast } from './casts.js';

const T = TypeOid;
const big = (v: Value) => v as bigint;

function timeOfDay(local: bigint): bigint {
  return local - floorDiv(local, USECS_PER_DAY) * USECS_PER_DAY;
}

registerCast(T.date, T.timestamp, 'implicit', (v) => dateToTimestamp(v as number));
registerCast(T.date, T.timestamptz, 'implicit', (v, s) => dateToTimestampTz(v as number, s));
registerCast(T.timestamp, T.date, 'assignment', (v) => timestampToDate(big(v)));
// Infinite timestamps have no time of day: PostgreSQL returns NULL.
registerCast(T.timestamp, T.time, 'assignment', (v) => (isInfiniteTimestamp(big(v)) ? null : timeOfDay(big(v))));
registerCast(T.timestamp, T.timestamptz, 'implicit', (v, s) => (isInfiniteTimestamp(big(v)) ? v : localToUtc(big(v), sessionZone(s))));
registerCast(T.timestamptz, T.timestamp, 'assignment', (v, s) => (isInfiniteTimestamp(big(v)) ? v : utcToLocal(big(v), sessionZone(s))));
registerCast(T.timestamptz, T.date, 'assignment', (v, s) => (isInfiniteTimestamp(big(v)) ? timestampToDate(big(v)) : timestampToDate(utcToLocal(big(v), sessionZone(s)))));
registerCast(T.timestamptz, T.time, 'assignment', (v, s) => (isInfiniteTimestamp(big(v)) ? null : timeOfDay(utcToLocal(big(v), sessionZone(s)))));
registerCast(T.timestamptz, T.timetz, 'assignment', (v, s) => {
  if (isInfiniteTimestamp(big(v))) return null;
  const offset = offsetAtTimestamp(sessionZone(s), big(v));
  return { micros: timeOfDay(big(v) + BigInt(offset) * USECS_PER_SEC), offsetSeconds: offset } satisfies TimeTz;
});
registerCast(T.time, T.interval, 'implicit', (v) => ({ months: 0, days: 0, micros: big(v) }) satisfies Interval);
registerCast(T.time, T.timetz, 'implicit', (v, s: FormatSettings) => {
  // The zone's offset on the current date, as time_timetz does.
  const zone = sessionZone(s);
  const today = floorDiv(utcToLocal(currentTimestamp(s), zone), USECS_PER_DAY) * USECS_PER_DAY;
  return { micros: big(v), offsetSeconds: offsetForLocalTimestamp(zone, today + big(v)) } satisfies TimeTz;
});
registerCast(T.interval, T.time, 'assignment', (v) => {
  let micros = (v as Interval).micros % USECS_PER_DAY;
  if (micros < 0n) micros += USECS_PER_DAY;
  return micros;
});
registerCast(T.timetz, T.time, 'assignment', (v) => (v as TimeTz).micros);

// json ↔ jsonb, and jsonb scalars to SQL types (explicit).
registerCast(T.json, T.jsonb, 'assignment', (v) => parseJson(v as string, true));
registerCast(T.jsonb, T.json, 'assignment', (v) => formatJsonb(v as JsonbValue));

function jsonbTypeName(value: JsonbValue): string {
  if (value === JsonNull) return 'null';
  if (typeof value === 'string') return 'string';
  if (value instanceof Numeric) return 'numeric';
  if (typeof value === 'boolean') return 'boolean';
  return Array.isArray(value) ? 'array' : 'object';
}

function jsonbScalar(value: JsonbValue, wanted: 'numeric' | 'boolean', target: string): Value {
  const actual = jsonbTypeName(value);
  if (actual !== wanted) throw new SqlError(SqlState.invalidParameterValue, `cannot cast jsonb ${actual} to type ${target}`);
  return value;
}

registerCast(T.jsonb, T.bool, 'explicit', (v) => jsonbScalar(v as JsonbValue, 'boolean', 'boolean'));
registerCast(T.jsonb, T.numeric, 'explicit', (v) => jsonbScalar(v as JsonbValue, 'numeric', 'numeric'));
for (const [target, name] of [[T.int2, 'smallint'], [T.int4, 'integer'], [T.int8, 'bigint'], [T.float4, 'real'], [T.float8, 'double precision']] as const) {
  registerCast(T.jsonb, target, 'explicit', (v, s) => {
    const numeric = jsonbScalar(v as JsonbValue, 'numeric', name);
    return findCast(T.numeric, target)!.convert(numeric, -1, s);
  });
}
