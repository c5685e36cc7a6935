// Ordering of values whose type is known only from their JS representation: polymorphic
// operators (anyarray = anyarray, @>, &&) receive no argument types, so elements compare by
// kind. Within one array all elements share a type, so this matches the type's compare()
// except for bpchar (trailing spaces are significant here).
import type { Value } from './api.js';
import { isPgArray, type PgArray } from './arrays.js';
import { compareFloats } from './floats.js';
import { compareTimeTz, type TimeTz } from './datetime-types.js';
import { compareIntervals, type Interval } from './interval.js';
import { JsonbObject, JsonNull, compareJsonb, type JsonbValue } from './jsonb-value.js';
import { compareCodePoints } from './key-bytes.js';
import { Numeric } from './numeric.js';

function isInterval(value: object): value is Interval {
  return 'months' in value && 'days' in value && 'micros' in value;
}

function isTimeTz(value: object): value is TimeTz {
  return 'micros' in value && 'offsetSeconds' in value;
}

export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return compareFloats(a, b);
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Numeric && b instanceof Numeric) return a.compare(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  if (isPgArray(a) && isPgArray(b)) return compareArraysGeneric(a, b);
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    if (isInterval(a) && isInterval(b)) return compareIntervals(a, b);
    if (isTimeTz(a) && isTimeTz(b)) return compareTimeTz(a, b);
  }
  if (a === JsonNull || b === JsonNull || a instanceof JsonbObject || b instanceof JsonbObject || Array.isArray(a) || Array.isArray(b)) {
    return compareJsonb(a as JsonbValue, b as JsonbValue);
  }
  return compareCodePoints(String(a), String(b));
}

const isNull = (v: Value) => v === null || v === undefined;

/** array_cmp with kind-based element comparison. */
export function compareArraysGeneric(a: PgArray, b: PgArray): number {
  const shared = Math.min(a.elements.length, b.elements.length);
  for (let i = 0; i < shared; i++) {
    const x = a.elements[i];
    const y = b.elements[i];
    if (isNull(x) || isNull(y)) {
      if (isNull(x) !== isNull(y)) return isNull(x) ? 1 : -1;
      continue;
    }
    const c = compareValues(x, y);
    if (c !== 0) return c;
  }
  if (a.elements.length !== b.elements.length) return a.elements.length < b.elements.length ? -1 : 1;
  if (a.dims.length !== b.dims.length) return a.dims.length < b.dims.length ? -1 : 1;
  for (let i = 0; i < a.dims.length; i++) if (a.dims[i] !== b.dims[i]) return a.dims[i]! < b.dims[i]! ? -1 : 1;
  for (let i = 0; i < a.dims.length; i++) if (a.lowerBounds[i] !== b.lowerBounds[i]) return a.lowerBounds[i]! < b.lowerBounds[i]! ? -1 : 1;
  return 0;
}
