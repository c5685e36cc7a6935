// Functions psql, pgbench and drivers need that the function library may not register yet
// (set-returning generate_series/unnest, a few array helpers, pg_get_*def for objects Cambium
// does not have). The binder uses these only when the registry has no match, so the library's
// own definitions always win once they exist.
import type { Value } from '../types/api.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { ExprBinder } from './bind-expr.js';
import type { Expr, RuntimeContext } from './expr.js';

const serverVersionText = '15.8';
import { getType, T, UNKNOWN } from './type-access.js';

interface PgArrayValue {
  elements: Value[];
  dims: number[];
  lowerBounds: number[];
}

type Signature = { args: Array<number | 'array' | 'any'>; result: number | 'element' | 'same'; set?: boolean; strict?: boolean; impl: (args: Value[], argTypes: number[], context: RuntimeContext) => Value };

function* integerSeries(start: bigint, stop: bigint, step: bigint, asNumber: boolean): Generator<Value> {
  if (step === 0n) throw new SqlError(SqlState.invalidParameterValue, 'step size cannot equal zero');
  for (let value = start; step > 0n ? value <= stop : value >= stop; value += step) yield asNumber ? Number(value) : value;
}

const definitions: Record<string, Signature[]> = {
  generate_series: [
    { args: [T.int4, T.int4], result: T.int4, set: true, strict: true, impl: ([a, b]) => integerSeries(BigInt(a as number), BigInt(b as number), 1n, true) },
    { args: [T.int4, T.int4, T.int4], result: T.int4, set: true, strict: true, impl: ([a, b, s]) => integerSeries(BigInt(a as number), BigInt(b as number), BigInt(s as number), true) },
    { args: [T.int8, T.int8], result: T.int8, set: true, strict: true, impl: ([a, b]) => integerSeries(a as bigint, b as bigint, 1n, false) },
    { args: [T.int8, T.int8, T.int8], result: T.int8, set: true, strict: true, impl: ([a, b, s]) => integerSeries(a as bigint, b as bigint, s as bigint, false) },
  ],
  unnest: [{ args: ['array'], result: 'element', set: true, strict: true, impl: ([array]) => (array as PgArrayValue).elements }],
  array_to_string: [
    { args: ['array', T.text], result: T.text, strict: true, impl: ([array, separator], types) => arrayToString(array as PgArrayValue, separator as string, null, types[0]!) },
    { args: ['array', T.text, T.text], result: T.text, strict: false, impl: ([array, separator, nullText], types) => (array === null || separator === null ? null : arrayToString(array as PgArrayValue, separator as string, nullText as string | null, types[0]!)) },
  ],
  array_position: [{
    args: ['array', 'any'], result: T.int4, strict: false,
    impl: ([array, wanted], types) => {
      if (array === null) return null;
      const a = array as PgArrayValue;
      const element = getType(types[0]!).element!;
      for (let i = 0; i < a.elements.length; i++) {
        const value = a.elements[i] ?? null;
        if (value === null ? wanted === null : wanted !== null && element.compare(value, wanted) === 0) return i + (a.lowerBounds[0] ?? 1);
      }
      return null;
    },
  }],
  array_length: [{ args: ['array', T.int4], result: T.int4, strict: true, impl: ([array, dim]) => (array as PgArrayValue).dims[(dim as number) - 1] ?? null }],
  array_upper: [{ args: ['array', T.int4], result: T.int4, strict: true, impl: ([array, dim]) => {
    const a = array as PgArrayValue;
    const d = (dim as number) - 1;
    return a.dims[d] === undefined ? null : (a.lowerBounds[d] ?? 1) + a.dims[d]! - 1;
  } }],
  array_lower: [{ args: ['array', T.int4], result: T.int4, strict: true, impl: ([array, dim]) => (array as PgArrayValue).lowerBounds[(dim as number) - 1] ?? null }],
  cardinality: [{ args: ['array'], result: T.int4, strict: true, impl: ([array]) => (array as PgArrayValue).elements.length }],
  pg_get_function_result: [{ args: [T.oid], result: T.text, strict: true, impl: () => null }],
  pg_get_function_arguments: [{ args: [T.oid], result: T.text, strict: true, impl: () => null }],
  pg_get_function_identity_arguments: [{ args: [T.oid], result: T.text, strict: true, impl: () => null }],
  pg_get_triggerdef: [{ args: [T.oid], result: T.text, strict: true, impl: () => null }, { args: [T.oid, T.bool], result: T.text, strict: true, impl: () => null }],
  pg_get_ruledef: [{ args: [T.oid], result: T.text, strict: true, impl: () => null }, { args: [T.oid, T.bool], result: T.text, strict: true, impl: () => null }],
  pg_get_statisticsobjdef_columns: [{ args: [T.oid], result: T.text, strict: true, impl: () => null }],
  pg_get_partkeydef: [{ args: [T.oid], result: T.text, strict: true, impl: () => null }],
  pg_get_partition_constraintdef: [{ args: [T.oid], result: T.text, strict: true, impl: () => null }],
  pg_relation_is_publishable: [{ args: [T.oid], result: T.bool, strict: true, impl: () => false }, { args: [T.text], result: T.bool, strict: true, impl: () => false }],
  pg_partition_ancestors: [{ args: [T.oid], result: T.oid, set: true, strict: true, impl: ([relation]) => [relation] }],
  pg_partition_root: [{ args: [T.oid], result: T.oid, strict: true, impl: ([relation]) => relation }],
  current_database: [{ args: [], result: T.name, strict: false, impl: (_a, _t, c) => c.functions.session.database }],
  pg_backend_pid: [{ args: [], result: T.int4, strict: false, impl: (_a, _t, c) => c.functions.session.processId }],
  version: [{ args: [], result: T.text, strict: false, impl: () => `PostgreSQL ${serverVersionText} (Cambium) on x86_64-pc-linux-gnu, compiled by Node.js ${process.versions.node}, 64-bit` }],
  pg_size_pretty: [{ args: [T.int8], result: T.text, strict: true, impl: ([size]) => sizePretty(size as bigint) }],
  pg_tablespace_location: [{ args: [T.oid], result: T.text, strict: true, impl: () => '' }],
};

