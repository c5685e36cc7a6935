// Exact arbitrary-precision decimal with PostgreSQL's numeric semantics: value = coefficient ×
// 10^-scale, where scale is the display scale (dscale) PostgreSQL carries and prints; NaN and
// ±Infinity as in PostgreSQL 15. Arithmetic result scales follow numeric.c (add/sub: max,
// mul: sum, div: select_div_scale), rounding is half away from zero.
import { SqlError, SqlState } from '../util/errors.js';
import { divisionByZero, invalidInput } from './errors.js';

type NumericKind = 'finite' | 'nan' | 'pinf' | 'ninf';

/** PostgreSQL's NUMERIC_MAX_PRECISION / display-scale limits (numeric.c). */
export const numericLimits = {
  precisionMax: 1000,
  displayScaleMin: 0,
  displayScaleMax: 1000,
  minSignificantDigits: 16,
  dscaleMax: 16383,
  integerDigitsMax: 131072,
  exponentMax: 1_000_000_000,
} as const;

const powersOfTen: bigint[] = [1n];
const cachedPowersMax = 64;
export function pow10(exponent: number): bigint {
  if (exponent > cachedPowersMax) return 10n ** BigInt(exponent);
  while (powersOfTen.length <= exponent) powersOfTen.push(powersOfTen[powersOfTen.length - 1]! * 10n);
  return powersOfTen[exponent]!;
}

