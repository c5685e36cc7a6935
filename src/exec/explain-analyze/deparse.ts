// Expressions as EXPLAIN prints them (PostgreSQL's ruleutils style, approximately): column names,
// literals, parenthesized operators, function calls.
import type { Expr, OutputColumn } from '../../plan/index.js';

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'::text`;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${String(value)}'`;
}

export function deparse(expr: Expr, columns: readonly OutputColumn[] = []): string {
  const d = (e: Expr) => deparse(e, columns);
  switch (expr.kind) {
    case 'const':
      return literal(expr.value);
    case 'param':
      return `$${expr.index + 1}`;
    case 'column':
      return columns[expr.index]?.name ?? expr.name ?? `$${expr.index}`;
    case 'outerColumn':
      return expr.name;
    case 'call':
      if (/^[^a-z_]+$/i.test(expr.name)) {
        return expr.args.length === 2 ? `(${d(expr.args[0]!)} ${expr.name} ${d(expr.args[1]!)})` : `(${expr.name} ${d(expr.args[0]!)})`;
      }
      return `${expr.name}(${expr.args.map(d).join(', ')})`;
    case 'cast':
      return `(${d(expr.arg)})::${expr.type}`;
    case 'and':
    case 'or':
      return `(${expr.args.map(d).join(expr.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(NOT ${d(expr.arg)})`;
    case 'isNull':
      return `(${d(expr.arg)} IS ${expr.negated ? 'NOT ' : ''}NULL)`;
    case 'boolTest':
      return `(${d(expr.arg)} IS ${expr.negated ? 'NOT ' : ''}${expr.test.toUpperCase()})`;
    case 'coalesce':
      return `COALESCE(${expr.args.map(d).join(', ')})`;
    case 'inList':
      return `(${d(expr.arg)}${expr.negated ? ' NOT' : ''} IN (${expr.list.map(d).join(', ')}))`;
    case 'distinctFrom':
      return `(${d(expr.left)} IS ${expr.negated ? 'NOT ' : ''}DISTINCT FROM ${d(expr.right)})`;
    case 'subquery':
      return `(SubPlan)`;
    case 'case':
      return 'CASE … END';
    default:
      return expr.kind;
  }
}
