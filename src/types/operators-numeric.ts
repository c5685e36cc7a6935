// Arithmetic and comparison operators of int2/int4/int8, float4/float8 and numeric, with
// PostgreSQL's result types (pg_operator), overflow errors (22003), division by zero (22012)
// and float overflow/underflow checks (float.c).
import type { Value } from './api.js';
import { SqlError, SqlState } from '../util/errors.js';
import { checkInt2, checkInt4, checkInt8 } from './casts.js';
import { divisionByZero, outOfRange } from './errors.js';
import { compareFloats } from './floats.js';
import { Numeric } from './numeric.js';
import { TypeOid } from './oids.js';
import { defineComparisons, defineOperator } from './operators-support.js';

const { int2, int4, int8, float4, float8, numeric } = TypeOid;
type IntegerOid = typeof int2 | typeof int4 | typeof int8;
const integerWidth: Record<IntegerOid, number> = { [int2]: 2, [int4]: 4, [int8]: 8 };

const asBig = (v: Value): bigint => (typeof v === 'bigint' ? v : BigInt(v as number));

// ---- integers: every pair of int2/int4/int8 for + - * /, the result is the wider type.
function checkInteger(result: IntegerOid, value: bigint): Value {
  if (result === int8) return checkInt8(value);
  const n = Number(value);
  return result === int4 ? checkInt4(n) : checkInt2(n);
}

function rangeNameOf(result: IntegerOid): string {
  return result === int8 ? 'bigint' : result === int4 ? 'integer' : 'smallint';
}

