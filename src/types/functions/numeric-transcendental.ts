// ln, exp, log and power on numeric, with numeric.c's result-scale rules and values computed in
// bigint fixed point with guard digits, then rounded half away from zero at the result scale.
import { SqlState } from '../../util/errors.js';
import { Numeric, pow10 } from '../numeric.js';
import { sqlError } from './define.js';
import { bigintSqrt } from './numeric-math.js';

const guardDigits = 24;
const minSignificantDigits = 16;
const displayScaleMax = 1000;

function clampScale(scale: number): number {
  return Math.min(Math.max(scale, 0), displayScaleMax);
}

/** Fixed-point value: value = v / 10^scale. */
interface Fixed {
  v: bigint;
  scale: number;
}

function toFixed(x: Numeric, scale: number): bigint {
  return scale >= x.scale ? x.coefficient * pow10(scale - x.scale) : x.coefficient / pow10(x.scale - scale);
}

/** ln of a positive fixed value near any magnitude, by square-root reduction and atanh series. */
function lnOfFixed(v: bigint, scale: number): bigint {
  const one = pow10(scale);
  const limit = one / 100n;
  let m = v;
  let halvings = 0n;
  while ((m > one ? m - one : one - m) > limit) {
    m = bigintSqrt(m * one);
    halvings++;
  }
  const z = ((m - one) * one) / (m + one);
  const z2 = (z * z) / one;
  let term = z;
  let sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k;
    term = (term * z2) / one;
  }
  return (2n * sum) << halvings;
}

const ln10Cache = new Map<number, bigint>();
function ln10(scale: number): bigint {
  let value = ln10Cache.get(scale);
  if (value === undefined) {
    value = lnOfFixed(10n * pow10(scale + 8), scale + 8) / pow10(8);
    ln10Cache.set(scale, value);
  }
  return value;
}

/** ln(x) for finite x > 0 at `scale` fractional digits (truncated, guard digits included by caller). */
function lnFixed(x: Numeric, scale: number): bigint {
  const digits = (x.coefficient < 0n ? -x.coefficient : x.coefficient).toString().length;
  const exponent = digits - 1 - x.scale; // x = m × 10^exponent, m in [1, 10)
  const work = scale + 8;
  const mantissa = x.coefficient * pow10(work) / pow10(digits - 1);
  const lnMantissa = lnOfFixed(mantissa, work) / pow10(8);
  return lnMantissa + BigInt(exponent) * ln10(scale);
}

/** exp of a fixed value; returns the result as Numeric exact to about `significant` digits. */
function expFixed(x: Fixed, resultScale: number): Numeric {
  // exp_var's guard: |x| ≥ 3 × NUMERIC_MAX_RESULT_SCALE overflows (or underflows to zero).
  const approximate = Number(x.v / pow10(Math.max(x.scale - 6, 0))) / 10 ** Math.min(x.scale, 6);
  if (Math.abs(approximate) >= 6000) {
    if (approximate > 0) throw sqlError(SqlState.numericValueOutOfRange, 'value overflows numeric format');
    return Numeric.of(0n, resultScale);
  }
  // exp(x) = 10^k × exp(y), y = x − k·ln10, |y| ≤ ~1.2; exp(y) = exp(y/2^r)^(2^r).
  const roughLn10 = ln10(20);
  const k = (x.v * pow10(20)) / pow10(x.scale) / roughLn10;
  const work = Math.max(resultScale + Number(k > 0n ? k : 0n), 0) + guardDigits;
  const one = pow10(work);
  let y = toFixed(Numeric.of(x.v, x.scale), work) - k * ln10(work);
  const halvings = 8;
  y = y / 256n;
  let term = one;
  let sum = 0n;
  for (let n = 1n; term !== 0n; n++) {
    sum += term;
    term = (term * y) / one / n;
  }
  for (let i = 0; i < halvings; i++) sum = (sum * sum) / one;
  // value = sum / 10^work × 10^k
  return Numeric.of(sum, work - Number(k)).round(resultScale);
}

function toDouble(x: Numeric): number {
  return x.toNumber();
}

// --- public functions -----------------------------------------------------------------------

/** numeric.c estimate_ln_dweight. */
function estimateLnWeight(x: Numeric): number {
  if (x.sign() <= 0) return 0;
  if (x.compare(Numeric.parse('0.9')) >= 0 && x.compare(Numeric.parse('1.1')) <= 0) {
    const difference = x.subtract(Numeric.fromBigInt(1));
    if (difference.sign() === 0) return 0;
    const { weight, digits } = difference.toBase10000();
    return weight * 4 + Math.trunc(Math.log10(digits[0]!));
  }
  const { weight, digits } = x.toBase10000();
  if (digits.length === 0) return 0;
  let leading = digits[0]!;
  let decimalWeight = weight * 4;
  if (digits.length > 1) {
    leading = leading * 10000 + digits[1]!;
    decimalWeight -= 4;
  }
  const lnValue = Math.log(leading) + decimalWeight * 2.302585092994046;
  return Math.trunc(Math.log10(Math.abs(lnValue)));
}

