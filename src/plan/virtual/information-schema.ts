// information_schema views drivers use for metadata (tables, columns, schemata, constraints).
import { liveColumns, type Catalog } from '../../catalog/index.js';
import type { RuntimeContext } from '../expr.js';
import { formatTypeName } from '../type-access.js';
import { defineVirtual } from './define.js';

function inDatabase(c: RuntimeContext): { catalog: Catalog; schemas: Map<number, string> } {
  const catalog = c.services.catalog();
  return { catalog, schemas: new Map(catalog.schemasOf(c.services.databaseOid).map((schema) => [schema.oid, schema.name])) };
}

defineVirtual('information_schema.schemata', 13100, ['catalog_name name', 'schema_name name', 'schema_owner name',
  'default_character_set_catalog name', 'default_character_set_schema name', 'default_character_set_name name', 'sql_path varchar'], (c) => {
  const { catalog, schemas } = inDatabase(c);
  const database = catalog.get(c.services.databaseOid);
  const name = database?.kind === 'database' ? database.name : '';
  return [...schemas.values(), 'pg_catalog', 'information_schema'].map((schema) => [name, schema, 'postgres', null, null, null, null]);
});

defineVirtual('information_schema.tables', 13101, ['table_catalog name', 'table_schema name', 'table_name name', 'table_type varchar',
  'self_referencing_column_name name', 'reference_generation varchar', 'user_defined_type_catalog name', 'user_defined_type_schema name',
  'user_defined_type_name name', 'is_insertable_into varchar', 'is_typed varchar', 'commit_action varchar'], (c) => {
  const { catalog, schemas } = inDatabase(c);
  const database = catalog.get(c.services.databaseOid);
  const dbName = database?.kind === 'database' ? database.name : '';
  const rows: unknown[][] = [];
  for (const object of catalog.objects.values()) {
    if ((object.kind === 'table' || object.kind === 'view') && schemas.has(object.schemaOid)) {
      rows.push([dbName, schemas.get(object.schemaOid), object.name, object.kind === 'table' ? 'BASE TABLE' : 'VIEW', null, null, null, null,
        null, object.kind === 'table' ? 'YES' : 'NO', 'NO', null]);
    }
  }
  return rows;
});

defineVirtual('information_schema.columns', 13102, ['table_catalog name', 'table_schema name', 'table_name name', 'column_name name',
  'ordinal_position int4', 'column_default varchar', 'is_nullable varchar', 'data_type varchar', 'character_maximum_length int4',
  'numeric_precision int4', 'numeric_scale int4', 'udt_name name', 'is_identity varchar', 'identity_generation varchar'], (c) => {
  const { catalog, schemas } = inDatabase(c);
  const database = catalog.get(c.services.databaseOid);
  const dbName = database?.kind === 'database' ? database.name : '';
  const rows: unknown[][] = [];
  for (const table of catalog.all('table')) {
    if (!schemas.has(table.schemaOid)) continue;
    liveColumns(table).forEach((column, i) => {
      const typeName = formatTypeName(column.typeOid, -1);
      const length = (column.typeOid === 1043 || column.typeOid === 1042) && column.typmod >= 4 ? column.typmod - 4 : null;
      const precision = column.typeOid === 23 ? 32 : column.typeOid === 20 ? 64 : column.typeOid === 21 ? 16 : null;
      rows.push([dbName, schemas.get(table.schemaOid), table.name, column.name, i + 1, column.default?.text ?? null,
        column.notNull ? 'NO' : 'YES', typeName, length, precision, precision !== null ? 0 : null, c.services.typeName(column.typeOid),
        column.identity ? 'YES' : 'NO', column.identity === 'a' ? 'ALWAYS' : column.identity === 'd' ? 'BY DEFAULT' : null]);
    });
  }
  return rows;
});

defineVirtual('information_schema.table_constraints', 13103, ['constraint_catalog name', 'constraint_schema name', 'constraint_name name',
  'table_catalog name', 'table_schema name', 'table_name name', 'constraint_type varchar', 'is_deferrable varchar', 'initially_deferred varchar',
  'enforced varchar'], (c) => {
  const { catalog, schemas } = inDatabase(c);
  const types: Record<string, string> = { p: 'PRIMARY KEY', u: 'UNIQUE', c: 'CHECK', f: 'FOREIGN KEY' };
  const rows: unknown[][] = [];
  for (const table of catalog.all('table')) {
    if (!schemas.has(table.schemaOid)) continue;
    const schema = schemas.get(table.schemaOid);
    for (const constraint of table.constraints) {
      rows.push(['postgres', schema, constraint.name, 'postgres', schema, table.name, types[constraint.type], 'NO', 'NO', 'YES']);
    }
  }
  return rows;
});

defineVirtual('information_schema.key_column_usage', 13104, ['constraint_catalog name', 'constraint_schema name', 'constraint_name name',
  'table_catalog name', 'table_schema name', 'table_name name', 'column_name name', 'ordinal_position int4',
  'position_in_unique_constraint int4'], (c) => {
  const { catalog, schemas } = inDatabase(c);
  const rows: unknown[][] = [];
  for (const table of catalog.all('table')) {
    if (!schemas.has(table.schemaOid)) continue;
    const schema = schemas.get(table.schemaOid);
    for (const constraint of table.constraints) {
      if (constraint.type === 'c') continue;
      constraint.columns.forEach((attnum, i) => {
        const column = table.columns.find((candidate) => candidate.attnum === attnum);
        rows.push(['postgres', schema, constraint.name, 'postgres', schema, table.name, column?.name, i + 1, constraint.type === 'f' ? i + 1 : null]);
      });
    }
  }
  return rows;
});
