// Display text of bound expressions the way PostgreSQL's ruleutils prints stored expressions in
// pretty mode (pg_get_constraintdef(oid, true), pg_get_expr): constants with their type when
// PostgreSQL shows it, implicit casts made visible, parentheses around nested operators.
import type { FormatSettings } from '../types/api.js';
import type { Expr } from './expr.js';
import { formatTypeName, getType, T } from './type-access.js';

const settings: FormatSettings = { dateStyle: 'ISO, MDY', timeZone: 'UTC', intervalStyle: 'postgres', extraFloatDigits: 1, byteaOutput: 'hex' };

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function constant(expr: Extract<Expr, { kind: 'const' }>): string {
  if (expr.value === null) return 'NULL';
  const text = getType(expr.type).formatText(expr.value, settings);
  switch (expr.type) {
    case T.int4:
      return text.startsWith('-') ? `${quote(text)}::integer` : text;
    case T.bool:
      return text === 't' ? 'true' : 'false';
    case T.numeric:
      if (text.startsWith('-') || !/^[0-9.]+$/.test(text)) return `${quote(text)}::numeric`;
      return text.includes('.') ? text : `${text}::numeric`;
    default:
      return `${quote(text)}::${formatTypeName(expr.type, -1)}`;
  }
}

function isOperator(expr: Expr): boolean {
  return (expr.kind === 'call' && expr.operator === true) || expr.kind === 'distinctFrom';
}

export function deparseBound(expr: Expr, top = true): string {
  const wrap = (child: Expr) => {
    const text = deparseBound(child, false);
    return isOperator(child) || child.kind === 'and' || child.kind === 'or' || child.kind === 'not' ? `(${text})` : text;
  };
  switch (expr.kind) {
    case 'const':
      return constant(expr);
    case 'column':
    case 'outerColumn':
      return expr.name;
    case 'param':
      return `$${expr.index + 1}`;
    case 'call':
      if (expr.operator && expr.args.length === 2) return `${wrap(expr.args[0]!)} ${expr.name} ${wrap(expr.args[1]!)}`;
      if (expr.operator && expr.args.length === 1) return `${expr.name} ${wrap(expr.args[0]!)}`;
      return `${expr.name}(${expr.args.map((arg) => deparseBound(arg)).join(', ')})`;
    case 'cast':
      return `${wrap(expr.arg)}::${formatTypeName(expr.type, expr.typmod)}`;
    case 'and':
    case 'or':
      return expr.args.map((arg) => (arg.kind === 'and' || arg.kind === 'or' ? `(${deparseBound(arg, false)})` : deparseBound(arg, false))).join(expr.kind === 'and' ? ' AND ' : ' OR ');
    case 'not':
      return `NOT ${wrap(expr.arg)}`;
    case 'isNull':
      return `${wrap(expr.arg)} IS ${expr.negated ? 'NOT ' : ''}NULL`;
    case 'boolTest':
      return `${wrap(expr.arg)} IS ${expr.negated ? 'NOT ' : ''}${expr.test.toUpperCase()}`;
    case 'inList':
      return `${wrap(expr.arg)} ${expr.negated ? '<> ALL' : '= ANY'} (ARRAY[${expr.list.map((item) => deparseBound(item)).join(', ')}])`;
    case 'distinctFrom':
      return `${wrap(expr.left)} IS ${expr.negated ? 'NOT ' : ''}DISTINCT FROM ${wrap(expr.right)}`;
    case 'coalesce':
      return `COALESCE(${expr.args.map((arg) => deparseBound(arg)).join(', ')})`;
    case 'greatestLeast':
      return `${expr.greatest ? 'GREATEST' : 'LEAST'}(${expr.args.map((arg) => deparseBound(arg)).join(', ')})`;
    case 'case':
      return `CASE ${expr.whens.map((when) => `WHEN ${deparseBound(when.condition)} THEN ${deparseBound(when.result)}`).join(' ')} ELSE ${deparseBound(expr.otherwise)} END`;
    case 'array':
      return `ARRAY[${expr.elements.map((element) => deparseBound(element)).join(', ')}]`;
    default:
      void top;
      return '?';
  }
}
