// Differential checking of built-in functions against PostgreSQL 15: each case runs as
// `SELECT f($1::t1, …)` on the oracle (values read as text) and as impl(parseText(args)) → formatText here.
import pg from 'pg';
import { defaultFormatSettings, type FormatSettings } from '../../src/types/api.js';
import { typeByOid } from '../../src/types/registry.js';
import { SqlError } from '../../src/util/errors.js';
import {
  aggregateCandidates,
  functionCandidates,
  operatorCandidates,
  PseudoType,
  type BuiltinFunction,
  type FunctionContext,
} from '../../src/types/functions/api.js';
import '../../src/types/index.js';
import type { OrderedSetAccumulator } from '../../src/types/functions/aggregates-api.js';
import '../../src/types/functions/index.js';
import { sharedPostgres } from '../harness/postgres.js';

export type Outcome =
  | { value: string | null }
  | { rows: (string | null)[] }
  | { records: (string | null)[][] }
  | { error: { code: string; message: string } };

/** One argument: its type OID and text (null = SQL NULL). */
export interface Argument {
  type: number;
  text: string | null;
}

export const arg = (type: number, text: string | null): Argument => ({ type, text });

let client: pg.Client | undefined;

/** Every value arrives as PostgreSQL's own text output (no driver parsing). */
const rawText = { getTypeParser: () => (value: string) => value };

/** A connection to the run's shared PostgreSQL (stopped by the root mocha hook). */
export async function oracle(): Promise<pg.Client> {
  if (client) return client;
  const server = await sharedPostgres();
  const connection = new pg.Client({ host: server.host, port: server.port, user: server.user, database: server.database });
  await connection.connect();
  // Same settings as Cambium's defaults.
  await connection.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1");
  client = connection;
  return connection;
}

export async function closeOracle(): Promise<void> {
  await client?.end();
  client = undefined;
}

export function sqlTypeName(oid: number): string {
  const type = typeByOid(oid);
  if (!type) throw new Error(`no type ${oid}`);
  return type.element ? `${sqlTypeName(type.element.oid)}[]` : type.name === 'char' ? '"char"' : type.name;
}

async function runOnOracle(sql: string, params: (string | null)[], set: boolean, records = false): Promise<Outcome> {
  const connection = await oracle();
  try {
    const result = await connection.query({ text: sql, values: params, rowMode: 'array', types: rawText });
    if (records) return { records: result.rows as (string | null)[][] };
    const values = result.rows.map((row: unknown[]) => row[0] as string | null);
    return set ? { rows: values } : { value: values[0] ?? null };
  } catch (error) {
    const e = error as { code?: string; message: string };
    return { error: { code: e.code ?? '?', message: e.message } };
  }
}

let sessionTimeZone = 'UTC';

/** Sets TimeZone on the oracle session and for local evaluation alike. */
export async function setTimeZone(zone: string): Promise<void> {
  await (await oracle()).query(`SET TimeZone = '${zone}'`);
  sessionTimeZone = zone;
}

export function testContext(settings: FormatSettings = { ...defaultFormatSettings, timeZone: sessionTimeZone }): FunctionContext {
  const now = BigInt(Date.now() - Date.UTC(2000, 0, 1)) * 1000n;
  return {
    settings,
    transactionTimestamp: now,
    statementTimestamp: now,
    session: { user: 'postgres', database: 'postgres', processId: 4242, searchPath: ['public'], getSetting: () => undefined },
  };
}

/** Whether an actual type fits a declared one (pseudo-types by their array/non-array rule). */
function fits(declared: number, actual: number): boolean {
  if (declared === actual || declared === PseudoType.any) return true;
  const isArray = typeByOid(actual)?.element !== undefined;
  if (declared === PseudoType.anyarray || declared === PseudoType.anycompatiblearray) return isArray;
  if (declared === PseudoType.anynonarray) return !isArray;
  return declared === PseudoType.anyelement || declared === PseudoType.anycompatible;
}

/** Picks the overload whose declared types equal the given ones (pseudo-types match anything). */
function pickFunction(name: string, types: readonly number[]): BuiltinFunction {
  const candidates = functionCandidates(name);
  const exact = candidates.find((fn) => fn.variadic === undefined && fn.argTypes.length === types.length && fn.argTypes.every((t, i) => t === types[i]));
  if (exact) return exact;
  const loose = candidates.find((fn) => {
    if (fn.variadic !== undefined) return types.length >= fn.argTypes.length - 1;
    return fn.argTypes.length === types.length && fn.argTypes.every((t, i) => fits(t, types[i]!));
  });
  if (!loose) throw new Error(`no overload ${name}(${types.join(',')})`);
  return loose;
}

function failure(error: unknown): Outcome {
  if (error instanceof SqlError) return { error: { code: String(error.code), message: error.message } };
  throw error;
}

