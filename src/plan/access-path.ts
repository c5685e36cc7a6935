// Index selection for one table: equality (and IN-lists) on a key prefix, then a range on the
// next key column; the primary key is the table's own tree. Predicates stay as filters unless
// the key lookup makes them redundant (plain equality).
import type { Catalog, IndexObject, TableObject } from '../catalog/index.js';
import type { Expr } from './expr.js';
import { referencedColumns } from './expr-utils.js';
import type { IndexAccess, KeyBound } from './nodes.js';

interface ColumnPredicate {
  conjunct: Expr;
  /** Position of the column among the table's live columns (scan row index). */
  column: number;
  op: '=' | '<' | '<=' | '>' | '>=' | 'in';
  values: Expr[];
}

const flipped: Record<string, ColumnPredicate['op']> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Expressions that do not depend on the scanned row (constants, parameters, outer rows). */
function independentOfRow(expr: Expr): boolean {
  return referencedColumns(expr).size === 0;
}

function analyze(conjunct: Expr): ColumnPredicate | undefined {
  if (conjunct.kind === 'call' && conjunct.args.length === 2 && flipped[conjunct.name] !== undefined) {
    const [left, right] = conjunct.args as [Expr, Expr];
    if (left.kind === 'column' && right.type === left.type && independentOfRow(right)) {
      return { conjunct, column: left.index, op: conjunct.name as ColumnPredicate['op'], values: [right] };
    }
    if (right.kind === 'column' && left.type === right.type && independentOfRow(left)) {
      return { conjunct, column: right.index, op: flipped[conjunct.name]!, values: [left] };
    }
  }
  if (conjunct.kind === 'inList' && !conjunct.negated && conjunct.arg.kind === 'column'
    && conjunct.list.every((item) => item.type === conjunct.arg.type && independentOfRow(item))) {
    return { conjunct, column: conjunct.arg.index, op: 'in', values: conjunct.list };
  }
  return undefined;
}

export interface AccessChoice {
  access: IndexAccess | null;
  /** Conjuncts still to check per row. */
  remaining: Expr[];
  /** True when rows come out in the order of `orderColumns` (for ORDER BY elimination). */
  orderedBy: number[];
}

/**
 * `scanColumnOf(attnum)` maps a table attnum to its index in the scan row.
 * `wantedOrder` (scan row indices, ascending or descending) lets an index serve ORDER BY.
 */
export function chooseAccess(
  catalog: Catalog,
  table: TableObject,
  conjuncts: Expr[],
  scanColumnOf: (attnum: number) => number,
  wantedOrder: { columns: number[]; descending: boolean } | null,
): AccessChoice {
  const predicates = conjuncts.map(analyze);
  const paths: Array<{ index: IndexObject | null; columns: number[] }> = [];
  if (table.primaryKey.length > 0) paths.push({ index: null, columns: table.primaryKey.map(scanColumnOf) });
  for (const index of catalog.indexesOf(table.oid)) {
    if (index.primary || index.treeId === 0) continue;
    paths.push({ index, columns: index.columns.map(scanColumnOf) });
  }
  let best: { score: number; choice: AccessChoice } | undefined;
  for (const path of paths) {
    const used = new Set<Expr>();
    const equality: Expr[][] = [];
    let lower: KeyBound | undefined;
    let upper: KeyBound | undefined;
    let exact = true;
    for (const column of path.columns) {
      const eq = predicates.find((p) => p && p.column === column && (p.op === '=' || p.op === 'in'));
      if (eq) {
        equality.push(eq.values);
        used.add(eq.conjunct);
        continue;
      }
      for (const p of predicates) {
        if (!p || p.column !== column) continue;
        if ((p.op === '>' || p.op === '>=') && !lower) lower = { expr: p.values[0]!, inclusive: p.op === '>=' };
        if ((p.op === '<' || p.op === '<=') && !upper) upper = { expr: p.values[0]!, inclusive: p.op === '<=' };
      }
      exact = false;
      break;
    }
    const fullKey = equality.length === path.columns.length;
    let score = equality.length * 10 + (lower ? 3 : 0) + (upper ? 3 : 0) + (fullKey && (path.index === null || path.index.unique) ? 100 : 0);
    if (path.index === null) score += 1; // the table tree avoids a second lookup
    // ORDER BY served by this path: the wanted columns follow the equality prefix.
    let orderedBy: number[] = [];
    let reverse = false;
    if (wantedOrder) {
      const rest = path.columns.slice(equality.length);
      const matches = wantedOrder.columns.every((column, i) => rest[i] === column || (equality.length > 0 && path.columns.slice(0, equality.length).includes(column)));
      if (matches && equality.every((values) => values.length === 1)) {
        orderedBy = wantedOrder.columns;
        reverse = wantedOrder.descending;
        score += 5;
      }
    }
    if (score === 1 || (score <= 6 && orderedBy.length === 0 && equality.length === 0 && !lower && !upper)) continue;
    void exact;
    const remaining = conjuncts.filter((conjunct) => !used.has(conjunct));
    const access: IndexAccess = { index: path.index, equality, reverse, ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) };
    if (!best || score > best.score) best = { score, choice: { access, remaining, orderedBy } };
  }
  return best?.choice ?? { access: null, remaining: conjuncts, orderedBy: [] };
}
