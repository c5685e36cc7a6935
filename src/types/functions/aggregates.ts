// The general-purpose aggregates with PostgreSQL's signatures and result types: count, sum,
// avg, min, max, bool_and/bool_or/every, bit_and/bit_or/bit_xor, string_agg, array_agg.
import { Numeric } from '../numeric.js';
import { makeArray, type PgArray } from '../arrays.js';
import { typeByOid } from '../registry.js';
import type { Value } from '../api.js';
import { checkInterval, type Interval } from '../interval.js';
import { SqlState } from '../../util/errors.js';
import { accumulator, defineAggregate } from './aggregates-api.js';
import { sqlError } from './define.js';
import { addFloat, type FloatMoments } from './aggregates-statistics.js';
import { float4Add, float8Add } from './float-checks.js';
import { Oid } from './oids.js';

const { int2, int4, int8, float4, float8, numeric, text, bool, bytea } = Oid;

// --- count ----------------------------------------------------------------------------------
defineAggregate('count', [], int8, () => accumulator(0n, (n) => n + 1n, (n) => n), { strict: false });
defineAggregate('count', [Oid.any], int8, () => accumulator(0n, (n) => n + 1n, (n) => n));

// --- sum ------------------------------------------------------------------------------------
/** sum(int2|int4) → int8: exact in bigint. */
for (const type of [int2, int4]) {
  defineAggregate('sum', [type], int8, () =>
    accumulator<bigint | null>(null, (sum, [x]) => (sum ?? 0n) + BigInt(x as number), (sum) => sum),
  );
}

/** Numeric running sum with PostgreSQL's special-value rules (NaN wins; +Inf + -Inf = NaN). */
function numericSum(values: Numeric | null, x: Numeric): Numeric {
  return values === null ? x : values.add(x);
}

defineAggregate('sum', [int8], numeric, () =>
  accumulator<bigint | null>(null, (sum, [x]) => (sum ?? 0n) + (x as bigint), (sum) => (sum === null ? null : Numeric.fromBigInt(sum))),
);
defineAggregate('sum', [numeric], numeric, () => accumulator<Numeric | null>(null, (sum, [x]) => numericSum(sum, x as Numeric), (sum) => sum));
defineAggregate('sum', [float4], float4, () => accumulator<number | null>(null, (sum, [x]) => (sum === null ? (x as number) : float4Add(sum, x as number)), (sum) => sum));
defineAggregate('sum', [float8], float8, () => accumulator<number | null>(null, (sum, [x]) => (sum === null ? (x as number) : float8Add(sum, x as number)), (sum) => sum));

/** sum(interval): component-wise interval_pl with its range check. */
defineAggregate('sum', [Oid.interval], Oid.interval, () =>
  accumulator<Interval | null>(null, (sum, [x]) => {
    const value = x as Interval;
    return sum === null ? value : checkInterval({ months: sum.months + value.months, days: sum.days + value.days, micros: sum.micros + value.micros });
  }, (sum) => sum),
);

// --- avg ------------------------------------------------------------------------------------
/** avg of integers → numeric: sum / count with select_div_scale (int8_avg → numeric_div). */
for (const type of [int2, int4, int8]) {
  defineAggregate('avg', [type], numeric, () =>
    accumulator(
      { count: 0n, sum: 0n },
      (state, [x]) => ({ count: state.count + 1n, sum: state.sum + BigInt(x as number | bigint) }),
      (state) => (state.count === 0n ? null : Numeric.fromBigInt(state.sum).divide(Numeric.fromBigInt(state.count))),
    ),
  );
}
defineAggregate('avg', [numeric], numeric, () =>
  accumulator(
    { count: 0n, sum: Numeric.zero },
    (state, [x]) => ({ count: state.count + 1n, sum: state.sum.add(x as Numeric) }),
    (state) => (state.count === 0n ? null : state.sum.divide(Numeric.fromBigInt(state.count))),
  ),
);
/** avg(float) shares float8_accum with the variance family (so its overflow rules too). */
for (const type of [float4, float8]) {
  defineAggregate('avg', [type], float8, () =>
    accumulator<FloatMoments>({ n: 0, sx: 0, sxx: 0 }, (state, [x]) => addFloat(state, x as number), (state) => (state.n === 0 ? null : state.sx / state.n)),
  );
}

// --- min / max ------------------------------------------------------------------------------
/** Types with min/max in PostgreSQL 15 (pg_aggregate), each returning its own type. */
const orderedTypes = [
  int2, int4, int8, float4, float8, numeric, text, Oid.bpchar, Oid.oid, Oid.date, Oid.time, Oid.timetz, Oid.timestamp,
  Oid.timestamptz, Oid.interval, Oid.inet, Oid.anyarray,
];
for (const type of orderedTypes) {
  for (const [name, sign] of [
    ['min', -1],
    ['max', 1],
  ] as const) {
    defineAggregate(
      name,
      [type],
      type === Oid.anyarray ? (argTypes) => argTypes[0]! : type,
      (argTypes) => {
        const valueType = typeByOid(argTypes[0]!);
        if (!valueType) throw sqlError(SqlState.undefinedFunction, `${name} has no type ${argTypes[0]}`);
        // On ties the newer value wins, as in numeric_larger / text_smaller (visible for 1.0 vs 1.00).
        return accumulator<Value>(null, (best, [x]) => (best === null || valueType.compare(x, best) * sign >= 0 ? x : best), (best) => best);
      },
    );
  }
}