function formatResult(value: unknown, typeOid: number, settings: FormatSettings): string | null {
  if (value === null) return null;
  const type = typeByOid(typeOid);
  if (!type) throw new Error(`no type ${typeOid} for result`);
  return type.formatText(value, settings);
}

function parseArguments(args: readonly Argument[], settings: FormatSettings): unknown[] {
  return args.map((a) => (a.text === null ? null : typeByOid(a.type)!.parseText(a.text, -1, settings)));
}

export function evaluateLocally(name: string, args: readonly Argument[], context = testContext()): Outcome {
  const types = args.map((a) => a.type);
  const fn = pickFunction(name, types);
  try {
    const values = parseArguments(args, context.settings);
    const returnType = typeof fn.returnType === 'function' ? fn.returnType(types) : fn.returnType;
    if (fn.strict && values.some((v) => v === null)) return fn.outColumns ? { records: [] } : fn.returnsSet ? { rows: [] } : { value: null };
    const result = fn.impl(values, context, types);
    if (fn.outColumns) {
      const columns = fn.outColumns;
      return { records: Array.from(result as Iterable<unknown[]>, (row) => row.map((v, i) => formatResult(v, columns[i]!.type, context.settings))) };
    }
    if (fn.returnsSet) {
      return { rows: Array.from(result as Iterable<unknown>, (v) => formatResult(v, returnType, context.settings)) };
    }
    return { value: formatResult(result, returnType, context.settings) };
  } catch (error) {
    return failure(error);
  }
}

export function evaluateOperatorLocally(name: string, left: Argument, right: Argument, context = testContext()): Outcome {
  const candidates = operatorCandidates(name);
  const op =
    candidates.find((o) => o.left === left.type && o.right === right.type) ?? candidates.find((o) => fits(o.left, left.type) && fits(o.right, right.type));
  if (!op) throw new Error(`no operator ${name}(${left.type},${right.type})`);
  try {
    const [l, r] = parseArguments([left, right], context.settings);
    if (l === null || r === null) return { value: null };
    const resultType = typeof op.result === 'function' ? op.result(left.type, right.type) : op.result;
    return { value: formatResult(op.impl(l, r, context), resultType, context.settings) };
  } catch (error) {
    return failure(error);
  }
}

export interface Mismatch {
  sql: string;
  params: (string | null)[];
  expected: Outcome;
  actual: Outcome;
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function placeholders(args: readonly Argument[]): string {
  return args.map((a, i) => `$${i + 1}::${sqlTypeName(a.type)}`).join(', ');
}

/** Whether two float8 texts are the same double or at most 4 ulps apart. */
function withinFewUlps(a: Outcome, b: Outcome): boolean {
  if (!('value' in a) || !('value' in b) || a.value === null || b.value === null) return false;
  const x = Number(a.value);
  const y = Number(b.value);
  if (!Number.isFinite(x) || !Number.isFinite(y) || Math.sign(x) !== Math.sign(y)) return false;
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, Math.abs(x));
  view.setFloat64(8, Math.abs(y));
  const distance = view.getBigUint64(0) - view.getBigUint64(8);
  return distance >= -4n && distance <= 4n;
}

export async function compareFunction(
  name: string,
  args: readonly Argument[],
  options: { set?: boolean; allowFewUlps?: boolean; records?: boolean } = {},
): Promise<Mismatch | undefined> {
  const params = args.map((a) => a.text);
  if (options.records) {
    const sql = `SELECT * FROM pg_catalog.${name}(${placeholders(args)})`;
    const expected = await runOnOracle(sql, params, true, true);
    const actual = evaluateLocally(name, args);
    return sameOutcome(expected, actual) ? undefined : { sql, params, expected, actual };
  }
  const sql = options.set ? `SELECT x FROM pg_catalog.${name}(${placeholders(args)}) AS x` : `SELECT pg_catalog.${name}(${placeholders(args)})`;
  const expected = await runOnOracle(sql, params, options.set ?? false);
  const actual = evaluateLocally(name, args);
  if (sameOutcome(expected, actual) || (options.allowFewUlps && withinFewUlps(expected, actual))) return undefined;
  return { sql, params, expected, actual };
}

export async function compareOperator(name: string, left: Argument, right: Argument): Promise<Mismatch | undefined> {
  const params = [left.text, right.text];
  const sql = `SELECT $1::${sqlTypeName(left.type)} OPERATOR(pg_catalog.${name}) $2::${sqlTypeName(right.type)}`;
  const expected = await runOnOracle(sql, params, false);
  const actual = evaluateOperatorLocally(name, left, right);
  return sameOutcome(expected, actual) ? undefined : { sql, params, expected, actual };
}

