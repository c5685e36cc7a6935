// Keys inside the transaction layer are latin1 strings: one char per byte, so JavaScript's
// string comparison is exactly memcmp order (a shorter prefix sorts first), and strings work as
// Map/Set keys. Conversion happens once per key at the layer's edge.
import type { KeyRange } from '../engine/api.js';

export type KeyString = string;

const latin1Slice = Buffer.prototype.latin1Slice as (this: Uint8Array, start: number, end: number) => string;

export function keyString(key: Uint8Array): KeyString {
  // Short keys (the common case) convert fastest through fromCharCode without allocating a view.
  if (key.length <= 256) return String.fromCharCode.apply(null, key as unknown as number[]);
  return latin1Slice.call(key, 0, key.length);
}

export function keyBytes(key: KeyString): Uint8Array {
  return Buffer.from(key, 'latin1');
}

/** A private copy; small ones share Buffer's pool slabs (far cheaper to collect than one ArrayBuffer each). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return Buffer.from(bytes);
}

/** A key range in KeyString form; absent bounds are open-ended. */
export interface StringRange {
  lower?: KeyString;
  lowerInclusive: boolean;
  upper?: KeyString;
  upperInclusive: boolean;
}

export function toStringRange(range: KeyRange | undefined): StringRange {
  return {
    lower: range?.lower === undefined ? undefined : keyString(range.lower),
    lowerInclusive: range?.lowerInclusive ?? true,
    upper: range?.upper === undefined ? undefined : keyString(range.upper),
    upperInclusive: range?.upperInclusive ?? false,
  };
}

export function aboveLower(key: KeyString, range: StringRange): boolean {
  if (range.lower === undefined) return true;
  return range.lowerInclusive ? key >= range.lower : key > range.lower;
}

export function belowUpper(key: KeyString, range: StringRange): boolean {
  if (range.upper === undefined) return true;
  return range.upperInclusive ? key <= range.upper : key < range.upper;
}

export function rangeContains(range: StringRange, key: KeyString): boolean {
  return aboveLower(key, range) && belowUpper(key, range);
}

/** True when no key can satisfy the range. */
export function rangeIsEmpty(range: StringRange): boolean {
  if (range.lower === undefined || range.upper === undefined) return false;
  if (range.lower < range.upper) return false;
  if (range.lower > range.upper) return true;
  return !(range.lowerInclusive && range.upperInclusive);
}

/** Compares lower bounds: an absent bound is lowest; inclusive sorts before exclusive at one key. */
export function compareLower(a: StringRange, b: StringRange): number {
  if (a.lower === undefined) return b.lower === undefined ? 0 : -1;
  if (b.lower === undefined) return 1;
  if (a.lower !== b.lower) return a.lower < b.lower ? -1 : 1;
  if (a.lowerInclusive === b.lowerInclusive) return 0;
  return a.lowerInclusive ? -1 : 1;
}

/** Compares upper bounds: an absent bound is highest; exclusive sorts before inclusive at one key. */
export function compareUpper(a: StringRange, b: StringRange): number {
  if (a.upper === undefined) return b.upper === undefined ? 0 : 1;
  if (b.upper === undefined) return -1;
  if (a.upper !== b.upper) return a.upper < b.upper ? -1 : 1;
  if (a.upperInclusive === b.upperInclusive) return 0;
  return a.upperInclusive ? 1 : -1;
}

/** True when `a`'s upper end reaches or touches `b`'s lower end (b starts no later than a ends). */
export function rangesTouch(a: StringRange, b: StringRange): boolean {
  if (a.upper === undefined || b.lower === undefined) return true;
  if (b.lower < a.upper) return true;
  if (b.lower > a.upper) return false;
  return a.upperInclusive || b.lowerInclusive;
}
