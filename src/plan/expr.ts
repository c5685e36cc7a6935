// Bound (typed) expressions: what the binder produces and the executor compiles to closures.
import type { Value } from '../types/api.js';
import type { FunctionContext } from '../types/functions/api.js';
import type { PlanNode } from './nodes.js';

export type Row = Value[];

interface Typed {
  /** Result type OID. */
  type: number;
  typmod: number;
}

export type Expr =
  | (Typed & { kind: 'const'; value: Value })
  | (Typed & { kind: 'param'; index: number })
  /** A column of the current input row. */
  | (Typed & { kind: 'column'; index: number; name: string })
  /** A column of an enclosing query's row (correlated subquery, LATERAL): `levels` ≥ 1. */
  | (Typed & { kind: 'outerColumn'; levels: number; index: number; name: string })
  | (Typed & {
      kind: 'call';
      name: string;
      args: Expr[];
      strict: boolean;
      volatile: boolean;
      impl: (args: Value[], context: RuntimeContext) => Value;
      /** Set-returning function (only valid where the planner expects one). */
      returnsSet?: boolean;
      /** Built from an operator (deparsed infix). */
      operator?: boolean;
    })
  | (Typed & { kind: 'cast'; arg: Expr; convert: (value: Value, context: RuntimeContext) => Value })
  | (Typed & { kind: 'and' | 'or'; args: Expr[] })
  | (Typed & { kind: 'not'; arg: Expr })
  | (Typed & { kind: 'isNull'; arg: Expr; negated: boolean })
  | (Typed & { kind: 'boolTest'; arg: Expr; test: 'true' | 'false' | 'unknown'; negated: boolean })
  | (Typed & { kind: 'case'; whens: Array<{ condition: Expr; result: Expr }>; otherwise: Expr })
  | (Typed & { kind: 'coalesce'; args: Expr[] })
  | (Typed & { kind: 'greatestLeast'; args: Expr[]; greatest: boolean; compare: (a: Value, b: Value) => number })
  /** x IN (list) / x = ANY(list); `equals` is the resolved = operator. */
  | (Typed & { kind: 'inList'; arg: Expr; list: Expr[]; negated: boolean; equals: (a: Value, b: Value, context: RuntimeContext) => Value })
  | (Typed & { kind: 'distinctFrom'; left: Expr; right: Expr; negated: boolean; equals: (a: Value, b: Value, context: RuntimeContext) => Value })
  | (Typed & {
      kind: 'subquery';
      mode: 'scalar' | 'exists' | 'any' | 'all' | 'array';
      plan: PlanNode;
      /** For any/all: the left operand and the comparison (left, subquery column) → bool. */
      testArg?: Expr;
      compare?: (a: Value, b: Value, context: RuntimeContext) => Value;
      /** Row comparison (row-sublink.ts): `compare` receives the whole subquery row, not its first column. */
      rowCompare?: boolean;
    })
  | (Typed & { kind: 'array'; elements: Expr[]; elementType: number })
  | (Typed & { kind: 'row'; fields: Expr[] })
  /** Reads field `index` of a composite (row) value. */
  | (Typed & { kind: 'field'; arg: Expr; index: number })
  /** The i-th aggregate of the enclosing aggregation (rewritten to a column after GROUP BY binding). */
  | (Typed & { kind: 'aggRef'; index: number })
  /** The i-th window function call of the query (rewritten to a column of the window node; see window.ts). */
  | (Typed & { kind: 'windowRef'; index: number });

export interface RuntimeContext {
  readonly params: readonly Value[];
  /** Rows of enclosing queries, innermost last (for outerColumn). */
  readonly outerRows: Row[];
  readonly functions: FunctionContext;
  /** Opens a sub-plan (subqueries): provided by the executor. */
  runSubplan(plan: PlanNode, outerRow: Row): Iterable<Row>;
  /** Set by the session: throws 57014 when the statement was cancelled. */
  checkCancel(): void;
  /** Catalog-aware and session-aware services (sequences, settings, catalog lookups). */
  readonly services: SessionServices;
}

/** What functions that need more than their arguments can reach at run time. */
export interface SessionServices {
  /** Extension (issue 9): pg_export_snapshot(): an id SET TRANSACTION SNAPSHOT accepts. */
  exportSnapshot?(): string;
  nextval(sequenceOid: number): bigint;
  currval(sequenceOid: number): bigint;
  setval(sequenceOid: number, value: bigint, isCalled: boolean): bigint;
  lastval(): bigint;
  getSetting(name: string, missingOk: boolean): string | null;
  setSetting(name: string, value: string, isLocal: boolean): string;
  transactionId(): number;
  /** Resolves a relation name (possibly qualified) through the search path. */
  relationOid(name: string, missingOk: boolean): number | null;
  catalog(): import('../catalog/index.js').Catalog;
  databaseOid: number;
  searchPathOids(): number[];
  /** Every setting as [name, value] (pg_settings, SHOW ALL). */
  settingEntries(): Array<[string, string]>;
  /** A sequence's [last_value, is_called] (SELECT * FROM a sequence). */
  sequenceState(sequenceOid: number): [bigint, boolean];
  /** pg_type.typname of a type OID. */
  typeName(typeOid: number): string;
}

export function isConst(expr: Expr): expr is Extract<Expr, { kind: 'const' }> {
  return expr.kind === 'const';
}

export function constExpr(value: Value, type: number, typmod = -1): Expr {
  return { kind: 'const', value, type, typmod };
}
