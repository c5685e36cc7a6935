// Pieces shared by the class generators: table references with their scopes, select lists and
// total ORDER BY clauses.
import { makeExpressionGenerator, type ColumnRef, type ExpressionGenerator, type Flavor, type Scope } from './expressions.js';
import type { Rng } from './rng.js';
import { relationalTables, type ScalarType, type Table } from './schema.js';

export interface FromItem {
  readonly sql: string;
  readonly alias: string;
  readonly scope: Scope;
}

export function scopeOf(table: Table, alias: string): ColumnRef[] {
  return table.columns.map((column) => ({ sql: `${alias}.${column.name}`, type: column.type }));
}

export function tableItem(table: Table, alias: string): FromItem {
  return { sql: `${table.name} AS ${alias}`, alias, scope: scopeOf(table, alias) };
}

export function randomTable(rng: Rng): Table {
  return rng.pick(relationalTables);
}

export function expressions(rng: Rng, scope: Scope, flavors: readonly Flavor[] = ['basic']): ExpressionGenerator {
  return makeExpressionGenerator(rng, scope, flavors);
}

/** Scalar types that PostgreSQL can sort and compare (json and arrays aside). */
export const orderableTypes: readonly ScalarType[] = ['int', 'bigint', 'numeric', 'text', 'bool', 'date'];

export function pickType(rng: Rng, scope: Scope, types: readonly ScalarType[] = orderableTypes): ScalarType {
  const present = types.filter((type) => scope.some((column) => column.type === type));
  return present.length > 0 && rng.chance(0.8) ? rng.pick(present) : rng.pick(types);
}

/** `expr [AS cN]`: sometimes unnamed, so PostgreSQL's default column names are compared too. */
export function selectItem(rng: Rng, expr: string, index: number): string {
  return rng.chance(0.6) ? `${expr} AS c${index}` : expr;
}

/** ORDER BY every output column by ordinal: the only order that fixes the row sequence. */
export function orderByAll(count: number, rng?: Rng): string {
  const keys = Array.from({ length: count }, (_, index) => {
    let key = String(index + 1);
    if (rng?.chance(0.3)) key += rng.pick([' DESC', ' ASC']);
    if (rng?.chance(0.2)) key += rng.pick([' NULLS FIRST', ' NULLS LAST']);
    return key;
  });
  return `ORDER BY ${keys.join(', ')}`;
}

export function uniqueColumn(item: FromItem): string | undefined {
  return item.scope.find((column) => column.sql.endsWith('.id'))?.sql;
}