function absBig(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/** Rounds coefficient (at scale `from`) to scale `to` < from, half away from zero. */
function roundCoefficient(coefficient: bigint, from: number, to: number): bigint {
  const divisor = pow10(from - to);
  const quotient = coefficient / divisor;
  const remainder = coefficient - quotient * divisor;
  if (absBig(remainder) * 2n >= divisor) return quotient + (coefficient < 0n ? -1n : 1n);
  return quotient;
}

export class Numeric {
  private constructor(
    readonly kind: NumericKind,
    /** Signed; zero for specials. */
    readonly coefficient: bigint,
    /** Display scale (digits after the point), ≥ 0. */
    readonly scale: number,
  ) {}

  static readonly NaN = new Numeric('nan', 0n, 0);
  static readonly Infinity = new Numeric('pinf', 0n, 0);
  static readonly NegativeInfinity = new Numeric('ninf', 0n, 0);
  static readonly zero = new Numeric('finite', 0n, 0);

  static of(coefficient: bigint, scale = 0): Numeric {
    if (scale < 0) return new Numeric('finite', coefficient * pow10(-scale), 0);
    return new Numeric('finite', coefficient, scale);
  }

  static fromBigInt(value: bigint | number): Numeric {
    return new Numeric('finite', BigInt(value), 0);
  }

  /** float → numeric as PostgreSQL does it: through "%.{digits}g" text (15 for float8, 6 for float4). */
  static fromFloat(value: number, significantDigits: number): Numeric {
    if (Number.isNaN(value)) return Numeric.NaN;
    if (value === Infinity) return Numeric.Infinity;
    if (value === -Infinity) return Numeric.NegativeInfinity;
    return Numeric.parse(formatFloatG(value, significantDigits));
  }

  /** numeric_in: throws 22P02 with PostgreSQL's message on bad input. */
  static parse(text: string): Numeric {
    const parsed = Numeric.tryParse(text);
    if (parsed === undefined) throw invalidInput('numeric', text);
    return parsed.checkFormatLimits();
  }

  /** make_result's limits: at most 131072 integer digits (weight 32767) and dscale 16383. */
  checkFormatLimits(): Numeric {
    if (this.kind !== 'finite') return this;
    const integerDigits = absBig(this.coefficient).toString().length - this.scale;
    if (this.scale > numericLimits.dscaleMax || (this.coefficient !== 0n && integerDigits > numericLimits.integerDigitsMax)) {
      throw formatOverflow();
    }
    return this;
  }

  static tryParse(text: string): Numeric | undefined {
    const trimmed = text.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '');
    const lower = trimmed.toLowerCase();
    if (lower === 'nan') return Numeric.NaN;
    if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') return Numeric.Infinity;
    if (lower === '-infinity' || lower === '-inf') return Numeric.NegativeInfinity;
    const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(trimmed);
    if (!match) return undefined;
    const [, sign, integerDigits = '', fractionDigits = '', exponentText] = match;
    if (integerDigits.length + fractionDigits.length === 0) return undefined;
    let exponent = 0;
    if (exponentText !== undefined) {
      exponent = Number(exponentText);
      if (!Number.isFinite(exponent) || Math.abs(exponent) > numericLimits.exponentMax) throw formatOverflow();
    }
    const scale = fractionDigits.length - exponent;
    // Reject values beyond numeric's format before building huge BigInts.
    const significant = (integerDigits + fractionDigits).replace(/^0+/, '');
    if (significant.length > 0 && significant.length - scale > numericLimits.integerDigitsMax) throw formatOverflow();
    if (scale > numericLimits.dscaleMax) throw formatOverflow();
    if (significant.length === 0) return new Numeric('finite', 0n, Math.max(scale, 0));
    let coefficient = BigInt(integerDigits + fractionDigits || '0');
    if (sign === '-') coefficient = -coefficient;
    if (scale < 0) return new Numeric('finite', coefficient * pow10(-scale), 0);
    return new Numeric('finite', coefficient, scale);
  }

  isNaN(): boolean {
    return this.kind === 'nan';
  }
  isFinite(): boolean {
    return this.kind === 'finite';
  }
  isInfinite(): boolean {
    return this.kind === 'pinf' || this.kind === 'ninf';
  }
  /** -1, 0, 1 (NaN → NaN as number). */
  sign(): number {
    if (this.kind === 'nan') return NaN;
    if (this.kind === 'pinf') return 1;
    if (this.kind === 'ninf') return -1;
    return this.coefficient === 0n ? 0 : this.coefficient < 0n ? -1 : 1;
  }

  toString(): string {
    if (this.kind === 'nan') return 'NaN';
    if (this.kind === 'pinf') return 'Infinity';
    if (this.kind === 'ninf') return '-Infinity';
    const digits = absBig(this.coefficient).toString();
    const sign = this.coefficient < 0n ? '-' : '';
    if (this.scale === 0) return sign + digits;
    const padded = digits.padStart(this.scale + 1, '0');
    return `${sign}${padded.slice(0, padded.length - this.scale)}.${padded.slice(padded.length - this.scale)}`;
  }

  toNumber(): number {
    if (this.kind === 'nan') return NaN;
    if (this.kind === 'pinf') return Infinity;
    if (this.kind === 'ninf') return -Infinity;
    return Number(this.toString());
  }

  /** Coefficient at another scale (exact when growing, rounded half away from zero when shrinking). */
  private coefficientAt(scale: number): bigint {
    if (scale >= this.scale) return this.coefficient * pow10(scale - this.scale);
    return roundCoefficient(this.coefficient, this.scale, scale);
  }

  /** round(numeric, int): half away from zero; negative places round left of the point. */
  round(places: number): Numeric {
    if (this.kind !== 'finite') return this;
    const target = Math.max(places, 0);
    if (places >= this.scale) return new Numeric('finite', this.coefficient * pow10(target - this.scale), target);
    const rounded = roundCoefficient(this.coefficient, this.scale, places);
    return places >= 0 ? new Numeric('finite', rounded, places) : new Numeric('finite', rounded * pow10(-places), 0);
  }

  trunc(places: number): Numeric {
    if (this.kind !== 'finite') return this;
    const target = Math.max(places, 0);
    if (places >= this.scale) return new Numeric('finite', this.coefficient * pow10(target - this.scale), target);
    const truncated = this.coefficient / pow10(this.scale - places);
    return places >= 0 ? new Numeric('finite', truncated, places) : new Numeric('finite', truncated * pow10(-places), 0);
  }

  /** Integer part rounded half away from zero (numeric → int casts); undefined for specials. */
  toBigIntRounded(): bigint | undefined {
    if (this.kind !== 'finite') return undefined;
    return this.coefficientAt(0);
  }

  negate(): Numeric {
    if (this.kind === 'pinf') return Numeric.NegativeInfinity;
    if (this.kind === 'ninf') return Numeric.Infinity;
    if (this.kind === 'nan') return this;
    return new Numeric('finite', -this.coefficient, this.scale);
  }

  abs(): Numeric {
    if (this.kind === 'ninf') return Numeric.Infinity;
    return this.kind === 'finite' && this.coefficient < 0n ? this.negate() : this;
  }

  add(other: Numeric): Numeric {
    if (this.kind !== 'finite' || other.kind !== 'finite') {
      if (this.kind === 'nan' || other.kind === 'nan') return Numeric.NaN;
      if (this.kind === 'finite') return other;
      if (other.kind === 'finite' || other.kind === this.kind) return this;
      return Numeric.NaN; // Inf + -Inf
    }
    const scale = Math.max(this.scale, other.scale);
    return new Numeric('finite', this.coefficientAt(scale) + other.coefficientAt(scale), scale);
  }

  subtract(other: Numeric): Numeric {
    return this.add(other.negate());
  }

  multiply(other: Numeric): Numeric {
    if (this.kind !== 'finite' || other.kind !== 'finite') {
      if (this.kind === 'nan' || other.kind === 'nan') return Numeric.NaN;
      const product = this.sign() * other.sign();
      if (product === 0) return Numeric.NaN; // Inf × 0
      return product > 0 ? Numeric.Infinity : Numeric.NegativeInfinity;
    }
    const scale = this.scale + other.scale;
    const product = new Numeric('finite', this.coefficient * other.coefficient, scale);
    return scale > numericLimits.dscaleMax ? product.round(numericLimits.dscaleMax) : product;
  }

  /** numeric / numeric with PostgreSQL's select_div_scale result scale. */
  divide(other: Numeric): Numeric {
    if (this.kind !== 'finite' || other.kind !== 'finite') return divideSpecial(this, other);
    if (other.coefficient === 0n) throw divisionByZero();
    return this.divideToScale(other, this.divisionScale(other));
  }

  /** Quotient rounded half away from zero at `scale` (scale may be negative only internally). */
  divideToScale(other: Numeric, scale: number): Numeric {
    if (other.coefficient === 0n) throw divisionByZero();
    // quotient × 10^(scale+1) = this.c × 10^(other.s + scale + 1 - this.s) / other.c
    const shift = other.scale + scale + 1 - this.scale;
    let numerator = this.coefficient;
    let denominator = other.coefficient;
    if (shift >= 0) numerator *= pow10(shift);
    else denominator *= pow10(-shift);
    const extended = numerator / denominator; // truncated, one extra digit
    const negative = (numerator < 0n) !== (denominator < 0n);
    const rounded = (extended + (negative ? -5n : 5n)) / 10n;
    return new Numeric('finite', rounded, scale);
  }

  /** select_div_scale (numeric.c). */
  divisionScale(other: Numeric): number {
    const [weight1, first1] = this.leadingBase10000();
    const [weight2, first2] = other.leadingBase10000();
    let quotientWeight = weight1 - weight2;
    if (first1 <= first2) quotientWeight--;
    let scale = numericLimits.minSignificantDigits - quotientWeight * 4;
    scale = Math.max(scale, this.scale, other.scale, numericLimits.displayScaleMin);
    return Math.min(scale, numericLimits.displayScaleMax);
  }

  /** Integer division toward zero (div(numeric, numeric)); scale 0. */
  divideTruncated(other: Numeric): Numeric {
    if (this.kind !== 'finite' || other.kind !== 'finite') {
      const result = divideSpecial(this, other);
      return result;
    }
    if (other.coefficient === 0n) throw divisionByZero();
    const scale = Math.max(this.scale, other.scale);
    return new Numeric('finite', this.coefficientAt(scale) / other.coefficientAt(scale), 0);
  }

  /** numeric % numeric: sign of the dividend, scale max of the inputs. */
  modulo(other: Numeric): Numeric {
    if (this.kind === 'nan' || other.kind === 'nan') return Numeric.NaN;
    if (this.isInfinite()) {
      if (other.kind === 'finite' && other.coefficient === 0n) throw divisionByZero();
      return Numeric.NaN;
    }
    if (other.isInfinite()) return this;
    if (other.coefficient === 0n) throw divisionByZero();
    const scale = Math.max(this.scale, other.scale);
    return new Numeric('finite', this.coefficientAt(scale) % other.coefficientAt(scale), scale);
  }

  /** Weight (base-10000 digit position) and value of the first non-zero base-10000 digit; [0, 0] for zero. */
  leadingBase10000(): [number, number] {
    const { weight, digits } = this.toBase10000();
    return digits.length === 0 ? [0, 0] : [weight, digits[0]!];
  }

  /** PostgreSQL's NumericVar digits: base-10000, groups aligned on the decimal point, zeros stripped. */
  toBase10000(): { weight: number; digits: number[] } {
    let magnitude = absBig(this.coefficient);
    if (this.kind !== 'finite' || magnitude === 0n) return { weight: 0, digits: [] };
    const pad = (4 - (this.scale % 4)) % 4;
    magnitude *= pow10(pad);
    const fractionGroups = (this.scale + pad) / 4;
    const leastSignificantFirst: number[] = [];
    while (magnitude > 0n) {
      leastSignificantFirst.push(Number(magnitude % 10000n));
      magnitude /= 10000n;
    }
    let weight = leastSignificantFirst.length - fractionGroups - 1;
    const digits = leastSignificantFirst.reverse();
    let start = 0;
    while (digits[start] === 0) {
      start++;
      weight--;
    }
    let end = digits.length;
    while (end > start && digits[end - 1] === 0) end--;
    return { weight, digits: digits.slice(start, end) };
  }

  static fromBase10000(negative: boolean, weight: number, digits: readonly number[], scale: number): Numeric {
    let integer = 0n;
    for (const digit of digits) integer = integer * 10000n + BigInt(digit);
    const exponent4 = weight - digits.length + 1; // value = integer × 10000^exponent4
    let coefficient: bigint;
    if (exponent4 >= 0) coefficient = integer * pow10(4 * exponent4 + scale);
    else {
      const valueScale = -4 * exponent4;
      coefficient = scale >= valueScale ? integer * pow10(scale - valueScale) : integer / pow10(valueScale - scale);
    }
    return new Numeric('finite', negative ? -coefficient : coefficient, scale);
  }

  /** PostgreSQL order: -Infinity < finite < Infinity < NaN; NaN = NaN; 1.0 = 1.00. */
  compare(other: Numeric): number {
    const rankA = kindRank(this.kind);
    const rankB = kindRank(other.kind);
    if (rankA !== rankB || this.kind !== 'finite') return rankA - rankB;
    const scale = Math.max(this.scale, other.scale);
    const a = this.coefficientAt(scale);
    const b = other.coefficientAt(scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(other: Numeric): boolean {
    return this.compare(other) === 0;
  }

  /** Digits without trailing fractional zeros: equal values give equal strings (for hashing/keys). */
  normalizedString(): string {
    if (this.kind !== 'finite') return this.toString();
    let coefficient = this.coefficient;
    let scale = this.scale;
    while (scale > 0 && coefficient % 10n === 0n) {
      coefficient /= 10n;
      scale--;
    }
    return new Numeric('finite', coefficient, scale).toString();
  }

  /** numeric(p,s) typmod: rounds to s, then 22003 if more than p-s integer digits (apply_typmod). */
  applyPrecisionScale(precision: number, scale: number): Numeric {
    if (this.kind === 'nan') return this;
    if (this.kind !== 'finite') {
      throw new SqlError(SqlState.numericValueOutOfRange, 'numeric field overflow', {
        detail: `A field with precision ${precision}, scale ${scale} cannot hold an infinite value.`,
      });
    }
    const rounded = this.round(scale);
    const maxDigits = precision - scale;
    if (rounded.coefficient !== 0n) {
      // Position of the most significant digit relative to the point (123 → 3, 0.01 → -1).
      const leadingDigits = absBig(rounded.coefficient).toString().length - rounded.scale;
      if (leadingDigits > maxDigits) {
        throw new SqlError(SqlState.numericValueOutOfRange, 'numeric field overflow', {
          detail: `A field with precision ${precision}, scale ${scale} must round to an absolute value less than ${maxDigits !== 0 ? '10^' + maxDigits : '1'}.`,
        });
      }
    }
    return rounded;
  }
}

function formatOverflow(): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, 'value overflows numeric format');
}

