// search_path text → schema OIDs of the current database ("$user" expands to the role's schema
// when it exists; missing schemas are skipped, as PostgreSQL does).
import type { Catalog } from '../catalog/index.js';
import { FixedOid } from '../catalog/index.js';

export function parseSearchPath(value: string): string[] {
  const names: string[] = [];
  const pattern = /\s*(?:"((?:[^"]|"")*)"|([^,]+?))\s*(?:,|$)/g;
  for (const match of value.matchAll(pattern)) {
    if (match[0].trim() === '' && match.index === value.length) break;
    if (match[1] !== undefined) names.push(match[1].replace(/""/g, '"') === '$user' ? '$user' : match[1].replace(/""/g, '"'));
    else if (match[2] !== undefined) names.push(match[2].trim().toLowerCase());
  }
  return names;
}

export function resolveSearchPath(value: string, catalog: Catalog, databaseOid: number, user: string): number[] {
  const oids: number[] = [];
  for (const name of parseSearchPath(value)) {
    if (name === 'pg_catalog') {
      oids.push(FixedOid.pgCatalogNamespace);
      continue;
    }
    const schema = catalog.schema(databaseOid, name === '$user' ? user : name);
    if (schema && !oids.includes(schema.oid)) oids.push(schema.oid);
  }
  return oids;
}
