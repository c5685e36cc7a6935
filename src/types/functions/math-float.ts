// float8 mathematical functions (float.c): rounding, exponentials and logarithms, the
// trigonometric family (the degree variants reproduce float.c's exact-at-landmarks algorithms),
// random()/setseed() with PostgreSQL's own generator (pg_prng.c: xoroshiro128**, seeded by
// splitmix64), width_bucket.
import { randomBytes } from 'node:crypto';
import { SqlState } from '../../util/errors.js';
import type { FunctionContext } from './api.js';
import { defineFunction, sqlError } from './define.js';
import { floatOverflow, floatUnderflow } from './float-checks.js';
import { correctlyRoundedExp, correctlyRoundedLn, glibcLog10 } from './numeric-transcendental.js';
import { Oid } from './oids.js';
import { floatPower, glibcCbrt } from '../operators-numeric.js';

const { float8, int4 } = Oid;
const num = (v: unknown) => v as number;

function outOfRangeInput(): never {
  throw sqlError(SqlState.numericValueOutOfRange, 'input is out of range');
}

/** C's rint(): round half to even, keeping the sign of zero. */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  let result = Math.round(x);
  if (Math.abs(x - Math.trunc(x)) === 0.5) result = 2 * Math.round(x / 2);
  return result === 0 && (x < 0 || Object.is(x, -0)) ? -0 : result;
}

function define1(name: string, impl: (x: number) => number): void {
  defineFunction(name, [float8], float8, ([x]) => impl(num(x)));
}

define1('abs', Math.abs);
defineFunction('abs', [Oid.float4], Oid.float4, ([x]) => Math.abs(num(x)));
for (const name of ['ceil', 'ceiling']) define1(name, Math.ceil);
define1('floor', Math.floor);
define1('round', rint);
define1('trunc', Math.trunc);
define1('sign', (x) => (x > 0 ? 1 : x < 0 ? -1 : 0));

define1('cbrt', glibcCbrt);
for (const name of ['power', 'pow']) defineFunction(name, [float8, float8], float8, ([x, y]) => floatPower(num(x), num(y)));

define1('sqrt', (x) => {
  if (x < 0) throw sqlError('2201F', 'cannot take square root of a negative number');
  return Math.sqrt(x);
});

define1('exp', (x) => {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return x > 0 ? x : 0;
  const result = Math.abs(x) > 745.2 ? Math.exp(x) : correctlyRoundedExp(x);
  if (!Number.isFinite(result)) floatOverflow();
  if (result === 0) floatUnderflow();
  return result;
});

function logarithm(x: number, log: (x: number) => number): number {
  if (x === 0) throw sqlError('2201E', 'cannot take logarithm of zero');
  if (x < 0) throw sqlError('2201E', 'cannot take logarithm of a negative number');
  return log(x);
}
define1('ln', (x) => logarithm(x, (v) => (Number.isFinite(v) ? correctlyRoundedLn(v) : v)));
for (const name of ['log', 'log10']) define1(name, (x) => logarithm(x, (v) => (Number.isFinite(v) ? glibcLog10(v) : v)));

defineFunction('pi', [], float8, () => Math.PI);

// --- trigonometry ---------------------------------------------------------------------------
function trig(name: string, impl: (x: number) => number, domain?: (x: number) => boolean): void {
  define1(name, (x) => {
    if (Number.isNaN(x)) return x;
    if (domain ? !domain(x) : !Number.isFinite(x)) outOfRangeInput();
    const result = impl(x);
    if (!Number.isFinite(result) && name !== 'cot') floatOverflow();
    return result;
  });
}
const unit = (x: number) => x >= -1 && x <= 1;
trig('sin', Math.sin);
trig('cos', Math.cos);
trig('tan', Math.tan);
trig('cot', (x) => 1 / Math.tan(x));
trig('asin', Math.asin, unit);
trig('acos', Math.acos, unit);
define1('atan', Math.atan);
defineFunction('atan2', [float8, float8], float8, ([y, x]) => Math.atan2(num(y), num(x)));

define1('sinh', Math.sinh);
define1('cosh', Math.cosh);
define1('tanh', Math.tanh);
define1('asinh', Math.asinh);
define1('acosh', (x) => {
  if (x < 1) outOfRangeInput();
  return Math.acosh(x);
});
define1('atanh', (x) => {
  if (x < -1 || x > 1) outOfRangeInput();
  if (x === -1) return -Infinity;
  if (x === 1) return Infinity;
  return Math.atanh(x);
});

