// Built-in functions and operators, registered by the files of src/types/functions/ and
// src/types/operators* and resolved by the binder (src/plan) with PostgreSQL's rules
// (exact match, then implicit casts, preferred types, unknown literals; see PostgreSQL docs
// "Type Conversion: Functions" and "Operators").
import type { FormatSettings, Value } from '../api.js';

/** Pseudo-type OIDs as in pg_type, for polymorphic signatures. */
export const PseudoType = {
  any: 2276,
  anyelement: 2283,
  anyarray: 2277,
  anynonarray: 2776,
  anycompatible: 5077,
  anycompatiblearray: 5078,
  record: 2249,
  void: 2278,
  unknown: 705,
} as const;

/** What a function may read besides its arguments. */
export interface FunctionContext {
  settings: FormatSettings;
  /** now()/CURRENT_TIMESTAMP: the transaction's start, microseconds since 2000-01-01 UTC. */
  transactionTimestamp: bigint;
  statementTimestamp: bigint;
  /** Session facts for current_user, current_database(), pg_backend_pid(), … */
  session: {
    user: string;
    database: string;
    processId: number;
    searchPath: string[];
    getSetting(name: string): string | undefined;
    /**
     * Per-session state of functions (added by the functions engineer): setseed()/random()
     * keep their generator here. The session creates one Map and passes it on every call;
     * when absent, functions fall back to process-wide state.
     */
    functionState?: Map<string, unknown>;
  };
}

export type Volatility = 'immutable' | 'stable' | 'volatile';

export interface BuiltinFunction {
  /** Lower-case name as in pg_proc.proname. */
  readonly name: string;
  /** Declared argument type OIDs (pseudo-types allowed). */
  readonly argTypes: readonly number[];
  /** When set, the last argument is VARIADIC of this element type OID (or PseudoType.any). */
  readonly variadic?: number;
  /** Result type OID, or computed from the resolved argument types (polymorphic functions). */
  readonly returnType: number | ((argTypes: readonly number[]) => number);
  /** NULL in any argument → NULL out, without calling impl. */
  readonly strict: boolean;
  readonly volatility: Volatility;
  /** For set-returning functions impl returns an Iterable of values (rows for record results). */
  readonly returnsSet?: boolean;
  /**
   * Added by the functions engineer: the columns of a function returning `record` (jsonb_each:
   * key text, value jsonb). Each value impl yields is then an array with one entry per column.
   */
  readonly outColumns?: readonly { name: string; type: number }[];
  /**
   * Added by the functions engineer: pg_proc.proargnames and the defaults of the trailing
   * parameters, for calls with named arguments (make_interval(days => 3)). Until the binder
   * maps names, positional overloads with fewer arguments are registered as well.
   */
  readonly argNames?: readonly string[];
  readonly argDefaults?: readonly Value[];
  /** pg_proc.oid, so pg_catalog can show it (0 when unassigned). */
  readonly oid?: number;
  impl(args: Value[], context: FunctionContext, argTypes: readonly number[]): Value;
}

export interface BuiltinOperator {
  /** '+', '=', '~~', '@>', … */
  readonly name: string;
  /** Left operand type OID; 0 for a prefix operator. */
  readonly left: number;
  readonly right: number;
  readonly result: number | ((left: number, right: number) => number);
  /**
   * argTypes (additive extension, as BuiltinFunction.impl has): the resolved operand type OIDs
   * (left is 0 for prefix operators). Polymorphic operators (text || anynonarray, anyarray
   * comparisons) need them; callers should always pass them.
   */
  readonly impl: (left: Value, right: Value, context: FunctionContext, argTypes?: readonly [number, number]) => Value;
  /** Most operators are strict; IS DISTINCT FROM style ones are handled by the binder. */
  readonly strict?: boolean;
  readonly oid?: number;
}

const functions = new Map<string, BuiltinFunction[]>();
const operators = new Map<string, BuiltinOperator[]>();

export function registerFunction(fn: BuiltinFunction): void {
  const list = functions.get(fn.name) ?? [];
  list.push(fn);
  functions.set(fn.name, list);
}

export function registerOperator(op: BuiltinOperator): void {
  const list = operators.get(op.name) ?? [];
  list.push(op);
  operators.set(op.name, list);
}

/** Every overload of a function name (lower-case). */
export function functionCandidates(name: string): readonly BuiltinFunction[] {
  return functions.get(name) ?? [];
}

export function operatorCandidates(name: string): readonly BuiltinOperator[] {
  return operators.get(name) ?? [];
}

export function allFunctions(): IterableIterator<BuiltinFunction[]> {
  return functions.values();
}

// --- Aggregates (added by the SQL engineer; the executor drives them, the functions layer
// registers count/sum/avg/min/max/… with PostgreSQL's result types).

/** One group's running state. */
export interface AggregateAccumulator {
  /** One input row's arguments (already NULL-filtered when the aggregate is strict). */
  add(args: Value[]): void;
  /** The final value for the group (called once). */
  result(): Value;
}

export interface BuiltinAggregate {
  /** Lower-case name as in pg_proc.proname. */
  readonly name: string;
  /** Declared argument type OIDs (pseudo-types allowed); [] for count(*). */
  readonly argTypes: readonly number[];
  readonly returnType: number | ((argTypes: readonly number[]) => number);
  /** Rows with a NULL argument are skipped (PostgreSQL's strict transition functions). */
  readonly strict: boolean;
  readonly oid?: number;
  create(argTypes: readonly number[], context: FunctionContext): AggregateAccumulator;
}

const aggregates = new Map<string, BuiltinAggregate[]>();

export function registerAggregate(aggregate: BuiltinAggregate): void {
  const list = aggregates.get(aggregate.name) ?? [];
  list.push(aggregate);
  aggregates.set(aggregate.name, list);
}

export function aggregateCandidates(name: string): readonly BuiltinAggregate[] {
  return aggregates.get(name) ?? [];
}
