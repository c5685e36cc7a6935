// Walking and rewriting bound expressions.
import type { Expr } from './expr.js';

/** Rebuilds `expr` with `map` applied to each direct child expression. */
export function mapChildren(expr: Expr, map: (child: Expr) => Expr): Expr {
  switch (expr.kind) {
    case 'const':
    case 'param':
    case 'column':
    case 'outerColumn':
    case 'aggRef':
    case 'windowRef':
      return expr;
    case 'call':
      return { ...expr, args: expr.args.map(map) };
    case 'cast':
      return { ...expr, arg: map(expr.arg) };
    case 'and':
    case 'or':
      return { ...expr, args: expr.args.map(map) };
    case 'not':
    case 'isNull':
    case 'boolTest':
      return { ...expr, arg: map(expr.arg) };
    case 'case':
      return { ...expr, whens: expr.whens.map((when) => ({ condition: map(when.condition), result: map(when.result) })), otherwise: map(expr.otherwise) };
    case 'coalesce':
    case 'greatestLeast':
      return { ...expr, args: expr.args.map(map) };
    case 'inList':
      return { ...expr, arg: map(expr.arg), list: expr.list.map(map) };
    case 'distinctFrom':
      return { ...expr, left: map(expr.left), right: map(expr.right) };
    case 'subquery':
      return expr.testArg ? { ...expr, testArg: map(expr.testArg) } : expr;
    case 'array':
      return { ...expr, elements: expr.elements.map(map) };
    case 'row':
      return { ...expr, fields: expr.fields.map(map) };
    case 'field':
      return { ...expr, arg: map(expr.arg) };
  }
}

/** Visits every node (pre-order); `visit` returning false skips the children. */
export function walkExpr(expr: Expr, visit: (node: Expr) => boolean | void): void {
  if (visit(expr) === false) return;
  mapChildren(expr, (child) => {
    walkExpr(child, visit);
    return child;
  });
}

/** Row indices of the current input this expression reads. */
export function referencedColumns(expr: Expr): Set<number> {
  const columns = new Set<number>();
  walkExpr(expr, (node) => {
    if (node.kind === 'column') columns.add(node.index);
  });
  return columns;
}

export function containsKind(expr: Expr, kinds: ReadonlyArray<Expr['kind']>): boolean {
  let found = false;
  walkExpr(expr, (node) => {
    if (kinds.includes(node.kind)) found = true;
    return !found;
  });
  return found;
}

export function isVolatile(expr: Expr): boolean {
  let volatile = false;
  walkExpr(expr, (node) => {
    if (node.kind === 'call' && node.volatile) volatile = true;
    if (node.kind === 'subquery') volatile = true;
  });
  return volatile;
}

/** Renumbers current-row column references (for pushing a predicate below a join). */
export function shiftColumns(expr: Expr, delta: number): Expr {
  if (expr.kind === 'column') return { ...expr, index: expr.index + delta };
  return mapChildren(expr, (child) => shiftColumns(child, delta));
}

let subqueryIds = new WeakMap<object, number>();
let nextSubqueryId = 1;

/** A structural key for comparing expressions (GROUP BY matching). */
export function exprKey(expr: Expr): string {
  return JSON.stringify(expr, (key, value) => {
    if (typeof value === 'function' || key === 'position' || key === 'location') return undefined;
    if (typeof value === 'bigint') return `${value}n`;
    if (key === 'plan' && value && typeof value === 'object') {
      let id = subqueryIds.get(value);
      if (id === undefined) subqueryIds.set(value, (id = nextSubqueryId++));
      return id;
    }
    return value;
  });
}

export function resetExprKeys(): void {
  subqueryIds = new WeakMap();
}

export function conjuncts(expr: Expr | null): Expr[] {
  if (!expr) return [];
  if (expr.kind === 'and') return expr.args.flatMap((arg) => conjuncts(arg));
  return [expr];
}

export function andAll(exprs: Expr[]): Expr | null {
  if (exprs.length === 0) return null;
  if (exprs.length === 1) return exprs[0]!;
  return { kind: 'and', args: exprs, type: 16, typmod: -1 };
}
