// Plan nodes: plain data built by the planner, executed by src/exec (one file per node kind).
// Every node produces rows (arrays of values) with the columns it lists.
import type { IndexObject, TableObject } from '../catalog/index.js';
import type { Expr, Row } from './expr.js';
import type { AggregateCall } from './aggregates.js';
import type { WindowCall } from './window.js';

export interface OutputColumn {
  name: string;
  type: number;
  typmod: number;
  /** Source table and column for RowDescription (0 when computed). */
  tableOid: number;
  attnum: number;
}

/** A bound on one key column of an index scan. */
export interface KeyBound {
  expr: Expr;
  inclusive: boolean;
}

/** An index (or primary-key) access path: equality on a prefix, then an optional range. */
export interface IndexAccess {
  /** null: the table's own tree (primary key or hidden row id). */
  index: IndexObject | null;
  /** Equality values for the first key columns; each entry a list (IN-list) or a single value. */
  equality: Expr[][];
  lower?: KeyBound;
  upper?: KeyBound;
  reverse: boolean;
}

export interface VirtualRelationSource {
  /** Computes the rows when the scan opens. */
  rows(context: unknown): Iterable<Row>;
}

export type PlanNode =
  | { kind: 'result'; columns: OutputColumn[]; exprs: Expr[] }
  | { kind: 'values'; columns: OutputColumn[]; rows: Expr[][] }
  /** With `emitKey`, each row ends with the stored key (Uint8Array) after the live columns (DML targets). */
  | {
      kind: 'tableScan'; columns: OutputColumn[]; table: TableObject; access: IndexAccess | null; filter: Expr | null; emitKey?: boolean;
      /** Set by pruneColumns: only these scan-row positions are read above (others stay NULL). */
      neededColumns?: number[];
    }
  | { kind: 'virtualScan'; columns: OutputColumn[]; name: string; source: VirtualRelationSource; filter: Expr | null }
  | { kind: 'functionScan'; columns: OutputColumn[]; call: Expr; ordinality: boolean; expandRecord: boolean }
  | { kind: 'filter'; columns: OutputColumn[]; input: PlanNode; predicate: Expr }
  | { kind: 'project'; columns: OutputColumn[]; input: PlanNode; exprs: Expr[] }
  /** A projection whose top-level set-returning calls expand each input row (PostgreSQL's ProjectSet). */
  | { kind: 'projectSet'; columns: OutputColumn[]; input: PlanNode; exprs: Expr[] }
  | { kind: 'sort'; columns: OutputColumn[]; input: PlanNode; keys: SortKey[]; limit?: Expr }
  /** withTies (FETCH … WITH TIES, see limit.ts): the ORDER BY keys whose ties past the limit are kept too. */
  | { kind: 'limit'; columns: OutputColumn[]; input: PlanNode; limit: Expr | null; offset: Expr | null; withTies?: SortKey[] }
  /** With groupingSets (grouping-sets.ts): one aggregation per set, a last int4 column holds the grouping id. */
  | { kind: 'aggregate'; columns: OutputColumn[]; input: PlanNode; groupBy: Expr[]; aggregates: AggregateCall[]; groupingSets?: number[][] }
  | { kind: 'distinct'; columns: OutputColumn[]; input: PlanNode; on: Expr[] | null }
  /**
   * SELECT … FOR UPDATE/SHARE on one table: the input rows end with the row key; the executor
   * locks each row (waiting, NOWAIT or SKIP LOCKED) and drops the key column.
   */
  | { kind: 'lockRows'; columns: OutputColumn[]; input: PlanNode; table: TableObject; mode: 'update' | 'no key update' | 'share' | 'key share'; wait: 'wait' | 'nowait' | 'skip locked' }
  /** Appends one column per window call to each input row (window.ts: frames, named windows). */
  | { kind: 'window'; columns: OutputColumn[]; input: PlanNode; calls: WindowCall[] }
  | {
      kind: 'join';
      columns: OutputColumn[];
      joinType: 'inner' | 'left' | 'right' | 'full' | 'cross' | 'semi' | 'anti';
      left: PlanNode;
      right: PlanNode;
      /** Evaluated on the joined row (left columns then right columns). */
      condition: Expr | null;
      /** The right side depends on the left row (LATERAL): re-opened per left row. */
      lateral: boolean;
      /** Hash join keys (left expr over left row, right expr over right row), when chosen. */
      hashKeys: Array<{ left: Expr; right: Expr }> | null;
    }
  | { kind: 'setOp'; columns: OutputColumn[]; op: 'union' | 'intersect' | 'except'; all: boolean; left: PlanNode; right: PlanNode }
  /** Computes rows from a sub-plan once and replays them (CTEs referenced several times). */
  | { kind: 'materialize'; columns: OutputColumn[]; input: PlanNode }
  /** WITH RECURSIVE (see recursive.ts): the non-recursive rows, then iterations of the recursive term over a work table. */
  | { kind: 'recursiveUnion'; columns: OutputColumn[]; nonRecursive: PlanNode; recursive: PlanNode; all: boolean; workTableId: number }
  /** The rows of the previous iteration of the recursive union with this id. */
  | { kind: 'workTableScan'; columns: OutputColumn[]; workTableId: number; name: string };

export interface SortKey {
  expr: Expr;
  descending: boolean;
  nullsFirst: boolean;
  compare: (a: unknown, b: unknown) => number;
}

export type PlanNodeKind = PlanNode['kind'];