function arrayToString(array: PgArrayValue, separator: string, nullText: string | null, arrayType: number): string {
  const element = getType(arrayType).element!;
  const settings = { dateStyle: 'ISO, MDY', timeZone: 'UTC', intervalStyle: 'postgres', extraFloatDigits: 1, byteaOutput: 'hex' as const };
  const parts: string[] = [];
  for (const value of array.elements) {
    if (value === null) {
      if (nullText !== null) parts.push(nullText);
      continue;
    }
    parts.push(element.formatText(value, settings));
  }
  return parts.join(separator);
}

function isArray(oid: number): boolean {
  try {
    return getType(oid).element !== undefined;
  } catch {
    return false;
  }
}

export function fallbackFunction(name: string, args: Expr[], binder: ExprBinder, position: number | undefined): Expr | undefined {
  const candidates = definitions[name];
  if (!candidates) return undefined;
  for (const signature of candidates) {
    if (signature.args.length !== args.length) continue;
    const ok = signature.args.every((declared, i) => {
      const actual = args[i]!.type;
      if (declared === 'array') return isArray(actual);
      if (declared === 'any') return true;
      if (actual === declared || actual === UNKNOWN) return true;
      return (declared === T.int8 && (actual === T.int4 || actual === T.int2)) || (declared === T.text && (actual === T.name || actual === T.varchar)) || (declared === T.oid && actual === T.int4);
    });
    if (!ok) continue;
    // Integer series: int4 only when every argument is int4 (or an untyped literal).
    if (name === 'generate_series' && signature.args[0] === T.int4 && args.some((arg) => arg.type === T.int8)) continue;
    const coerced = args.map((arg, i) => {
      const declared = signature.args[i]!;
      if (declared === 'array') return arg;
      if (declared === 'any') {
        const element = isArray(args[0]!.type) ? getType(args[0]!.type).element!.oid : arg.type;
        return binder.coerce(arg, element, -1, 'implicit', undefined, position);
      }
      return binder.coerce(arg, declared, -1, 'implicit', undefined, position);
    });
    const argTypes = coerced.map((arg) => arg.type);
    const result = signature.result === 'element' ? getType(argTypes[0]!).element!.oid : signature.result === 'same' ? argTypes[0]! : signature.result;
    const impl = signature.impl;
    return {
      kind: 'call', name, args: coerced, strict: signature.strict ?? true, volatile: false, type: result, typmod: -1,
      returnsSet: signature.set === true, impl: (values, context) => impl(values, argTypes, context),
    };
  }
  return undefined;
}

/** PostgreSQL 15's pg_size_pretty(bigint): bytes below 10 kB, then half-rounded kB/MB/GB/TB. */
function sizePretty(size: bigint): string {
  const limit = 10n * 1024n;
  const limit2 = limit * 2n - 1n;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const halfRounded = (x: bigint) => (x + (x < 0n ? -1n : 1n)) / 2n;
  if (abs(size) < limit) return `${size} bytes`;
  let value = size >> 9n;
  for (const unit of ['kB', 'MB', 'GB', 'TB']) {
    if (abs(value) < limit2 || unit === 'TB') return `${halfRounded(value)} ${unit}`;
    value >>= 10n;
  }
  return `${halfRounded(value)} PB`;
}