function kindRank(kind: NumericKind): number {
  return kind === 'ninf' ? -1 : kind === 'finite' ? 0 : kind === 'pinf' ? 1 : 2;
}

function divideSpecial(a: Numeric, b: Numeric): Numeric {
  if (a.isNaN() || b.isNaN()) return Numeric.NaN;
  if (a.isInfinite()) {
    if (b.isInfinite()) return Numeric.NaN;
    const sign = b.sign();
    if (sign === 0) throw divisionByZero();
    return (a.kind === 'pinf') === sign > 0 ? Numeric.Infinity : Numeric.NegativeInfinity;
  }
  return Numeric.zero; // finite / ±Infinity
}

const floatBits = new DataView(new ArrayBuffer(8));

/** Whether decimal digits × 10^exponent10 equals the double exactly. */
function decimalEqualsDouble(digits: bigint, exponent10: number, value: number): boolean {
  floatBits.setFloat64(0, Math.abs(value));
  const high = floatBits.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(floatBits.getUint32(4));
  let exponent2: number;
  if (biased === 0) exponent2 = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent2 = biased - 1075;
  }
  let left = digits;
  let right = mantissa;
  if (exponent10 >= 0) left *= pow10(exponent10);
  else right *= pow10(-exponent10);
  if (exponent2 >= 0) right <<= BigInt(exponent2);
  else left <<= BigInt(-exponent2);
  return left === right;
}

