// generate_series over integers and numeric (set-returning). The datetime overloads live with
// the date/time functions.
import { SqlState } from '../../util/errors.js';
import { Numeric } from '../numeric.js';
import type { Value } from '../api.js';
import { defineFunction, sqlError } from './define.js';
import { Oid } from './oids.js';

function zeroStep(): never {
  throw sqlError(SqlState.invalidParameterValue, 'step size cannot equal zero');
}

function* integerSeries(start: bigint, stop: bigint, step: bigint, min: bigint, max: bigint, asNumber: boolean): Generator<Value> {
  if (step === 0n) zeroStep();
  for (let current = start; step > 0n ? current <= stop : current >= stop; current += step) {
    yield asNumber ? Number(current) : current;
    // PostgreSQL stops rather than overflowing past the type's range.
    if (current + step > max || current + step < min) return;
  }
}

const int4Min = -2147483648n;
const int4Max = 2147483647n;
const int8Min = -9223372036854775808n;
const int8Max = 9223372036854775807n;
const big = (v: Value) => BigInt(v as number | bigint);

defineFunction('generate_series', [Oid.int4, Oid.int4], Oid.int4, ([a, b]) => integerSeries(big(a), big(b), 1n, int4Min, int4Max, true), { returnsSet: true });
defineFunction('generate_series', [Oid.int4, Oid.int4, Oid.int4], Oid.int4, ([a, b, s]) => integerSeries(big(a), big(b), big(s), int4Min, int4Max, true), {
  returnsSet: true,
});
defineFunction('generate_series', [Oid.int8, Oid.int8], Oid.int8, ([a, b]) => integerSeries(big(a), big(b), 1n, int8Min, int8Max, false), { returnsSet: true });
defineFunction('generate_series', [Oid.int8, Oid.int8, Oid.int8], Oid.int8, ([a, b, s]) => integerSeries(big(a), big(b), big(s), int8Min, int8Max, false), {
  returnsSet: true,
});

function checkNumericBound(value: Numeric, what: string): void {
  if (value.isNaN()) throw sqlError(SqlState.invalidParameterValue, `${what} cannot be NaN`);
  if (value.isInfinite()) throw sqlError(SqlState.invalidParameterValue, `${what} cannot be infinity`);
}

function* numericSeries(start: Numeric, stop: Numeric, step: Numeric): Generator<Numeric> {
  checkNumericBound(start, 'start value');
  checkNumericBound(stop, 'stop value');
  checkNumericBound(step, 'step size');
  if (step.sign() === 0) zeroStep();
  const ascending = step.sign() > 0;
  for (let current = start; ascending ? current.compare(stop) <= 0 : current.compare(stop) >= 0; current = current.add(step)) yield current;
}

defineFunction('generate_series', [Oid.numeric, Oid.numeric], Oid.numeric, ([a, b]) => numericSeries(a as Numeric, b as Numeric, Numeric.fromBigInt(1)), { returnsSet: true });
defineFunction('generate_series', [Oid.numeric, Oid.numeric, Oid.numeric], Oid.numeric, ([a, b, s]) => numericSeries(a as Numeric, b as Numeric, s as Numeric), {
  returnsSet: true,
});
