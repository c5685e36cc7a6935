// PostgreSQL types as Cambium sees them. One descriptor per type (src/types/<type>.ts), looked
// up by OID or name from the registry. Exec evaluates on plain JS values (below); the wire
// server receives values already encoded by these descriptors.
//
// Value representation (null is SQL NULL everywhere):
//   bool → boolean; int2/int4/oid → number; int8 → bigint; float4/float8 → number;
//   numeric → Numeric (exact, src/types/numeric.ts); text/varchar/bpchar/name → string;
//   bytea → Uint8Array; date → number (days since 2000-01-01, ±Infinity for infinity);
//   time/timestamp/timestamptz → bigint (microseconds; timestamps since 2000-01-01 00:00 UTC);
//   timetz → { micros: bigint, offsetSeconds: number }; interval → Interval {months, days, micros: bigint};
//   uuid → string (lowercase canonical); json → string (as entered); jsonb → JsonbValue (normalised);
//   arrays → PgArray { elements (flat, row-major), dims: number[], lowerBounds: number[] }.

export type Value = unknown;

/** Session settings that change how values are read and written as text. */
export interface FormatSettings {
  dateStyle: string; // e.g. 'ISO, MDY'
  timeZone: string; // IANA name or offset, e.g. 'UTC'
  intervalStyle: string; // 'postgres'
  extraFloatDigits: number; // 1 by default (shortest exact output)
  byteaOutput: 'hex' | 'escape';
  /**
   * Additive extension: the transaction's start (µs since 2000-01-01 UTC), read by the input
   * words 'now', 'today', 'tomorrow', 'yesterday'. When absent the clock is read.
   */
  currentTimestamp?: bigint;
}

export const defaultFormatSettings: FormatSettings = {
  dateStyle: 'ISO, MDY',
  timeZone: 'UTC',
  intervalStyle: 'postgres',
  extraFloatDigits: 1,
  byteaOutput: 'hex',
};

/** Appends bytes whose memcmp order equals the SQL order of the values encoded. */
export interface KeyWriter {
  bytes(data: Uint8Array): void;
  byte(value: number): void;
}

export interface KeyReader {
  readonly buffer: Uint8Array;
  offset: number;
}

export interface PgType {
  readonly oid: number;
  /** pg_type.typname: 'int4', 'varchar', 'bpchar', '_int4', … */
  readonly name: string;
  /** pg_type.typlen: fixed size in bytes, or -1 for variable length. */
  readonly length: number;
  /** pg_type.typcategory: 'N' numeric, 'S' string, 'B' boolean, 'D' date/time, 'T' timespan, 'U' user, 'A' array, … */
  readonly category: string;
  /** pg_type.typispreferred, for PostgreSQL's operator/function resolution. */
  readonly preferred: boolean;
  /** OID of the array type whose elements are this type (0 when none). */
  readonly arrayOid: number;
  /** For array types, the element type. */
  readonly element?: PgType;

  /** Text input; typmod -1 = none. Throws SqlError 22P02/22003/22007/22008/… as PostgreSQL does. */
  parseText(text: string, typmod: number, settings: FormatSettings): Value;
  formatText(value: Value, settings: FormatSettings): string;
  /** Binary wire format (PostgreSQL's typsend/typreceive). */
  decodeBinary(data: Uint8Array, typmod: number): Value;
  encodeBinary(value: Value): Uint8Array;
  /** Enforces a column's typmod (varchar(n) → 22001, char(n) padding, numeric(p,s) rounding → 22003). */
  applyTypmod(value: Value, typmod: number, explicitCast: boolean): Value;
  /** Total order of non-null values (PostgreSQL's btree opclass). */
  compare(a: Value, b: Value): number;
  /** Hash consistent with compare() === 0 (for hash joins and aggregates). */
  hash(value: Value): number;
  /** Order-preserving key encoding of a non-null value; decodeKey reverses it. */
  encodeKey(value: Value, out: KeyWriter): void;
  decodeKey(input: KeyReader): Value;
}
