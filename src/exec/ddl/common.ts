// Shared DDL helpers: where new objects go, PostgreSQL's default object names, lookups that
// raise PostgreSQL's errors.
import type { Catalog, CatalogEditor, RelationObject, SchemaObject, TableObject } from '../../catalog/index.js';
import { FixedOid } from '../../catalog/index.js';
import { positionOf, type AstBody } from '../../parser/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import type { StatementHost } from '../api.js';

export function searchPathOids(host: StatementHost): number[] {
  return host.bindContext([]).searchPath;
}

/** The schema a new object is created in: explicit, or the first existing one on the search path. */
export function creationSchema(host: StatementHost, catalog: Catalog, schemaName: string | undefined): SchemaObject {
  if (schemaName) {
    if (schemaName === 'pg_catalog' || schemaName === 'information_schema') {
      throw new SqlError(SqlState.insufficientPrivilege, `permission denied to create "${schemaName}" objects`);
    }
    const schema = catalog.schema(host.databaseOid, schemaName);
    if (!schema) throw new SqlError(SqlState.invalidSchemaName, `schema "${schemaName}" does not exist`);
    return schema;
  }
  for (const oid of searchPathOids(host)) {
    const schema = catalog.schemaByOid(oid);
    if (schema) return schema;
  }
  throw new SqlError(SqlState.invalidSchemaName, 'no schema has been selected to create in');
}

/** PostgreSQL's ChooseRelationName: name1_name2_label, truncated to 63 bytes, made unique with digits. */
export function chooseRelationName(catalog: Catalog | CatalogEditor, schemaOid: number, parts: string[], label: string, taken: Set<string> = new Set()): string {
  const exists = (name: string) => taken.has(name) || relationExists(catalog, schemaOid, name);
  const base = parts.filter(Boolean).join('_');
  for (let n = 0; ; n++) {
    const suffix = n === 0 ? `_${label}` : `_${label}${n}`;
    const name = `${base.slice(0, 63 - suffix.length)}${suffix}`;
    if (!exists(name)) return name;
  }
}

function relationExists(catalog: Catalog | CatalogEditor, schemaOid: number, name: string): boolean {
  const base = 'base' in catalog ? catalog.finish() : catalog;
  if (base.relation(schemaOid, name)) return true;
  for (const table of base.all('table')) {
    if (table.schemaOid === schemaOid && table.constraints.some((constraint) => constraint.name === name)) return true;
  }
  return false;
}

export function lookupRelation(host: StatementHost, catalog: Catalog, rangeVar: AstBody): RelationObject | undefined {
  return catalog.lookupRelation(host.databaseOid, searchPathOids(host), rangeVar.schemaname, rangeVar.relname);
}

export function requireTable(host: StatementHost, catalog: Catalog, rangeVar: AstBody): TableObject {
  const relation = lookupRelation(host, catalog, rangeVar);
  if (!relation) {
    const shown = rangeVar.schemaname ? `${rangeVar.schemaname}.${rangeVar.relname}` : rangeVar.relname;
    throw new SqlError(SqlState.undefinedTable, `relation "${shown}" does not exist`);
  }
  if (relation.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `"${relation.name}" is not a table`);
  return relation;
}

export function ownerOf(host: StatementHost): number {
  return host.roleOid || FixedOid.bootstrapSuperuser;
}

export function notice(host: StatementHost, message: string, code = '00000'): void {
  host.notice({ severity: 'NOTICE', code, message });
}