const integers: IntegerOid[] = [int2, int4, int8];
for (const left of integers) {
  for (const right of integers) {
    const result = integerWidth[left] >= integerWidth[right] ? left : right;
    if (result === int8 || left === int8 || right === int8) {
      defineOperator('+', left, right, (a, b) => checkInteger(result, asBig(a) + asBig(b)));
      defineOperator('-', left, right, (a, b) => checkInteger(result, asBig(a) - asBig(b)));
      defineOperator('*', left, right, (a, b) => checkInteger(result, asBig(a) * asBig(b)));
      defineOperator('/', left, right, (a, b) => {
        const divisor = asBig(b);
        if (divisor === 0n) throw divisionByZero();
        return checkInteger(result, asBig(a) / divisor);
      });
    } else {
      // int2/int4 results fit exactly in doubles: no BigInt on the hot path.
      const check = result === int4 ? checkInt4 : checkInt2;
      defineOperator('+', left, right, (a, b) => check((a as number) + (b as number)));
      defineOperator('-', left, right, (a, b) => check((a as number) - (b as number)));
      defineOperator('*', left, right, (a, b) => {
        const product = (a as number) * (b as number);
        if (!Number.isSafeInteger(product)) throw outOfRange(rangeNameOf(result));
        return check(product);
      });
      defineOperator('/', left, right, (a, b) => {
        if (b === 0) throw divisionByZero();
        return check(Math.trunc((a as number) / (b as number)));
      });
    }
    defineComparisons(left, right, (a, b) => {
      if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
      const x = asBig(a);
      const y = asBig(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
}

for (const type of integers) {
  const big = type === int8;
  const wrap = (v: bigint): Value => (big ? BigInt.asIntN(64, v) : type === int4 ? Number(BigInt.asIntN(32, v)) : Number(BigInt.asIntN(16, v)));
  defineOperator('%', type, type, (a, b) => {
    if (big) {
      if (b === 0n) throw divisionByZero();
      return (a as bigint) % (b as bigint);
    }
    if (b === 0) throw divisionByZero();
    const remainder = (a as number) % (b as number);
    return remainder === 0 ? 0 : remainder; // no -0
  });
  defineOperator('-', 0, type, (_, b) => checkInteger(type, -asBig(b)));
  defineOperator('+', 0, type, (_, b) => b);
  defineOperator('@', 0, type, (_, b) => {
    const v = asBig(b);
    return checkInteger(type, v < 0n ? -v : v);
  });
  defineOperator('&', type, type, (a, b) => wrap(asBig(a) & asBig(b)));
  defineOperator('|', type, type, (a, b) => wrap(asBig(a) | asBig(b)));
  defineOperator('#', type, type, (a, b) => wrap(asBig(a) ^ asBig(b)));
  defineOperator('~', 0, type, (_, b) => wrap(~asBig(b)));
  // Shift counts behave as C on x86: masked to the operand width.
  const shiftMask = big ? 63n : 31n;
  defineOperator('<<', type, int4, (a, b) => wrap(asBig(a) << (BigInt(b as number) & shiftMask)));
  defineOperator('>>', type, int4, (a, b) => wrap(asBig(a) >> (BigInt(b as number) & shiftMask)));
}

// ---- floats (float.c): overflow and underflow are errors, x/0 is an error unless x is NaN.
function overflow(): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
}
function underflow(): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, 'value out of range: underflow');
}

function floatResult(single: boolean, value: number, inputsInfinite: boolean, zeroAllowed: boolean): number {
  const result = single ? Math.fround(value) : value;
  if (!Number.isFinite(result) && !Number.isNaN(result) && !inputsInfinite) throw overflow();
  if (result === 0 && !zeroAllowed) throw underflow();
  return result;
}

const floats: Array<typeof float4 | typeof float8> = [float4, float8];
for (const left of floats) {
  for (const right of floats) {
    const single = left === float4 && right === float4;
    const anyInfinite = (a: number, b: number) => !Number.isFinite(a) || !Number.isFinite(b);
    defineOperator('+', left, right, (a, b) => floatResult(single, (a as number) + (b as number), anyInfinite(a as number, b as number), true));
    defineOperator('-', left, right, (a, b) => floatResult(single, (a as number) - (b as number), anyInfinite(a as number, b as number), true));
    defineOperator('*', left, right, (a, b) => {
      const x = a as number;
      const y = b as number;
      return floatResult(single, x * y, anyInfinite(x, y), x === 0 || y === 0);
    });
    defineOperator('/', left, right, (a, b) => {
      const x = a as number;
      const y = b as number;
      if (y === 0 && !Number.isNaN(x)) throw divisionByZero();
      return floatResult(single, x / y, !Number.isFinite(x), x === 0 || !Number.isFinite(y));
    });
    defineComparisons(left, right, (a, b) => compareFloats(a as number, b as number));
  }
}
for (const type of floats) {
  defineOperator('-', 0, type, (_, b) => -(b as number));
  defineOperator('+', 0, type, (_, b) => b);
  defineOperator('@', 0, type, (_, b) => Math.abs(b as number));
}

/** dpow (float.c): PostgreSQL's special cases before pow(). */
export function floatPower(x: number, y: number): number {
  if (Number.isNaN(x)) return y === 0 ? 1 : NaN;
  if (Number.isNaN(y)) return x === 1 ? 1 : NaN;
  if (x === 0 && y < 0) {
    throw new SqlError('2201F', 'zero raised to a negative power is undefined');
  }
  if (x < 0 && Number.isFinite(y) && !Number.isInteger(y)) {
    throw new SqlError('2201F', 'a negative number raised to a non-integer power yields a complex result');
  }
  if (x === -1 && !Number.isFinite(y)) return 1;
  const result = Math.pow(x, y);
  if (!Number.isFinite(result) && Number.isFinite(x) && Number.isFinite(y)) throw overflow();
  if (result === 0 && x !== 0 && Number.isFinite(x) && Number.isFinite(y)) throw underflow();
  return result;
}
defineOperator('^', float8, float8, (a, b) => floatPower(a as number, b as number));
defineOperator('|/', 0, float8, (_, b) => {
  const x = b as number;
  if (x < 0) throw new SqlError('2201F', 'cannot take square root of a negative number');
  return Math.sqrt(x);
});
defineOperator('||/', 0, float8, (_, b) => glibcCbrt(b as number));

// ---- numeric.
defineOperator('+', numeric, numeric, (a, b) => (a as Numeric).add(b as Numeric).checkFormatLimits());
defineOperator('-', numeric, numeric, (a, b) => (a as Numeric).subtract(b as Numeric).checkFormatLimits());
defineOperator('*', numeric, numeric, (a, b) => (a as Numeric).multiply(b as Numeric).checkFormatLimits());
defineOperator('/', numeric, numeric, (a, b) => (a as Numeric).divide(b as Numeric).checkFormatLimits());
defineOperator('%', numeric, numeric, (a, b) => (a as Numeric).modulo(b as Numeric));
defineOperator('-', 0, numeric, (_, b) => (b as Numeric).negate());
defineOperator('+', 0, numeric, (_, b) => b);
defineOperator('@', 0, numeric, (_, b) => (b as Numeric).abs());
defineComparisons(numeric, numeric, (a, b) => (a as Numeric).compare(b as Numeric));

const frexpView = new DataView(new ArrayBuffer(8));

/** C's frexp: x = mantissa × 2^exponent with |mantissa| in [0.5, 1). */
function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let adjust = 0;
  if (Math.abs(x) < 2.2250738585072014e-308) {
    x *= 2 ** 54; // denormal: normalise first
    adjust = -54;
  }
  frexpView.setFloat64(0, x);
  const high = frexpView.getUint32(0);
  const exponent = ((high >>> 20) & 0x7ff) - 1022;
  frexpView.setUint32(0, (high & 0x800fffff) | (1022 << 20));
  return [frexpView.getFloat64(0), exponent + adjust];
}

const cbrtFactors = [1 / 1.5874010519681994748, 1 / 1.2599210498948731648, 1, 1.2599210498948731648, 1.5874010519681994748];

/** glibc's cbrt (sysdeps/ieee754/dbl-64/s_cbrt.c), so ||/ prints the digits PostgreSQL prints. */
export function glibcCbrt(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x + x;
  const [xm, xe] = frexp(Math.abs(x));
  const u =
    0.354895765043919860 +
    (1.50819193781584896 +
      (-2.11499494167371287 + (2.44693122563534430 + (-1.83469277483613086 + (0.784932344976639262 - 0.145263899385486377 * xm) * xm) * xm) * xm) * xm) *
      xm;
  const t2 = u * u * u;
  const ym = ((u * (t2 + 2.0 * xm)) / (2.0 * t2 + xm)) * cbrtFactors[2 + (xe % 3)]!;
  return Math.sign(x) * ym * 2 ** Math.trunc(xe / 3);
}
