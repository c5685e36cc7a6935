// Integer and numeric mathematical functions (int.c, int8.c, numeric.c): abs, ceil/floor,
// round/trunc with places, sign, mod, div, gcd/lcm, sqrt, exp/ln/log/power, factorial,
// scale/min_scale/trim_scale, width_bucket(numeric).
import { SqlState } from '../../util/errors.js';
import { Numeric, pow10 } from '../numeric.js';
import type { Value } from '../api.js';
import { defineFunction, sqlError } from './define.js';
import { registerOperator } from './api.js';
import { numericSqrtAtScale } from './numeric-math.js';
import { numericExp, numericLn, numericLog, numericPower } from './numeric-transcendental.js';
import { Oid } from './oids.js';

const { int2, int4, int8, numeric } = Oid;
const N = (v: Value) => v as Numeric;

const integerLimits = {
  [int2]: { max: 32767n, min: -32768n, name: 'smallint' },
  [int4]: { max: 2147483647n, min: -2147483648n, name: 'integer' },
  [int8]: { max: 9223372036854775807n, min: -9223372036854775808n, name: 'bigint' },
} as const;
type IntegerOid = keyof typeof integerLimits;

function outOfRange(type: IntegerOid): never {
  throw sqlError(SqlState.numericValueOutOfRange, `${integerLimits[type].name} out of range`);
}

const toBig = (v: Value) => (typeof v === 'bigint' ? v : BigInt(v as number));

function fromBig(type: IntegerOid, value: bigint): Value {
  const limits = integerLimits[type];
  if (value > limits.max || value < limits.min) outOfRange(type);
  return type === int8 ? value : Number(value);
}

function bigGcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

for (const type of [int2, int4, int8] as const) {
  defineFunction('abs', [type], type, ([x]) => {
    const value = toBig(x);
    return fromBig(type, value < 0n ? -value : value);
  });
  defineFunction('mod', [type, type], type, ([a, b]) => {
    const divisor = toBig(b);
    if (divisor === 0n) throw sqlError(SqlState.divisionByZero, 'division by zero');
    return fromBig(type, toBig(a) % divisor);
  });
  if (type === int2) continue;
  defineFunction('gcd', [type, type], type, ([a, b]) => fromBig(type, bigGcd(toBig(a), toBig(b))));
  defineFunction('lcm', [type, type], type, ([a, b]) => {
    const x = toBig(a);
    const y = toBig(b);
    if (x === 0n || y === 0n) return fromBig(type, 0n);
    const divisor = fromBig(type, bigGcd(x, y)); // gcd may itself be out of range
    const product = (x / toBig(divisor)) * y;
    return fromBig(type, product < 0n ? -product : product);
  });
}

// --- numeric --------------------------------------------------------------------------------
const one = Numeric.fromBigInt(1);

defineFunction('abs', [numeric], numeric, ([x]) => N(x).abs());

function ceilOrFloor(x: Numeric, ceiling: boolean): Numeric {
  if (!x.isFinite()) return x;
  const truncated = x.trunc(0);
  if (truncated.compare(x) === 0) return truncated;
  return ceiling === x.sign() > 0 ? truncated.add(ceiling ? one : one.negate()) : truncated;
}
for (const name of ['ceil', 'ceiling']) defineFunction(name, [numeric], numeric, ([x]) => ceilOrFloor(N(x), true));
defineFunction('floor', [numeric], numeric, ([x]) => ceilOrFloor(N(x), false));

const resultScaleMax = 2000;
const clampPlaces = (places: number) => Math.min(Math.max(places, -resultScaleMax), resultScaleMax);
defineFunction('round', [numeric], numeric, ([x]) => N(x).round(0));
defineFunction('round', [numeric, int4], numeric, ([x, places]) => N(x).round(clampPlaces(places as number)));
defineFunction('trunc', [numeric], numeric, ([x]) => N(x).trunc(0));
defineFunction('trunc', [numeric, int4], numeric, ([x, places]) => N(x).trunc(clampPlaces(places as number)));

defineFunction('sign', [numeric], numeric, ([x]) => {
  const value = N(x);
  if (value.isNaN()) return value;
  return Numeric.fromBigInt(BigInt(value.sign()));
});

defineFunction('mod', [numeric, numeric], numeric, ([a, b]) => N(a).modulo(N(b)));
defineFunction('div', [numeric, numeric], numeric, ([a, b]) => N(a).divideTruncated(N(b)));

