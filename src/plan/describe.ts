// Text forms of catalog objects as PostgreSQL prints them (pg_get_indexdef,
// pg_get_constraintdef), used by pg_catalog functions and psql's \d.
import type { Catalog, ForeignKeyAction, TableObject } from '../catalog/index.js';

const reserved = new Set(['all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast', 'check', 'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date', 'current_role', 'current_time', 'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in', 'initially', 'intersect', 'into', 'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not', 'null', 'offset', 'on', 'only', 'or', 'order', 'placing', 'primary', 'references', 'returning', 'select', 'session_user', 'some', 'symmetric', 'table', 'then', 'to', 'trailing', 'true', 'union', 'unique', 'user', 'using', 'variadic', 'when', 'where', 'window', 'with']);

export function quoteIdentifier(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !reserved.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

function columnNames(table: TableObject, attnums: number[]): string {
  return attnums.map((attnum) => quoteIdentifier(table.columns.find((column) => column.attnum === attnum)?.name ?? '?')).join(', ');
}

export function qualifiedName(catalog: Catalog, schemaOid: number, name: string): string {
  const schema = catalog.schemaByOid(schemaOid);
  return `${quoteIdentifier(schema?.name ?? 'public')}.${quoteIdentifier(name)}`;
}

export function describeIndex(catalog: Catalog, indexOid: number, column = 0): string | null {
  const index = catalog.get(indexOid);
  if (index?.kind !== 'index') return null;
  const table = catalog.table(index.tableOid);
  if (column > 0) return columnNames(table, [index.columns[column - 1]!]);
  const columns = index.columns
    .map((attnum, i) => `${columnNames(table, [attnum])}${index.descending[i] ? ' DESC' : ''}`)
    .join(', ');
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdentifier(index.name)} ON ${qualifiedName(catalog, table.schemaOid, table.name)} USING btree (${columns})`;
}

const actionText: Record<ForeignKeyAction, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

export function describeConstraint(catalog: Catalog, constraintOid: number): string | null {
  for (const table of catalog.all('table')) {
    const constraint = table.constraints.find((candidate) => candidate.oid === constraintOid);
    if (!constraint) continue;
    switch (constraint.type) {
      case 'p':
        return `PRIMARY KEY (${columnNames(table, constraint.columns)})`;
      case 'u':
        return `UNIQUE (${columnNames(table, constraint.columns)})`;
      case 'c':
        return `CHECK (${constraint.check?.text ?? ''})`;  // pretty form, as psql asks for
      case 'f': {
        const fk = constraint.foreignKey!;
        const referenced = catalog.table(fk.tableOid);
        let text = `FOREIGN KEY (${columnNames(table, constraint.columns)}) REFERENCES ${quoteIdentifier(referenced.name)}(${columnNames(referenced, fk.columns)})`;
        if (fk.onUpdate !== 'a') text += ` ON UPDATE ${actionText[fk.onUpdate]}`;
        if (fk.onDelete !== 'a') text += ` ON DELETE ${actionText[fk.onDelete]}`;
        return text;
      }
    }
  }
  return null;
}
