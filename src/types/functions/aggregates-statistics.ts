// stddev/stddev_samp/stddev_pop/variance/var_samp/var_pop. Integer and numeric inputs give
// numeric results computed exactly as numeric.c's numeric_stddev_internal (N·Σx² − (Σx)²
// over N·(N−1) or N², select_div_scale, sqrt_var at the same scale); float inputs use
// float.c's Youngs–Cramer accumulation so results match PostgreSQL bit for bit.
import { Numeric } from '../numeric.js';
import type { Value } from '../api.js';
import { accumulator, defineAggregate } from './aggregates-api.js';
import { floatOverflow } from './float-checks.js';
import { numericSqrtAtScale } from './numeric-math.js';
import { Oid } from './oids.js';

type Statistic = { variance: boolean; sample: boolean };

const statistics: Record<string, Statistic> = {
  stddev: { variance: false, sample: true },
  stddev_samp: { variance: false, sample: true },
  stddev_pop: { variance: false, sample: false },
  variance: { variance: true, sample: true },
  var_samp: { variance: true, sample: true },
  var_pop: { variance: true, sample: false },
};

interface NumericMoments {
  count: bigint;
  sum: Numeric;
  sumOfSquares: Numeric;
  nanCount: number;
  infinityCount: number;
}

function addMoment(state: NumericMoments, x: Numeric): NumericMoments {
  if (x.isNaN()) state.nanCount++;
  else if (x.isInfinite()) state.infinityCount++;
  else {
    state.sum = state.sum.add(x);
    state.sumOfSquares = state.sumOfSquares.add(x.multiply(x));
  }
  state.count++;
  return state;
}

function numericStatistic(state: NumericMoments, { variance, sample }: Statistic): Numeric | null {
  const n = state.count;
  if (n === 0n || (sample && n <= 1n)) return null;
  if (state.nanCount > 0 || state.infinityCount > 0) return Numeric.NaN;
  const count = Numeric.fromBigInt(n);
  const mulScale = state.sum.scale * 2;
  const squaredSum = state.sum.multiply(state.sum).round(mulScale);
  const numerator = count.multiply(state.sumOfSquares).round(mulScale).subtract(squaredSum);
  if (numerator.sign() <= 0) return Numeric.zero;
  const denominator = Numeric.fromBigInt(sample ? n * (n - 1n) : n * n);
  const scale = numerator.divisionScale(denominator);
  const quotient = numerator.divideToScale(denominator, scale);
  return variance ? quotient : numericSqrtAtScale(quotient, scale);
}

function numericMoments(): NumericMoments {
  return { count: 0n, sum: Numeric.zero, sumOfSquares: Numeric.zero, nanCount: 0, infinityCount: 0 };
}

function toNumeric(value: Value): Numeric {
  if (value instanceof Numeric) return value;
  return Numeric.fromBigInt(value as number | bigint);
}

export interface FloatMoments {
  n: number;
  sx: number;
  sxx: number;
}

/** float8_accum (Youngs–Cramer), including its overflow check. */
export function addFloat(state: FloatMoments, x: number): FloatMoments {
  const previousN = state.n;
  const previousSx = state.sx;
  state.n += 1;
  state.sx += x;
  if (previousN > 0) {
    const deviation = x * state.n - state.sx;
    state.sxx += (deviation * deviation) / (state.n * previousN);
    if (!Number.isFinite(state.sx) || !Number.isFinite(state.sxx)) {
      if (Number.isFinite(previousSx) && Number.isFinite(x)) floatOverflow();
      state.sxx = NaN;
    }
  } else if (!Number.isFinite(x)) {
    state.sxx = NaN;
  }
  return state;
}

function floatStatistic(state: FloatMoments, { variance, sample }: Statistic): number | null {
  if (state.n === 0 || (sample && state.n <= 1)) return null;
  const value = state.sxx / (sample ? state.n - 1 : state.n);
  return variance ? value : Math.sqrt(value);
}

for (const [name, statistic] of Object.entries(statistics)) {
  for (const type of [Oid.int2, Oid.int4, Oid.int8, Oid.numeric]) {
    defineAggregate(name, [type], Oid.numeric, () =>
      accumulator(numericMoments(), (state, [x]) => addMoment(state, toNumeric(x)), (state) => numericStatistic(state, statistic)),
    );
  }
  for (const type of [Oid.float4, Oid.float8]) {
    defineAggregate(name, [type], Oid.float8, () =>
      accumulator<FloatMoments>({ n: 0, sx: 0, sxx: 0 }, (state, [x]) => addFloat(state, x as number), (state) => floatStatistic(state, statistic)),
    );
  }
}
