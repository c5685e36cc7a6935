// Catalog objects as stored (JSON in the catalog system tree, one record per OID) and as held
// in memory (immutable: DDL replaces whole objects, see editor.ts).

/** PostgreSQL's fixed OIDs for the objects every cluster has. */
export const FixedOid = {
  bootstrapSuperuser: 10,
  pgCatalogNamespace: 11,
  informationSchemaNamespace: 13000,
  pgToastNamespace: 99,
  publicNamespace: 2200,
  templateDatabase: 1,
  postgresDatabase: 5,
  /** First OID handed out to user objects (FirstNormalObjectId). */
  firstNormal: 16384,
} as const;

/** An expression kept as its parse tree (JSON) plus display text for pg_get_expr and \d. */
export interface StoredExpression {
  ast: unknown;
  text: string;
}

export interface DatabaseObject {
  kind: 'database';
  oid: number;
  name: string;
  ownerOid: number;
  allowConnections: boolean;
  isTemplate: boolean;
}

export interface RoleObject {
  kind: 'role';
  oid: number;
  name: string;
  superuser: boolean;
  inherit: boolean;
  createRole: boolean;
  createDatabase: boolean;
  canLogin: boolean;
  replication: boolean;
  bypassRls: boolean;
  connectionLimit: number;
  /** SCRAM verifier as PostgreSQL stores it, or null. */
  password: string | null;
  validUntil: string | null;
  memberOf: number[];
}

export interface SchemaObject {
  kind: 'schema';
  oid: number;
  name: string;
  databaseOid: number;
  ownerOid: number;
}

export interface ColumnDefinition {
  /** 1-based; also the column's slot in the stored row (dropped columns keep their slot). */
  attnum: number;
  name: string;
  typeOid: number;
  typmod: number;
  notNull: boolean;
  default: StoredExpression | null;
  /** 'a' GENERATED ALWAYS, 'd' BY DEFAULT, '' none. */
  identity: '' | 'a' | 'd';
  dropped: boolean;
}

export type ForeignKeyAction = 'a' | 'r' | 'c' | 'n' | 'd'; // no action, restrict, cascade, set null, set default

export interface ConstraintDefinition {
  oid: number;
  name: string;
  /** p primary key, u unique, c check, f foreign key. */
  type: 'p' | 'u' | 'c' | 'f';
  /** Constrained columns (attnums). */
  columns: number[];
  /** The index enforcing p/u constraints. */
  indexOid: number;
  check: StoredExpression | null;
  foreignKey: {
    tableOid: number;
    columns: number[];
    onDelete: ForeignKeyAction;
    onUpdate: ForeignKeyAction;
  } | null;
}

export interface TableObject {
  kind: 'table';
  oid: number;
  name: string;
  schemaOid: number;
  ownerOid: number;
  /** B-tree holding the rows: key = primary key (or hidden row id), value = row. */
  treeId: number;
  columns: ColumnDefinition[];
  /** Primary key attnums; empty = rows keyed by a hidden int8 row id. */
  primaryKey: number[];
  constraints: ConstraintDefinition[];
  options: string[];
  comment: string | null;
}

export interface IndexObject {
  kind: 'index';
  oid: number;
  name: string;
  schemaOid: number;
  tableOid: number;
  /** key = index columns + table key; value empty. The primary key's index has no tree (the table is it). */
  treeId: number;
  columns: number[];
  unique: boolean;
  primary: boolean;
  /** Expression index columns have attnum 0 and an expression here (not yet supported: always empty). */
  descending: boolean[];
}

export interface SequenceObject {
  kind: 'sequence';
  oid: number;
  name: string;
  schemaOid: number;
  ownerOid: number;
  typeOid: number;
  start: bigint;
  increment: bigint;
  min: bigint;
  max: bigint;
  cache: bigint;
  cycle: boolean;
  /** A serial/identity column owning it (dropped with its table). */
  ownedBy: { tableOid: number; attnum: number } | null;
}

export interface ViewObject {
  kind: 'view';
  oid: number;
  name: string;
  schemaOid: number;
  ownerOid: number;
  /** The SelectStmt node of the definition. */
  query: unknown;
  text: string;
  columns: Array<{ name: string; typeOid: number; typmod: number }>;
}

export type RelationObject = TableObject | IndexObject | SequenceObject | ViewObject;
export type CatalogObject = DatabaseObject | RoleObject | SchemaObject | RelationObject;

export function liveColumns(table: TableObject): ColumnDefinition[] {
  return table.columns.filter((column) => !column.dropped);
}

/** JSON cannot hold bigint: sequences' numbers travel as strings. */
export function serializeObject(object: CatalogObject): string {
  // Parse-tree locations only matter for error positions in the statement that created them.
  return JSON.stringify(object, (key, value) => (typeof value === 'bigint' ? `${value}n` : key === 'location' ? undefined : value));
}

export function deserializeObject(text: string): CatalogObject {
  return JSON.parse(text, (_key, value) =>
    typeof value === 'string' && /^-?\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
  ) as CatalogObject;
}