const radiansPerDegree = 0.0174532925199432957692;
define1('degrees', (x) => {
  const result = x / radiansPerDegree;
  if (!Number.isFinite(result) && Number.isFinite(x)) floatOverflow();
  if (result === 0 && x !== 0) floatUnderflow();
  return result;
});
define1('radians', (x) => {
  const result = x * radiansPerDegree;
  if (!Number.isFinite(result) && Number.isFinite(x)) floatOverflow();
  if (result === 0 && x !== 0) floatUnderflow();
  return result;
});

// Degree-based functions, as float.c computes them so that landmarks (30°, 45°, 60°, 90°) are exact.
const sin30 = Math.sin(30 * radiansPerDegree);
const oneMinusCos60 = 1 - Math.cos(60 * radiansPerDegree);
const asin05 = Math.asin(0.5);
const acos05 = Math.acos(0.5);
const atan10 = Math.atan(1);
const sind0To30 = (x: number) => Math.sin(x * radiansPerDegree) / sin30 / 2;
const cosd0To60 = (x: number) => 1 - (1 - Math.cos(x * radiansPerDegree)) / oneMinusCos60 / 2;
const sindQ1 = (x: number) => (x <= 30 ? sind0To30(x) : cosd0To60(90 - x));
const cosdQ1 = (x: number) => (x <= 60 ? cosd0To60(x) : sind0To30(90 - x));
const tan45 = sindQ1(45) / cosdQ1(45);
const cot45 = 1 / tan45;
const asindQ1 = (x: number) => (x <= 0.5 ? (Math.asin(x) / asin05) * 30 : 90 - (Math.acos(x) / acos05) * 60);
const acosdQ1 = (x: number) => (x <= 0.5 ? 90 - (Math.asin(x) / asin05) * 30 : (Math.acos(x) / acos05) * 60);

function degreeInput(x: number): number | undefined {
  if (Number.isNaN(x)) return undefined;
  if (!Number.isFinite(x)) outOfRangeInput();
  return x % 360;
}

define1('sind', (input) => {
  let x = degreeInput(input);
  if (x === undefined) return input;
  let sign = 1;
  if (x < 0) {
    x = -x;
    sign = -sign;
  }
  if (x > 180) {
    x = 360 - x;
    sign = -sign;
  }
  if (x > 90) x = 180 - x;
  return sign * sindQ1(x);
});
define1('cosd', (input) => {
  let x = degreeInput(input);
  if (x === undefined) return input;
  let sign = 1;
  if (x < 0) x = -x;
  if (x > 180) x = 360 - x;
  if (x > 90) {
    x = 180 - x;
    sign = -sign;
  }
  return sign * cosdQ1(x);
});
function tangentDegrees(input: number, cotangent: boolean): number {
  let x = degreeInput(input);
  if (x === undefined) return input;
  let sign = 1;
  if (x < 0) {
    x = -x;
    sign = -sign;
  }
  if (x > 180) {
    x = 360 - x;
    sign = -sign;
  }
  if (x > 90) {
    x = 180 - x;
    sign = -sign;
  }
  const result = cotangent ? sign * (cosdQ1(x) / sindQ1(x) / cot45) : sign * (sindQ1(x) / cosdQ1(x) / tan45);
  return result === 0 ? 0 : result; // no minus zero
}
define1('tand', (x) => tangentDegrees(x, false));
define1('cotd', (x) => tangentDegrees(x, true));
define1('asind', (x) => {
  if (Number.isNaN(x)) return x;
  if (x < -1 || x > 1) outOfRangeInput();
  return x >= 0 ? asindQ1(x) : -asindQ1(-x);
});
define1('acosd', (x) => {
  if (Number.isNaN(x)) return x;
  if (x < -1 || x > 1) outOfRangeInput();
  return x >= 0 ? acosdQ1(x) : 90 + asindQ1(-x);
});
define1('atand', (x) => (Number.isNaN(x) ? x : (Math.atan(x) / atan10) * 45));
defineFunction('atan2d', [float8, float8], float8, ([y, x]) => {
  if (Number.isNaN(num(y)) || Number.isNaN(num(x))) return NaN;
  return (Math.atan2(num(y), num(x)) / atan10) * 45;
});

