// Ordered-set aggregates (orderedsetaggs.c): percentile_cont, percentile_disc, mode. The
// executor feeds the group's values already sorted by WITHIN GROUP (ORDER BY …), NULLs removed,
// each row as [...direct arguments, value] (see aggregates-api.ts).
import { SqlState } from '../../util/errors.js';
import type { Value } from '../api.js';
import { makeArray, type PgArray } from '../arrays.js';
import type { Interval } from '../interval.js';
import { addIntervals, negateInterval, scaleInterval } from '../datetime-arithmetic.js';
import { typeByOid } from '../registry.js';
import { defineOrderedSetAggregate, type OrderedSetAccumulator } from './aggregates-api.js';
import { sqlError } from './define.js';
import { Oid } from './oids.js';

const { float8, float8Array, interval } = Oid;

interface Collected {
  direct: Value;
  values: Value[];
}

function collector(): { state: Collected; add(args: Value[]): void; setDirectArguments(args: Value[]): void } {
  const state: Collected = { direct: undefined, values: [] };
  return {
    state,
    add(args) {
      if (state.direct === undefined) state.direct = args[0] ?? null;
      state.values.push(args[args.length - 1]);
    },
    setDirectArguments(args) {
      state.direct = args[0] ?? null;
    },
  };
}

function checkFraction(fraction: number): void {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw sqlError(SqlState.numericValueOutOfRange, `percentile value ${fraction} is not between 0 and 1`);
  }
}

function lerpFloat(low: number, high: number, proportion: number): number {
  return low + (high - low) * proportion;
}

/** interval_lerp: low + (high - low) * proportion, with interval arithmetic's cascading. */
function lerpInterval(low: Interval, high: Interval, proportion: number): Interval {
  return addIntervals(scaleInterval(addIntervals(high, negateInterval(low)), proportion, false), low);
}

function continuous<T>(values: T[], fraction: number, lerp: (low: T, high: T, proportion: number) => T): T | null {
  checkFraction(fraction);
  if (values.length === 0) return null;
  const position = fraction * (values.length - 1);
  const first = Math.floor(position);
  const second = Math.ceil(position);
  if (first === second) return values[first]!;
  return lerp(values[first]!, values[second]!, position - first);
}

function discrete(values: Value[], fraction: number): Value {
  checkFraction(fraction);
  if (values.length === 0) return null;
  const row = Math.ceil(fraction * values.length);
  return values[Math.max(row, 1) - 1]!;
}

function perFraction(fractions: PgArray, each: (fraction: number) => Value): PgArray {
  return makeArray(
    fractions.elements.map((fraction) => (fraction === null ? null : each(fraction as number))),
    fractions.dims.slice(),
    fractions.lowerBounds.slice(),
  );
}

/** A NULL fraction → NULL; the fraction is checked even without rows; no rows → NULL. */
function orderedSet(final: (state: Collected) => Value, checkDirect: (direct: Value) => void) {
  return (): OrderedSetAccumulator => {
    const { state, add, setDirectArguments } = collector();
    return {
      add,
      setDirectArguments,
      result: () => {
        if (state.direct === null || state.direct === undefined) return null;
        checkDirect(state.direct);
        return state.values.length === 0 ? null : final(state);
      },
    };
  };
}
const checkOne = (direct: Value) => checkFraction(direct as number);
const checkEach = (direct: Value) => (direct as PgArray).elements.forEach((f) => f !== null && checkFraction(f as number));

defineOrderedSetAggregate('percentile_cont', [float8], float8, float8, orderedSet((s) => continuous(s.values as number[], s.direct as number, lerpFloat), checkOne));
defineOrderedSetAggregate('percentile_cont', [float8], interval, interval, orderedSet((s) => continuous(s.values as Interval[], s.direct as number, lerpInterval), checkOne));
defineOrderedSetAggregate(
  'percentile_cont',
  [float8Array],
  float8,
  float8Array,
  orderedSet((s) => perFraction(s.direct as PgArray, (f) => continuous(s.values as number[], f, lerpFloat)), checkEach),
);
defineOrderedSetAggregate(
  'percentile_cont',
  [float8Array],
  interval,
  Oid.intervalArray,
  orderedSet((s) => perFraction(s.direct as PgArray, (f) => continuous(s.values as Interval[], f, lerpInterval)), checkEach),
);
defineOrderedSetAggregate('percentile_disc', [float8], Oid.anyelement, (argTypes) => argTypes[1]!, orderedSet((s) => discrete(s.values, s.direct as number), checkOne));
defineOrderedSetAggregate(
  'percentile_disc',
  [float8Array],
  Oid.anyelement,
  (argTypes) => typeByOid(argTypes[1]!)?.arrayOid ?? 0,
  orderedSet((s) => perFraction(s.direct as PgArray, (f) => discrete(s.values, f)), checkEach),
);

/** mode(): the most frequent value; ties go to the first in sort order. */
defineOrderedSetAggregate('mode', [], Oid.anyelement, (argTypes) => argTypes[0]!, (argTypes) => {
  const type = typeByOid(argTypes[0]!);
  const values: Value[] = [];
  return {
    add: (args) => values.push(args[args.length - 1]),
    setDirectArguments: () => undefined,
    result: () => {
      if (values.length === 0 || !type) return null;
      let best: Value = null;
      let bestCount = 0;
      let current: Value = null;
      let count = 0;
      for (const value of values) {
        if (count > 0 && type.compare(value, current) === 0) count++;
        else {
          current = value;
          count = 1;
        }
        if (count > bestCount) {
          best = current;
          bestCount = count;
        }
      }
      return best;
    },
  };
});