function checkLnArgument(x: Numeric): void {
  const sign = x.sign();
  if (sign === 0) throw sqlError('2201E', 'cannot take logarithm of zero');
  if (sign < 0) throw sqlError('2201E', 'cannot take logarithm of a negative number');
}

export function numericLn(x: Numeric): Numeric {
  if (x.isNaN()) return x;
  if (x.isInfinite()) {
    if (x.sign() < 0) throw sqlError('2201E', 'cannot take logarithm of a negative number');
    return x;
  }
  checkLnArgument(x);
  const scale = clampScale(Math.max(minSignificantDigits - estimateLnWeight(x), x.scale));
  return Numeric.of(lnFixed(x, scale + guardDigits), scale + guardDigits).round(scale);
}

/** log(base, x) (numeric_log): ln(x)/ln(base) with log_var's result scale. */
export function numericLog(base: Numeric, x: Numeric): Numeric {
  if (base.isNaN() || x.isNaN()) return Numeric.NaN;
  if (base.isInfinite() || x.isInfinite()) {
    if (base.sign() < 0 || x.sign() < 0) throw sqlError('2201E', 'cannot take logarithm of a negative number');
    if (base.sign() === 0 || x.sign() === 0) throw sqlError('2201E', 'cannot take logarithm of zero');
    if (base.isInfinite()) return x.isInfinite() ? Numeric.NaN : Numeric.zero;
    return Numeric.Infinity;
  }
  checkLnArgument(base);
  checkLnArgument(x);
  // log_var: result weight ≈ ln_dweight(num) − ln_dweight(base).
  const resultWeight = estimateLnWeight(x) - estimateLnWeight(base);
  const scale = clampScale(Math.max(minSignificantDigits - resultWeight, base.scale, x.scale));
  const work = scale + guardDigits + 8;
  const lnBase = lnFixed(base, work);
  if (lnBase === 0n) throw sqlError(SqlState.divisionByZero, 'division by zero');
  const lnX = lnFixed(x, work);
  return Numeric.of((lnX * pow10(scale + guardDigits)) / lnBase, scale + guardDigits).round(scale);
}

export function numericExp(x: Numeric): Numeric {
  if (x.isNaN()) return x;
  if (x.isInfinite()) return x.sign() > 0 ? x : Numeric.zero;
  let approximateWeight = toDouble(x) * 0.434294481903252;
  approximateWeight = Math.min(Math.max(approximateWeight, -2000), 2000);
  const scale = clampScale(Math.max(minSignificantDigits - Math.trunc(approximateWeight), x.scale));
  return expFixed({ v: x.coefficient, scale: x.scale }, scale);
}

function isIntegral(x: Numeric): boolean {
  return x.isFinite() && x.coefficient % pow10(x.scale) === 0n;
}

function complexResult(): never {
  throw sqlError('2201F', 'a negative number raised to a non-integer power yields a complex result');
}

/** power(numeric, numeric) with numeric_power's special cases and power_var(_int)'s scales. */
export function numericPower(base: Numeric, exponent: Numeric): Numeric {
  const one = Numeric.fromBigInt(1);
  if (!base.isFinite() || !exponent.isFinite()) {
    if (base.isNaN()) return exponent.isFinite() && exponent.sign() === 0 ? one : Numeric.NaN;
    if (exponent.isNaN()) return base.isFinite() && base.compare(one) === 0 ? one : Numeric.NaN;
    const baseSign = base.sign();
    const exponentSign = exponent.sign();
    if (baseSign === 0 && exponentSign < 0) throw sqlError('2201F', 'zero raised to a negative power is undefined');
    if (baseSign < 0 && !exponent.isInfinite() && !isIntegral(exponent)) complexResult();
    if (base.isFinite() && base.compare(one) === 0) return one;
    if (exponentSign === 0) return one;
    if (baseSign === 0 && exponentSign > 0) return Numeric.zero;
    if (exponent.isInfinite()) {
      if (base.isFinite() && base.compare(one.negate()) === 0) return one;
      const absGreaterThanOne = !base.isFinite() || base.abs().compare(one) > 0;
      return absGreaterThanOne === exponentSign > 0 ? Numeric.Infinity : Numeric.zero;
    }
    if (base.sign() > 0) return exponentSign > 0 ? Numeric.Infinity : Numeric.zero;
    if (exponentSign < 0) return Numeric.zero;
    return isIntegral(exponent) && (exponent.coefficient / pow10(exponent.scale)) % 2n !== 0n ? Numeric.NegativeInfinity : Numeric.Infinity;
  }
  if (base.sign() === 0 && exponent.sign() < 0) throw sqlError('2201F', 'zero raised to a negative power is undefined');
  if (isIntegral(exponent)) {
    const integer = exponent.coefficient / pow10(exponent.scale);
    if (integer >= -2147483648n && integer <= 2147483647n) return integerPower(base, Number(integer));
  }
  if (base.sign() === 0) return Numeric.of(0n, minSignificantDigits);
  let negative = false;
  let magnitude = base;
  if (base.sign() < 0) {
    if (!isIntegral(exponent)) complexResult();
    negative = (exponent.coefficient / pow10(exponent.scale)) % 2n !== 0n;
    magnitude = base.abs();
  }
  const lnApproximation = Math.log(magnitude.toNumber()) * exponent.toNumber();
  if (Math.abs(lnApproximation) > 2000 * 3.01) {
    if (lnApproximation > 0) throw sqlError(SqlState.numericValueOutOfRange, 'value overflows numeric format');
    return Numeric.of(0n, displayScaleMax);
  }
  const weight = lnApproximation * 0.434294481903252;
  const scale = clampScale(Math.max(minSignificantDigits - Math.trunc(weight), magnitude.scale, exponent.scale));
  const work = scale + guardDigits + Math.max(0, Math.ceil(Math.abs(weight)));
  const product = (lnFixed(magnitude, work) * exponent.coefficient) / pow10(exponent.scale);
  const result = expFixed({ v: product, scale: work }, scale);
  return negative ? result.negate() : result;
}

