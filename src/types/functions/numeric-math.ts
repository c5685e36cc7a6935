// Numeric helpers the Numeric class does not carry: exact square root at a given scale
// (numeric.c's sqrt_var result rounded half away from zero) and small conversions.
import { Numeric, pow10 } from '../numeric.js';

/** Integer square root (floor) of a non-negative bigint. */
export function bigintSqrt(value: bigint): bigint {
  if (value < 2n) return value;
  let x = BigInt(Math.floor(Math.sqrt(Number(value))));
  // Newton steps from a float estimate; then fix off-by-one either way.
  for (;;) {
    const next = (x + value / x) >> 1n;
    if (next >= x - 1n && next <= x + 1n) {
      x = next;
      break;
    }
    x = next;
  }
  while (x * x > value) x--;
  while ((x + 1n) * (x + 1n) <= value) x++;
  return x;
}

/** √value rounded half away from zero to `scale` digits; value must be finite and ≥ 0. */
export function numericSqrtAtScale(value: Numeric, scale: number): Numeric {
  // sqrt(c × 10^-s) × 10^(scale+1) = sqrt(c × 10^(2(scale+1) - s)).
  const exponent = 2 * (scale + 1) - value.scale;
  const radicand = exponent >= 0 ? value.coefficient * pow10(exponent) : value.coefficient / pow10(-exponent);
  const extended = bigintSqrt(radicand); // one extra digit, truncated
  return Numeric.of((extended + 5n) / 10n, scale);
}

export function numericFromInt(value: number | bigint): Numeric {
  return Numeric.fromBigInt(value);
}
