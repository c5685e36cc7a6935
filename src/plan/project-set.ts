// Set-returning functions in the select list (PostgreSQL 10+'s ProjectSet): every SRF call of
// the target list runs per input row in lockstep; the row yields as many output rows as its
// longest SRF result, the shorter ones padded with NULL. Added by the query-language engineer;
// select.ts calls planProjectSet just before the final projection.
import type { Expr } from './expr.js';
import { exprKey, mapChildren, walkExpr } from './expr-utils.js';
import type { OutputColumn, PlanNode } from './nodes.js';

type CallExpr = Extract<Expr, { kind: 'call' }>;

function isSetReturning(expr: Expr): expr is CallExpr {
  return expr.kind === 'call' && expr.returnsSet === true;
}

export function containsSetReturningCall(exprs: Expr[]): boolean {
  let found = false;
  for (const expr of exprs) walkExpr(expr, (node) => {
    if (isSetReturning(node)) found = true;
    return !found && node.kind !== 'subquery';
  });
  return found;
}

/**
 * Adds a projectSet node computing each distinct SRF call of `exprs` as an extra column and
 * returns the expressions rewritten to read those columns.
 */
export function planProjectSet(input: PlanNode, exprs: Expr[]): { plan: PlanNode; exprs: Expr[] } {
  const calls: CallExpr[] = [];
  const keys: string[] = [];
  const width = input.columns.length;
  const rewrite = (expr: Expr): Expr => {
    if (isSetReturning(expr)) {
      // Arguments may not contain set-returning calls of their own here; PostgreSQL nests
      // ProjectSets for that, which we don't.
      const key = exprKey(expr);
      let index = keys.indexOf(key);
      if (index < 0) {
        index = calls.length;
        calls.push(expr);
        keys.push(key);
      }
      return { kind: 'column', index: width + index, name: expr.name, type: expr.type, typmod: expr.typmod };
    }
    if (expr.kind === 'subquery') return expr;
    return mapChildren(expr, rewrite);
  };
  const rewritten = exprs.map(rewrite);
  const columns: OutputColumn[] = [...input.columns, ...calls.map((call) => ({ name: call.name, type: call.type, typmod: call.typmod, tableOid: 0, attnum: 0 }))];
  return { plan: { kind: 'projectSet', columns, input, calls }, exprs: rewritten };
}