/**
 * power_var_int (PostgreSQL 15): result scale max(16, base's scale); exact product rounded to
 * it (PostgreSQL multiplies with enough guard digits that it rounds the same way).
 */
function integerPower(base: Numeric, exponent: number): Numeric {
  const scale = clampScale(Math.max(minSignificantDigits, base.scale));
  if (exponent === 0) return Numeric.of(pow10(scale), scale);
  if (exponent === 1) return base.round(scale);
  if (exponent === -1) return Numeric.fromBigInt(1).divideToScale(base, scale);
  if (base.sign() === 0) {
    if (exponent < 0) throw sqlError(SqlState.divisionByZero, 'division by zero');
    return Numeric.of(0n, scale);
  }
  const { weight, digits } = base.toBase10000();
  let f = digits[0]!;
  let p = weight * 4;
  for (let i = 1; i < digits.length && i * 4 < 16; i++) {
    f = f * 10000 + digits[i]!;
    p -= 4;
  }
  const estimatedWeight = exponent * (Math.log10(f) + p);
  if (estimatedWeight > 3 * 32767 * 4) throw sqlError(SqlState.numericValueOutOfRange, 'value overflows numeric format');
  if (estimatedWeight + 1 < -scale || estimatedWeight + 1 < -displayScaleMax) return Numeric.of(0n, scale);
  const magnitude = Math.abs(exponent);
  const exactDigitsMax = 20_000;
  if (base.coefficient.toString().length * magnitude > exactDigitsMax) {
    // Too big to multiply out: through ln/exp at the same result scale.
    const work = scale + guardDigits + Math.ceil(Math.abs(estimatedWeight));
    const product = lnFixed(base.abs(), work) * BigInt(exponent);
    const result = expFixed({ v: product, scale: work }, scale);
    return base.sign() < 0 && magnitude % 2 === 1 ? result.negate() : result;
  }
  const power = Numeric.of(base.coefficient ** BigInt(magnitude), base.scale * magnitude);
  if (exponent > 0) return power.round(scale);
  return Numeric.fromBigInt(1).divideToScale(power, scale);
}

// --- correctly rounded float8 exp/ln/log10 (glibc's are correctly rounded; V8's are not) ----

/** The exact decimal value of a finite double. */
function exactBinary(x: number): Numeric {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exponent: number;
  if (exponentBits === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = exponentBits - 1075;
  }
  const signed = negative ? -mantissa : mantissa;
  if (exponent >= 0) return Numeric.of(signed << BigInt(exponent), 0);
  // m × 2^-k = m × 5^k / 10^k
  return Numeric.of(signed * 5n ** BigInt(-exponent), -exponent);
}

const floatSignificantDigits = 30;

function toDoubleRounded(value: Numeric): number {
  return Number(value.toString());
}

export function correctlyRoundedExp(x: number): number {
  const weight = Math.trunc(x * 0.434294481903252);
  const scale = Math.max(floatSignificantDigits - weight, 0);
  return toDoubleRounded(expFixed({ v: exactBinary(x).coefficient, scale: exactBinary(x).scale }, scale));
}

export function correctlyRoundedLn(x: number): number {
  const exact = exactBinary(x);
  const scale = floatSignificantDigits - estimateLnWeight(exact) + 10;
  return toDoubleRounded(Numeric.of(lnFixed(exact, scale), scale));
}

/** glibc's log10 (fdlibm e_log10.c) on top of its correctly rounded log: not itself correctly rounded. */
export function glibcLog10(x: number): number {
  const ivln10 = 4.34294481903251816668e-1;
  const log10Of2High = 3.01029995663611771306e-1;
  const log10Of2Low = 3.69423907715893078616e-13;
  const view = new DataView(new ArrayBuffer(8));
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 1.8014398509481984e16; // subnormal: scale up by 2^54
    k -= 54;
  }
  view.setFloat64(0, x);
  let high = view.getInt32(0);
  k += (high >> 20) - 1023;
  const i = k < 0 ? 1 : 0;
  high = (high & 0x000fffff) | ((0x3ff - i) << 20);
  const y = k + i;
  view.setInt32(0, high);
  const z = y * log10Of2Low + ivln10 * correctlyRoundedLn(view.getFloat64(0));
  return z + y * log10Of2High;
}
