// One decoded, immutable catalog state with lookup indexes. DDL makes a new Catalog through
// CatalogEditor (editor.ts); readers never see a half-applied change.
import { SqlError, SqlState } from '../util/errors.js';
import {
  FixedOid,
  type CatalogObject,
  type DatabaseObject,
  type IndexObject,
  type RelationObject,
  type RoleObject,
  type SchemaObject,
  type SequenceObject,
  type TableObject,
} from './model.js';

export class Catalog {
  readonly objects: ReadonlyMap<number, CatalogObject>;
  /** Bumped by every committed DDL; the cache key of decoded catalogs. */
  readonly version: number;
  private schemaIndex?: Map<string, SchemaObject>;
  private relationIndex?: Map<string, RelationObject>;
  private indexesByTable?: Map<number, IndexObject[]>;

  constructor(objects: ReadonlyMap<number, CatalogObject>, version: number) {
    this.objects = objects;
    this.version = version;
  }

  get(oid: number): CatalogObject | undefined {
    return this.objects.get(oid);
  }

  *all<K extends CatalogObject['kind']>(kind: K): IterableIterator<Extract<CatalogObject, { kind: K }>> {
    for (const object of this.objects.values()) if (object.kind === kind) yield object as Extract<CatalogObject, { kind: K }>;
  }

  database(name: string): DatabaseObject | undefined {
    for (const database of this.all('database')) if (database.name === name) return database;
    return undefined;
  }

  role(name: string): RoleObject | undefined {
    for (const role of this.all('role')) if (role.name === name) return role;
    return undefined;
  }

  roleByOid(oid: number): RoleObject | undefined {
    const object = this.objects.get(oid);
    return object?.kind === 'role' ? object : undefined;
  }

  schema(databaseOid: number, name: string): SchemaObject | undefined {
    if (!this.schemaIndex) {
      this.schemaIndex = new Map();
      for (const schema of this.all('schema')) this.schemaIndex.set(`${schema.databaseOid}.${schema.name}`, schema);
    }
    return this.schemaIndex.get(`${databaseOid}.${name}`);
  }

  schemaByOid(oid: number): SchemaObject | undefined {
    const object = this.objects.get(oid);
    return object?.kind === 'schema' ? object : undefined;
  }

  schemasOf(databaseOid: number): SchemaObject[] {
    return [...this.all('schema')].filter((schema) => schema.databaseOid === databaseOid);
  }

  relation(schemaOid: number, name: string): RelationObject | undefined {
    if (!this.relationIndex) {
      this.relationIndex = new Map();
      for (const object of this.objects.values()) {
        if (object.kind === 'table' || object.kind === 'index' || object.kind === 'sequence' || object.kind === 'view') {
          this.relationIndex.set(`${object.schemaOid}.${object.name}`, object);
        }
      }
    }
    return this.relationIndex.get(`${schemaOid}.${name}`);
  }

  table(oid: number): TableObject {
    const object = this.objects.get(oid);
    if (object?.kind !== 'table') throw new SqlError(SqlState.undefinedTable, `relation with OID ${oid} does not exist`);
    return object;
  }

  sequence(oid: number): SequenceObject | undefined {
    const object = this.objects.get(oid);
    return object?.kind === 'sequence' ? object : undefined;
  }

  indexesOf(tableOid: number): IndexObject[] {
    if (!this.indexesByTable) {
      this.indexesByTable = new Map();
      for (const object of this.all('index')) {
        const list = this.indexesByTable.get(object.tableOid) ?? [];
        list.push(object);
        this.indexesByTable.set(object.tableOid, list);
      }
      for (const list of this.indexesByTable.values()) list.sort((a, b) => a.oid - b.oid);
    }
    return this.indexesByTable.get(tableOid) ?? [];
  }

  /** Tables whose foreign keys reference `tableOid`. */
  referencingTables(tableOid: number): TableObject[] {
    const result: TableObject[] = [];
    for (const table of this.all('table')) {
      if (table.constraints.some((constraint) => constraint.foreignKey?.tableOid === tableOid)) result.push(table);
    }
    return result;
  }

  /** Resolves a possibly qualified relation name through the search path. */
  lookupRelation(databaseOid: number, searchPath: readonly number[], schemaName: string | undefined, name: string): RelationObject | undefined {
    if (schemaName !== undefined) {
      const schema = this.schema(databaseOid, schemaName);
      if (!schema) throw new SqlError(SqlState.invalidSchemaName, `schema "${schemaName}" does not exist`);
      return this.relation(schema.oid, name);
    }
    for (const schemaOid of searchPath) {
      const relation = this.relation(schemaOid, name);
      if (relation) return relation;
    }
    return undefined;
  }

  maxOid(): number {
    let max = FixedOid.firstNormal - 1;
    for (const oid of this.objects.keys()) if (oid > max) max = oid;
    for (const table of this.all('table')) for (const constraint of table.constraints) if (constraint.oid > max) max = constraint.oid;
    return max;
  }
}