// --- random ---------------------------------------------------------------------------------
const mask64 = (1n << 64n) - 1n;
const rotateLeft = (x: bigint, bits: bigint) => ((x << bits) | (x >> (64n - bits))) & mask64;

/** pg_prng_state. */
export interface PrngState {
  s0: bigint;
  s1: bigint;
}

function splitmix64(seed: { value: bigint }): bigint {
  seed.value = (seed.value + 0x9e3779b97f4a7c15n) & mask64;
  let value = seed.value;
  value = ((value ^ (value >> 30n)) * 0xbf58476d1ce4e5b9n) & mask64;
  value = ((value ^ (value >> 27n)) * 0x94d049bb133111ebn) & mask64;
  return value ^ (value >> 31n);
}

export function seedPrng(seed: bigint): PrngState {
  const state = { value: seed & mask64 };
  const result = { s0: splitmix64(state), s1: splitmix64(state) };
  if (result.s0 === 0n && result.s1 === 0n) {
    result.s0 = 0x5851f42d4c957f2dn;
    result.s1 = 0x14057b7ef767814fn;
  }
  return result;
}

/** pg_prng_double: the top 52 bits of xoroshiro128** over 2^52, in [0, 1). */
export function nextDouble(state: PrngState): number {
  const s0 = state.s0;
  const sx = state.s1 ^ s0;
  const value = (rotateLeft((s0 * 5n) & mask64, 7n) * 9n) & mask64;
  state.s0 = rotateLeft(s0, 24n) ^ sx ^ ((sx << 16n) & mask64);
  state.s1 = rotateLeft(sx, 37n);
  return Number(value >> 12n) / 2 ** 52;
}

const processState: { prng?: PrngState } = {};

/** The session's generator (FunctionContext.session.functionState), or a process-wide one. */
function generatorState(context: FunctionContext): { prng?: PrngState } {
  const sessionState = context.session.functionState;
  if (!sessionState) return processState;
  let state = sessionState.get('random') as { prng?: PrngState } | undefined;
  if (!state) {
    state = {};
    sessionState.set('random', state);
  }
  return state;
}

defineFunction(
  'random',
  [],
  float8,
  (_args, context) => {
    const state = generatorState(context);
    state.prng ??= seedPrng(randomBytes(8).readBigUInt64LE());
    return nextDouble(state.prng);
  },
  { volatility: 'volatile' },
);

defineFunction(
  'setseed',
  [float8],
  Oid.void,
  ([seed], context) => {
    const value = num(seed);
    if (!(value >= -1 && value <= 1)) {
      throw sqlError(SqlState.invalidParameterValue, `setseed parameter ${value} is out of allowed range [-1,1]`);
    }
    // pg_prng_fseed: int64 seed = (2^52 - 1) × fseed, then reinterpreted as uint64.
    const scaled = BigInt(Math.trunc((2 ** 52 - 1) * value));
    generatorState(context).prng = seedPrng(BigInt.asUintN(64, scaled));
    return null;
  },
  { volatility: 'volatile' },
);

// --- width_bucket ---------------------------------------------------------------------------
defineFunction('width_bucket', [float8, float8, float8, int4], int4, ([operandValue, low, high, countValue]) => {
  const operand = num(operandValue);
  const bound1 = num(low);
  const bound2 = num(high);
  const count = num(countValue);
  if (count <= 0) throw sqlError('2201G', 'count must be greater than zero');
  if (Number.isNaN(operand) || Number.isNaN(bound1) || Number.isNaN(bound2)) {
    throw sqlError('2201G', 'operand, lower bound, and upper bound cannot be NaN');
  }
  if (!Number.isFinite(bound1) || !Number.isFinite(bound2)) throw sqlError('2201G', 'lower and upper bounds must be finite');
  if (bound1 === bound2) throw sqlError('2201G', 'lower bound cannot equal upper bound');
  let result: number;
  if (bound1 < bound2) {
    if (operand < bound1) result = 0;
    else if (operand >= bound2) result = count + 1;
    else result = Math.trunc((count * (operand - bound1)) / (bound2 - bound1) + 1);
  } else {
    if (operand > bound1) result = 0;
    else if (operand <= bound2) result = count + 1;
    else result = Math.trunc((count * (bound1 - operand)) / (bound1 - bound2) + 1);
  }
  if (result > 2147483647) throw sqlError(SqlState.numericValueOutOfRange, 'integer out of range');
  return result;
});
