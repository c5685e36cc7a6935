// Composite keys: each column is a marker byte then the type's prefix-free key encoding, so
// memcmp over the bytes equals ORDER BY over the columns. NULLs sort last ascending and first
// descending (PostgreSQL's default), unless nullsFirst says otherwise. DESC columns have their
// value bytes inverted; the marker is chosen so NULL placement needs no inversion.
import type { PgType, Value } from './api.js';
import { assert } from '../util/assert.js';
import { KeyBuffer } from './key-bytes.js';

export interface KeyColumnOrder {
  /** Per column: true for DESC. */
  descending?: readonly boolean[];
  /** Per column: NULLS FIRST / LAST; defaults to PostgreSQL's (FIRST for DESC, LAST for ASC). */
  nullsFirst?: readonly (boolean | undefined)[];
}

const marker = { nullFirst: 0x00, value: 0x01, nullLast: 0x02 } as const;

function isNull(value: Value): boolean {
  return value === null || value === undefined;
}

/** Encodes values[0..n) (n may be fewer than types, for prefixes) into one key. */
export function encodeKey(
  types: readonly PgType[],
  values: readonly Value[],
  descending?: readonly boolean[],
  nullsFirst?: readonly (boolean | undefined)[],
): Uint8Array {
  assert(values.length <= types.length, 'more key values than key columns');
  const out = new KeyBuffer(8 + values.length * 12);
  for (let i = 0; i < values.length; i++) {
    const desc = descending?.[i] === true;
    const nullFirst = nullsFirst?.[i] ?? desc;
    const value = values[i];
    if (isNull(value)) {
      out.byte(nullFirst ? marker.nullFirst : marker.nullLast);
      continue;
    }
    out.byte(marker.value);
    const start = out.length;
    types[i]!.encodeKey(value, out);
    if (desc) out.invertFrom(start);
  }
  return out.result();
}

/** Reverses encodeKey; decodes as many columns as the key holds (a prefix key gives fewer). */
export function decodeKey(types: readonly PgType[], key: Uint8Array, descending?: readonly boolean[]): Value[] {
  const values: Value[] = [];
  let offset = 0;
  for (let i = 0; i < types.length && offset < key.length; i++) {
    const tag = key[offset++];
    if (tag === marker.nullFirst || tag === marker.nullLast) {
      values.push(null);
      continue;
    }
    assert(tag === marker.value, `bad key column marker ${tag}`);
    if (descending?.[i] === true) {
      // Decode from an inverted copy of the rest; encodings are self-delimiting.
      const rest = key.slice(offset);
      for (let j = 0; j < rest.length; j++) rest[j] = ~rest[j]! & 0xff;
      const reader = { buffer: rest, offset: 0 };
      values.push(types[i]!.decodeKey(reader));
      offset += reader.offset;
    } else {
      const reader = { buffer: key, offset };
      values.push(types[i]!.decodeKey(reader));
      offset = reader.offset;
    }
  }
  return values;
}

/** The smallest key greater than `key` (for exclusive lower bounds: key > k ⇔ key ≥ successor(k) when k is a whole key). */
export function keySuccessor(key: Uint8Array): Uint8Array {
  const next = new Uint8Array(key.length + 1);
  next.set(key);
  return next;
}

/**
 * The smallest byte string greater than every key that starts with `prefix` (exclusive upper
 * bound of a prefix scan); undefined when no such bound exists (prefix empty or all 0xFF).
 */
export function prefixUpperBound(prefix: Uint8Array): Uint8Array | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const bound = prefix.slice(0, end);
  bound[end - 1]!++;
  return bound;
}

/** memcmp order of two keys. */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

export interface ValueBound {
  value: Value;
  inclusive: boolean;
}

export interface KeyRange {
  /** Inclusive lower bound of the keys. */
  lower: Uint8Array;
  /** Exclusive upper bound; undefined when unbounded. */
  upper?: Uint8Array;
}

/**
 * The byte range of the keys whose first `prefixValues.length` columns equal `prefixValues`
 * and whose next column lies within `lower`/`upper` (SQL comparison semantics: NULLs never
 * qualify when a bound is given). Handles DESC columns (bounds swap) and NULL placement.
 * With no bounds the range is every key with the prefix, NULLs included.
 */
export function keyRange(
  types: readonly PgType[],
  prefixValues: readonly Value[],
  bounds: { lower?: ValueBound; upper?: ValueBound },
  descending?: readonly boolean[],
  nullsFirst?: readonly (boolean | undefined)[],
): KeyRange {
  const prefix = encodeKey(types, prefixValues, descending, nullsFirst);
  if (!bounds.lower && !bounds.upper) {
    const upper = prefixUpperBound(prefix);
    return upper ? { lower: prefix, upper } : { lower: prefix };
  }
  const column = prefixValues.length;
  assert(column < types.length, 'bounded column beyond the key');
  const keyTypes = types.slice(0, column + 1);
  const encodeWith = (value: Value) => encodeKey(keyTypes, [...prefixValues, value], descending, nullsFirst);
  // All non-NULL values of the bounded column share the value marker.
  const valuesStart = new Uint8Array(prefix.length + 1);
  valuesStart.set(prefix);
  valuesStart[prefix.length] = marker.value;
  const valuesEnd = prefixUpperBound(valuesStart);
  const desc = descending?.[column] === true;
  // In key order, the low end comes from the value lower bound (ASC) or upper bound (DESC).
  const low = desc ? bounds.upper : bounds.lower;
  const high = desc ? bounds.lower : bounds.upper;
  const lower = low ? (low.inclusive ? encodeWith(low.value) : (prefixUpperBound(encodeWith(low.value)) ?? encodeWith(low.value))) : valuesStart;
  let upper: Uint8Array | undefined;
  if (high) upper = high.inclusive ? prefixUpperBound(encodeWith(high.value)) : encodeWith(high.value);
  else upper = valuesEnd;
  return upper ? { lower, upper } : { lower };
}