function numericGcd(a: Numeric, b: Numeric): Numeric {
  if (!a.isFinite() || !b.isFinite()) return Numeric.NaN;
  const scale = Math.max(a.scale, b.scale);
  const x = a.coefficient * pow10(scale - a.scale);
  const y = b.coefficient * pow10(scale - b.scale);
  return Numeric.of(bigGcd(x, y), scale);
}
defineFunction('gcd', [numeric, numeric], numeric, ([a, b]) => numericGcd(N(a), N(b)));
defineFunction('lcm', [numeric, numeric], numeric, ([a, b]) => {
  const x = N(a);
  const y = N(b);
  if (!x.isFinite() || !y.isFinite()) return Numeric.NaN;
  const scale = Math.max(x.scale, y.scale);
  if (x.sign() === 0 || y.sign() === 0) return Numeric.of(0n, scale);
  const divisor = numericGcd(x, y);
  return x.divideTruncated(divisor).multiply(y).abs().round(scale);
});

defineFunction('sqrt', [numeric], numeric, ([x]) => {
  const value = N(x);
  if (value.isNaN()) return value;
  if (value.sign() < 0) throw sqlError('2201F', 'cannot take square root of a negative number');
  if (value.isInfinite()) return value;
  // numeric_sqrt: at least 16 significant digits, not less than the input's scale.
  const { weight } = value.toBase10000();
  const resultWeight = Math.trunc(((weight + 1) * 4) / 2) - 1;
  const scale = Math.min(Math.max(16 - resultWeight, value.scale, 0), 1000);
  return numericSqrtAtScale(value, scale);
});

defineFunction('exp', [numeric], numeric, ([x]) => numericExp(N(x)));
defineFunction('ln', [numeric], numeric, ([x]) => numericLn(N(x)));
for (const name of ['log', 'log10']) defineFunction(name, [numeric], numeric, ([x]) => numericLog(Numeric.fromBigInt(10), N(x)));
defineFunction('log', [numeric, numeric], numeric, ([base, x]) => numericLog(N(base), N(x)));
for (const name of ['power', 'pow']) defineFunction(name, [numeric, numeric], numeric, ([a, b]) => numericPower(N(a), N(b)));
/** numeric ^ numeric (pg_operator 1038) is numeric_power; the types layer registers float8 ^ float8. */
registerOperator({ name: '^', left: numeric, right: numeric, result: numeric, impl: (a, b) => numericPower(N(a), N(b)), strict: true, oid: 1038 });

defineFunction('factorial', [int8], numeric, ([n]) => {
  const value = n as bigint;
  if (value < 0n) throw sqlError(SqlState.numericValueOutOfRange, 'factorial of a negative number is undefined');
  if (value > 32177n) throw sqlError(SqlState.numericValueOutOfRange, 'value overflows numeric format');
  let result = 1n;
  for (let i = 2n; i <= value; i++) result *= i;
  return Numeric.fromBigInt(result);
});

defineFunction('scale', [numeric], int4, ([x]) => (N(x).isFinite() ? N(x).scale : null));

function minimumScale(x: Numeric): number {
  let scale = x.scale;
  let coefficient = x.coefficient;
  while (scale > 0 && coefficient % 10n === 0n) {
    coefficient /= 10n;
    scale--;
  }
  return scale;
}
defineFunction('min_scale', [numeric], int4, ([x]) => (N(x).isFinite() ? minimumScale(N(x)) : null));
defineFunction('trim_scale', [numeric], numeric, ([x]) => (N(x).isFinite() ? N(x).round(minimumScale(N(x))) : N(x)));

defineFunction('width_bucket', [numeric, numeric, numeric, int4], int4, ([operandValue, low, high, countValue]) => {
  const operand = N(operandValue);
  const bound1 = N(low);
  const bound2 = N(high);
  const count = countValue as number;
  if (count <= 0) throw sqlError('2201G', 'count must be greater than zero');
  if (operand.isNaN() || bound1.isNaN() || bound2.isNaN()) throw sqlError('2201G', 'operand, lower bound, and upper bound cannot be NaN');
  if (!bound1.isFinite() || !bound2.isFinite()) throw sqlError('2201G', 'lower and upper bounds must be finite');
  const order = bound1.compare(bound2);
  if (order === 0) throw sqlError('2201G', 'lower bound cannot equal upper bound');
  const countNumeric = Numeric.fromBigInt(count);
  const bucket = (offset: Numeric, range: Numeric) => {
    // compute_bucket: floor(count × offset / range) + 1, exactly.
    const scaled = offset.multiply(countNumeric);
    return Number(scaled.divideTruncated(range).toBigIntRounded()) + 1;
  };
  let result: number;
  if (order < 0) {
    if (operand.compare(bound1) < 0) result = 0;
    else if (operand.compare(bound2) >= 0) result = count + 1;
    else result = bucket(operand.subtract(bound1), bound2.subtract(bound1));
  } else {
    if (operand.compare(bound1) > 0) result = 0;
    else if (operand.compare(bound2) <= 0) result = count + 1;
    else result = bucket(bound1.subtract(operand), bound1.subtract(bound2));
  }
  if (result > 2147483647) throw sqlError(SqlState.numericValueOutOfRange, 'integer out of range');
  return result;
});