/** Every combination of the given argument lists (the test matrix). */
export function product<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((item) => [...prefix, item])), [[]]);
}

export function describeMismatches(mismatches: readonly Mismatch[], limit = 10): string {
  return mismatches
    .slice(0, limit)
    .map((m) => `${m.sql} ${JSON.stringify(m.params)}\n  postgres: ${JSON.stringify(m.expected)}\n  cambium:  ${JSON.stringify(m.actual)}`)
    .join('\n');
}

/** Runs `SELECT name(c1, …) FROM (VALUES …) v(c1, …)` on both sides; rows hold argument texts. */
export async function compareAggregate(name: string, argTypes: readonly number[], rows: readonly (string | null)[][], options: { star?: boolean } = {}): Promise<Mismatch | undefined> {
  const columns = argTypes.map((_t, i) => `c${i + 1}`);
  const params: (string | null)[] = [];
  const tuples = (rows.length === 0 ? [argTypes.map(() => null)] : rows).map(
    (row) => `(${argTypes.map((t, i) => (params.push(row[i] ?? null), `$${params.length}::${sqlTypeName(t)}`)).join(', ')})`,
  );
  const call = options.star ? `${name}(*)` : `${name}(${columns.join(', ')})`;
  const sql = `SELECT ${call} FROM (VALUES ${tuples.join(', ')}) AS v(${columns.join(', ')})${rows.length === 0 ? ' WHERE false' : ''}`;
  const expected = await runOnOracle(sql, params, false);
  const actual = evaluateAggregateLocally(name, options.star ? [] : argTypes, rows);
  return sameOutcome(expected, actual) ? undefined : { sql, params, expected, actual };
}

export function evaluateAggregateLocally(name: string, argTypes: readonly number[], rows: readonly (string | null)[][], context = testContext()): Outcome {
  const aggregate = aggregateCandidates(name).find(
    (a) => a.argTypes.length === argTypes.length && a.argTypes.every((t, i) => fits(t, argTypes[i]!)),
  );
  if (!aggregate) throw new Error(`no aggregate ${name}(${argTypes.join(',')})`);
  try {
    const accumulator = aggregate.create(argTypes, context);
    for (const row of rows) {
      const values = parseArguments(argTypes.map((type, i) => ({ type, text: row[i] ?? null })), context.settings);
      if (aggregate.strict && values.some((v) => v === null)) continue;
      accumulator.add(values);
    }
    const returnType = typeof aggregate.returnType === 'function' ? aggregate.returnType(argTypes) : aggregate.returnType;
    return { value: formatResult(accumulator.result(), returnType, context.settings) };
  } catch (error) {
    return failure(error);
  }
}

/** `agg(direct) WITHIN GROUP (ORDER BY c1)`: locally the values are sorted and fed as the executor must. */
export async function compareOrderedSet(name: string, direct: Argument | undefined, valueType: number, values: (string | null)[]): Promise<Mismatch | undefined> {
  const params: (string | null)[] = [];
  let directSql = '';
  if (direct) {
    params.push(direct.text);
    directSql = `$1::${sqlTypeName(direct.type)}`;
  }
  const tuples = (values.length === 0 ? [null] : values).map((v) => (params.push(v), `($${params.length}::${sqlTypeName(valueType)})`));
  const sql = `SELECT ${name}(${directSql}) WITHIN GROUP (ORDER BY c1) FROM (VALUES ${tuples.join(', ')}) AS v(c1)${values.length === 0 ? ' WHERE false' : ''}`;
  const expected = await runOnOracle(sql, params, false);
  const context = testContext();
  const argTypes = direct ? [direct.type, valueType] : [valueType];
  let actual: Outcome;
  try {
    const aggregate = aggregateCandidates(name).find((a) => a.argTypes.length === argTypes.length && a.argTypes.every((t, i) => fits(t, argTypes[i]!)));
    if (!aggregate) throw new Error(`no ordered-set aggregate ${name}`);
    const type = typeByOid(valueType)!;
    const directValue = direct ? parseArguments([direct], context.settings)[0] : undefined;
    const sorted = values
      .filter((v): v is string => v !== null)
      .map((v) => type.parseText(v, -1, context.settings))
      .sort((a, b) => type.compare(a, b));
    const accumulator = aggregate.create(argTypes, context) as OrderedSetAccumulator;
    accumulator.setDirectArguments(direct ? [directValue] : []);
    for (const value of sorted) accumulator.add(direct ? [directValue, value] : [value]);
    const returnType = typeof aggregate.returnType === 'function' ? aggregate.returnType(argTypes) : aggregate.returnType;
    actual = { value: formatResult(accumulator.result(), returnType, context.settings) };
  } catch (error) {
    actual = failure(error);
  }
  return sameOutcome(expected, actual) ? undefined : { sql, params, expected, actual };
}