// --- boolean and bitwise ------------------------------------------------------------------
for (const name of ['bool_and', 'every']) {
  defineAggregate(name, [bool], bool, () => accumulator<boolean | null>(null, (all, [x]) => (all ?? true) && (x as boolean), (all) => all));
}
defineAggregate('bool_or', [bool], bool, () => accumulator<boolean | null>(null, (any, [x]) => (any ?? false) || (x as boolean), (any) => any));

for (const type of [int2, int4]) {
  const apply = { bit_and: (a: number, b: number) => a & b, bit_or: (a: number, b: number) => a | b, bit_xor: (a: number, b: number) => a ^ b };
  for (const [name, op] of Object.entries(apply)) {
    defineAggregate(name, [type], type, () => accumulator<number | null>(null, (acc, [x]) => (acc === null ? (x as number) : op(acc, x as number)), (acc) => acc));
  }
}
{
  const apply = { bit_and: (a: bigint, b: bigint) => a & b, bit_or: (a: bigint, b: bigint) => a | b, bit_xor: (a: bigint, b: bigint) => a ^ b };
  for (const [name, op] of Object.entries(apply)) {
    defineAggregate(name, [int8], int8, () => accumulator<bigint | null>(null, (acc, [x]) => (acc === null ? (x as bigint) : op(acc, x as bigint)), (acc) => acc));
  }
}

// --- string_agg -----------------------------------------------------------------------------
/** NULL values are skipped; a delimiter goes before every value but the first (NULL = none). */
defineAggregate(
  'string_agg',
  [text, text],
  text,
  () =>
    accumulator<string[] | null>(
      null,
      (parts, [value, delimiter]) => {
        if (value === null) return parts;
        if (parts === null) return [value as string];
        if (delimiter !== null) parts.push(delimiter as string);
        parts.push(value as string);
        return parts;
      },
      (parts) => (parts === null ? null : parts.join('')),
    ),
  { strict: false },
);
defineAggregate(
  'string_agg',
  [bytea, bytea],
  bytea,
  () =>
    accumulator<Uint8Array[] | null>(
      null,
      (parts, [value, delimiter]) => {
        if (value === null) return parts;
        if (parts === null) return [value as Uint8Array];
        if (delimiter !== null) parts.push(delimiter as Uint8Array);
        parts.push(value as Uint8Array);
        return parts;
      },
      (parts) => (parts === null ? null : new Uint8Array(Buffer.concat(parts))),
    ),
  { strict: false },
);

// --- array_agg ------------------------------------------------------------------------------
function arrayTypeOf(elementOid: number): number {
  const arrayOid = typeByOid(elementOid)?.arrayOid ?? 0;
  if (arrayOid === 0) throw sqlError(SqlState.undefinedObject, `could not find array type for data type ${typeByOid(elementOid)?.name ?? elementOid}`);
  return arrayOid;
}

/** array_agg(anynonarray): NULL elements are kept; no rows → NULL. */
defineAggregate(
  'array_agg',
  [Oid.anynonarray],
  (argTypes) => arrayTypeOf(argTypes[0]!),
  () => accumulator<Value[] | null>(null, (elements, [x]) => (elements === null ? [x] : (elements.push(x), elements)), (elements) => (elements === null ? null : makeArray(elements))),
  { strict: false },
);

/** array_agg(anyarray): stacks equal-shaped arrays into one more dimension. */
defineAggregate(
  'array_agg',
  [Oid.anyarray],
  (argTypes) => argTypes[0]!,
  () =>
    accumulator<PgArray[] | null>(
      null,
      (arrays, [x]) => {
        if (x === null) throw sqlError(SqlState.nullValueNotAllowed, 'cannot accumulate null arrays');
        const array = x as PgArray;
        if (array.dims.length === 0) throw sqlError(SqlState.arraySubscriptError, 'cannot accumulate empty arrays');
        if (arrays !== null) {
          const first = arrays[0]!;
          if (first.dims.length !== array.dims.length || first.dims.some((d, i) => d !== array.dims[i] || first.lowerBounds[i] !== array.lowerBounds[i])) {
            throw sqlError(SqlState.arraySubscriptError, 'cannot accumulate arrays of different dimensionality');
          }
          arrays.push(array);
          return arrays;
        }
        return [array];
      },
      (arrays) => {
        if (arrays === null) return null;
        const first = arrays[0]!;
        return makeArray(
          arrays.flatMap((a) => a.elements),
          [arrays.length, ...first.dims],
          [1, ...first.lowerBounds],
        );
      },
    ),
  { strict: false },
);
