// PostgreSQL's float overflow/underflow checks (float.h float_overflow_error & co.): an infinite
// or zero result from finite, non-zero inputs is an error, not a value.
import { SqlState } from '../../util/errors.js';
import { sqlError } from './define.js';

export function floatOverflow(): never {
  throw sqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
}

export function floatUnderflow(): never {
  throw sqlError(SqlState.numericValueOutOfRange, 'value out of range: underflow');
}

/** float8_pl / float8_mi / float8_mul style check on a result. */
export function checkFloatResult(result: number, inputsInfinite: boolean, zeroAllowed = true): number {
  if (!Number.isFinite(result) && !Number.isNaN(result) && !inputsInfinite) floatOverflow();
  if (result === 0 && !zeroAllowed) floatUnderflow();
  return result;
}

export function float8Add(a: number, b: number): number {
  return checkFloatResult(a + b, !Number.isFinite(a) || !Number.isFinite(b));
}

/** float4 arithmetic: computed in double, rounded to single, checked in single range. */
export function float4Add(a: number, b: number): number {
  return checkFloatResult(Math.fround(a + b), !Number.isFinite(a) || !Number.isFinite(b));
}