/** Significant digits of |value| rounded to `precision` places, ties to even as glibc's printf. */
function roundSignificant(value: number, precision: number): { digits: string; exponent: number } {
  const magnitude = Math.abs(value);
  let [mantissa, exponentText] = magnitude.toExponential(precision - 1).split('e') as [string, string];
  let digits = mantissa.replace('.', '');
  let exponent = Number(exponentText);
  // toExponential rounds exact ties away from zero; glibc rounds them to even.
  const longer = magnitude.toExponential(Math.min(precision, 100));
  const [longMantissa, longExponentText] = longer.split('e') as [string, string];
  const longDigits = longMantissa.replace('.', '');
  // A tie picks the candidate whose last digit is even: the truncated one when its last digit is even.
  if (longDigits.endsWith('5') && Number(longDigits[longDigits.length - 2]) % 2 === 0) {
    const exponent10 = Number(longExponentText) - (longDigits.length - 1);
    if (decimalEqualsDouble(BigInt(longDigits), exponent10, magnitude)) {
      digits = longDigits.slice(0, -1);
      exponent = Number(longExponentText);
    }
  }
  return { digits, exponent };
}

/** C's printf("%.{precision}g"): used by float output with extra_float_digits ≤ 0 and float → numeric. */
export function formatFloatG(value: number, precision: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const sign = value < 0 ? '-' : '';
  const { digits, exponent } = roundSignificant(value, precision);
  const trimmed = digits.replace(/0+$/, '') || '0';
  if (exponent < -4 || exponent >= precision) {
    const fraction = trimmed.length > 1 ? '.' + trimmed.slice(1) : '';
    return `${sign}${trimmed[0]}${fraction}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${trimmed}`;
  if (trimmed.length <= exponent + 1) return sign + trimmed + '0'.repeat(exponent + 1 - trimmed.length);
  return `${sign}${trimmed.slice(0, exponent + 1)}.${trimmed.slice(exponent + 1)}`;
}
