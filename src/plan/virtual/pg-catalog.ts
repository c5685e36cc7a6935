// The core pg_catalog relations (PostgreSQL 15 column lists) computed from Cambium's catalog.
import { FixedOid, liveColumns, type Catalog, type RelationObject } from '../../catalog/index.js';
import { allTypes } from '../../types/index.js';
import type { Value } from '../../types/api.js';
import type { RuntimeContext } from '../expr.js';
import { describeConstraint } from '../describe.js';
import { maybeType } from '../type-access.js';
import { defineVirtual, virtualRelations } from './define.js';

const array = (elements: Value[]) => ({ elements, dims: elements.length ? [elements.length] : [], lowerBounds: elements.length ? [1] : [] });

function relationsOf(context: RuntimeContext): RelationObject[] {
  const catalog = context.services.catalog();
  const schemas = new Set(catalog.schemasOf(context.services.databaseOid).map((schema) => schema.oid));
  const result: RelationObject[] = [];
  for (const object of catalog.objects.values()) {
    if ((object.kind === 'table' || object.kind === 'index' || object.kind === 'sequence' || object.kind === 'view') && schemas.has(object.schemaOid)) result.push(object);
  }
  return result;
}

function namespaces(context: RuntimeContext): Array<[number, string, number]> {
  const catalog = context.services.catalog();
  return [
    [FixedOid.pgCatalogNamespace, 'pg_catalog', FixedOid.bootstrapSuperuser],
    [FixedOid.pgToastNamespace, 'pg_toast', FixedOid.bootstrapSuperuser],
    [FixedOid.informationSchemaNamespace, 'information_schema', FixedOid.bootstrapSuperuser],
    ...catalog.schemasOf(context.services.databaseOid).map((schema): [number, string, number] => [schema.oid, schema.name, schema.ownerOid]),
  ];
}

defineVirtual('pg_catalog.pg_namespace', 2615, ['oid oid', 'nspname name', 'nspowner oid', 'nspacl _aclitem'], (c) =>
  namespaces(c).map(([oid, name, owner]) => [oid, name, owner, null]));

const pgClassColumns = [
  'oid oid', 'relname name', 'relnamespace oid', 'reltype oid', 'reloftype oid', 'relowner oid', 'relam oid', 'relfilenode oid',
  'reltablespace oid', 'relpages int4', 'reltuples float4', 'relallvisible int4', 'reltoastrelid oid', 'relhasindex bool',
  'relisshared bool', 'relpersistence char', 'relkind char', 'relnatts int2', 'relchecks int2', 'relhasrules bool',
  'relhastriggers bool', 'relhassubclass bool', 'relrowsecurity bool', 'relforcerowsecurity bool', 'relispopulated bool',
  'relreplident char', 'relispartition bool', 'relrewrite oid', 'relfrozenxid xid', 'relminmxid xid', 'relacl _aclitem',
  'reloptions _text', 'relpartbound pg_node_tree',
];

function classRow(catalog: Catalog, relation: RelationObject): Value[] {
  let kind = 'r';
  let natts = 0;
  let checks = 0;
  let hasIndex = false;
  // PostgreSQL implements foreign keys with triggers; psql lists them only when relhastriggers.
  let hasTriggers = false;
  let options: Value = null;
  const am = relation.kind === 'index' ? 403 : relation.kind === 'table' ? 2 : 0;
  if (relation.kind === 'table') {
    natts = liveColumns(relation).length;
    checks = relation.constraints.filter((constraint) => constraint.type === 'c').length;
    hasIndex = catalog.indexesOf(relation.oid).length > 0;
    hasTriggers = relation.constraints.some((constraint) => constraint.type === 'f') || catalog.referencingTables(relation.oid).length > 0;
    options = relation.options.length ? array(relation.options) : null;
  } else if (relation.kind === 'index') {
    kind = 'i';
    natts = relation.columns.length;
  } else if (relation.kind === 'sequence') {
    kind = 'S';
    natts = 3;
  } else {
    kind = 'v';
    natts = relation.columns.length;
  }
  const owner = 'ownerOid' in relation ? relation.ownerOid : FixedOid.bootstrapSuperuser;
  return [relation.oid, relation.name, relation.schemaOid, 0, 0, owner, am, relation.oid, 0, 0, -1, 0, 0, hasIndex, false, 'p', kind,
    natts, checks, false, hasTriggers, false, false, false, true, 'd', false, 0, 0n, 0n, null, options, null];
}

defineVirtual('pg_catalog.pg_class', 1259, pgClassColumns, function* (c) {
  const catalog = c.services.catalog();
  for (const relation of relationsOf(c)) yield classRow(catalog, relation);
  for (const [name, relation] of virtualRelations()) {
    const [schema, relname] = name.split('.') as [string, string];
    const row: Value[] = [relation.oid, relname, schema === 'pg_catalog' ? FixedOid.pgCatalogNamespace : FixedOid.informationSchemaNamespace,
      0, 0, FixedOid.bootstrapSuperuser, 2, 0, 0, 0, -1, 0, 0, false, false, 'p', schema === 'pg_catalog' ? 'r' : 'v', relation.columns.length,
      0, false, false, false, false, false, true, 'n', false, 0, 0n, 0n, null, null, null];
    yield row;
  }
});

defineVirtual('pg_catalog.pg_attribute', 1249, [
  'attrelid oid', 'attname name', 'atttypid oid', 'attstattarget int4', 'attlen int2', 'attnum int2', 'attndims int4', 'attcacheoff int4',
  'atttypmod int4', 'attbyval bool', 'attalign char', 'attstorage char', 'attcompression char', 'attnotnull bool', 'atthasdef bool',
  'atthasmissing bool', 'attidentity char', 'attgenerated char', 'attisdropped bool', 'attislocal bool', 'attinhcount int4',
  'attcollation oid', 'attacl _aclitem', 'attoptions _text', 'attfdwoptions _text', 'attmissingval anyarray',
], function* (c) {
  const catalog = c.services.catalog();
  for (const relation of relationsOf(c)) {
    if (relation.kind === 'table') {
      for (const column of relation.columns) {
        const collation = [25, 1042, 1043, 19].includes(column.typeOid) ? 100 : 0;
        const length = column.dropped ? -1 : (maybeType(column.typeOid)?.length ?? -1);
        yield [relation.oid, column.dropped ? `........pg.dropped.${column.attnum}........` : column.name, column.dropped ? 0 : column.typeOid, -1, length,
          column.attnum, 0, -1, column.typmod, length > 0 && length <= 8, length === 8 ? 'd' : length === 2 ? 's' : length === 1 ? 'c' : 'i', length === -1 ? (column.typeOid === 1700 ? 'm' : 'x') : 'p', '', column.notNull, column.default !== null, false, column.identity, '',
          column.dropped, true, 0, collation, null, null, null, null];
      }
    } else if (relation.kind === 'index') {
      const table = catalog.table(relation.tableOid);
      for (const [i, attnum] of relation.columns.entries()) {
        const column = table.columns.find((candidate) => candidate.attnum === attnum)!;
        yield [relation.oid, column.name, column.typeOid, -1, -1, i + 1, 0, -1, column.typmod, false, 'i', 'p', '', false, false, false, '', '',
          false, true, 0, 0, null, null, null, null];
      }
    } else if (relation.kind === 'view') {
      for (const [i, column] of relation.columns.entries()) {
        yield [relation.oid, column.name, column.typeOid, -1, -1, i + 1, 0, -1, column.typmod, false, 'i', 'p', '', false, false, false, '', '',
          false, true, 0, 0, null, null, null, null];
      }
    }
  }
  for (const [, relation] of virtualRelations()) {
    for (const [i, column] of relation.columns.entries()) {
      yield [relation.oid, column.name, column.type, -1, -1, i + 1, 0, -1, -1, false, 'i', 'p', '', false, false, false, '', '',
        false, true, 0, 0, null, null, null, null];
    }
  }
});

defineVirtual('pg_catalog.pg_type', 1247, [
  'oid oid', 'typname name', 'typnamespace oid', 'typowner oid', 'typlen int2', 'typbyval bool', 'typtype char', 'typcategory char',
  'typispreferred bool', 'typisdefined bool', 'typdelim char', 'typrelid oid', 'typsubscript regproc', 'typelem oid', 'typarray oid',
  'typinput regproc', 'typoutput regproc', 'typreceive regproc', 'typsend regproc', 'typmodin regproc', 'typmodout regproc',
  'typanalyze regproc', 'typalign char', 'typstorage char', 'typnotnull bool', 'typbasetype oid', 'typtypmod int4', 'typndims int4',
  'typcollation oid', 'typdefaultbin pg_node_tree', 'typdefault text', 'typacl _aclitem',
], function* () {
  for (const type of allTypes()) {
    const byValue = type.length > 0 && type.length <= 8;
    yield [type.oid, type.name, FixedOid.pgCatalogNamespace, FixedOid.bootstrapSuperuser, type.length, byValue, 'b', type.category,
      type.preferred, true, ',', 0, type.element ? 1 : 0, type.element?.oid ?? 0, type.arrayOid, 0, 0, 0, 0, 0, 0, 0,
      type.length === 8 ? 'd' : type.length === 2 ? 's' : type.length === 1 ? 'c' : 'i', type.length === -1 ? 'x' : 'p', false, 0, -1,
      type.element ? 1 : 0, [25, 1043, 1042, 19].includes(type.oid) ? 100 : 0, null, null, null];
  }
});

defineVirtual('pg_catalog.pg_index', 2610, [
  'indexrelid oid', 'indrelid oid', 'indnatts int2', 'indnkeyatts int2', 'indisunique bool', 'indnullsnotdistinct bool', 'indisprimary bool',
  'indisexclusion bool', 'indimmediate bool', 'indisclustered bool', 'indisvalid bool', 'indcheckxmin bool', 'indisready bool',
  'indislive bool', 'indisreplident bool', 'indkey int2vector', 'indcollation oidvector', 'indclass oidvector', 'indoption int2vector',
  'indexprs pg_node_tree', 'indpred pg_node_tree',
], function* (c) {
  for (const relation of relationsOf(c)) {
    if (relation.kind !== 'index') continue;
    const n = relation.columns.length;
    yield [relation.oid, relation.tableOid, n, n, relation.unique, false, relation.primary, false, true, false, true, false, true, true, false,
      array(relation.columns), array(relation.columns.map(() => 0)), array(relation.columns.map(() => 1978)),
      array(relation.descending.map((desc) => (desc ? 3 : 0))), null, null];
  }
});

defineVirtual('pg_catalog.pg_constraint', 2606, [
  'oid oid', 'conname name', 'connamespace oid', 'contype char', 'condeferrable bool', 'condeferred bool', 'convalidated bool',
  'conrelid oid', 'contypid oid', 'conindid oid', 'conparentid oid', 'confrelid oid', 'confupdtype char', 'confdeltype char',
  'confmatchtype char', 'conislocal bool', 'coninhcount int4', 'connoinherit bool', 'conkey _int2', 'confkey _int2', 'conpfeqop _oid',
  'conppeqop _oid', 'conffeqop _oid', 'confdelsetcols _int2', 'conexclop _oid', 'conbin pg_node_tree',
], function* (c) {
  const catalog = c.services.catalog();
  for (const relation of relationsOf(c)) {
    if (relation.kind !== 'table') continue;
    for (const constraint of relation.constraints) {
      const fk = constraint.foreignKey;
      yield [constraint.oid, constraint.name, relation.schemaOid, constraint.type, false, false, true, relation.oid, 0, constraint.indexOid,
        0, fk?.tableOid ?? 0, fk?.onUpdate ?? ' ', fk?.onDelete ?? ' ', fk ? 's' : ' ', true, 0, false, array(constraint.columns),
        fk ? array(fk.columns) : null, null, null, null, null, null, constraint.check?.text ?? null];
    }
  }
  void catalog;
  void describeConstraint;
});

defineVirtual('pg_catalog.pg_database', 1262, [
  'oid oid', 'datname name', 'datdba oid', 'encoding int4', 'datlocprovider char', 'datistemplate bool', 'datallowconn bool',
  'datconnlimit int4', 'datfrozenxid xid', 'datminmxid xid', 'dattablespace oid', 'datcollate text', 'datctype text',
  'daticulocale text', 'datcollversion text', 'datacl _aclitem',
], (c) => [...c.services.catalog().all('database')].map((database) => [database.oid, database.name, database.ownerOid, 6, 'c',
  database.isTemplate, database.allowConnections, -1, 0n, 0n, 1663, 'C', 'C', null, null, null]));

const roleColumns = ['rolname name', 'rolsuper bool', 'rolinherit bool', 'rolcreaterole bool', 'rolcreatedb bool', 'rolcanlogin bool',
  'rolreplication bool', 'rolconnlimit int4', 'rolpassword text', 'rolvaliduntil timestamptz', 'rolbypassrls bool', 'rolconfig _text', 'oid oid'];

defineVirtual('pg_catalog.pg_roles', 12001, roleColumns, (c) => [...c.services.catalog().all('role')].map((role) => [role.name, role.superuser,
  role.inherit, role.createRole, role.createDatabase, role.canLogin, role.replication, role.connectionLimit, '********', null,
  role.bypassRls, null, role.oid]));

defineVirtual('pg_catalog.pg_authid', 1260, ['oid oid', 'rolname name', 'rolsuper bool', 'rolinherit bool', 'rolcreaterole bool',
  'rolcreatedb bool', 'rolcanlogin bool', 'rolreplication bool', 'rolbypassrls bool', 'rolconnlimit int4', 'rolpassword text',
  'rolvaliduntil timestamptz'], (c) => [...c.services.catalog().all('role')].map((role) => [role.oid, role.name, role.superuser,
  role.inherit, role.createRole, role.createDatabase, role.canLogin, role.replication, role.bypassRls, role.connectionLimit,
  role.password, null]));

defineVirtual('pg_catalog.pg_user', 12002, ['usename name', 'usesysid oid', 'usecreatedb bool', 'usesuper bool', 'userepl bool',
  'usebypassrls bool', 'passwd text', 'valuntil timestamptz', 'useconfig _text'], (c) => [...c.services.catalog().all('role')]
  .filter((role) => role.canLogin).map((role) => [role.name, role.oid, role.createDatabase, role.superuser, role.replication,
    role.bypassRls, '********', null, null]));

defineVirtual('pg_catalog.pg_auth_members', 1261, ['roleid oid', 'member oid', 'grantor oid', 'admin_option bool'], (c) =>
  [...c.services.catalog().all('role')].flatMap((role) => role.memberOf.map((group) => [group, role.oid, FixedOid.bootstrapSuperuser, false])));

defineVirtual('pg_catalog.pg_partitioned_table', 3350, ['partrelid oid', 'partstrat char', 'partnatts int2', 'partdefid oid',
  'partattrs int2vector', 'partclass oidvector', 'partcollation oidvector', 'partexprs pg_node_tree'], () => []);

defineVirtual('pg_catalog.pg_inherits', 2611, ['inhrelid oid', 'inhparent oid', 'inhseqno int4', 'inhdetachpending bool'], () => []);

defineVirtual('pg_catalog.pg_am', 2601, ['oid oid', 'amname name', 'amhandler regproc', 'amtype char'], () => [
  [2, 'heap', 0, 't'], [403, 'btree', 0, 'i'], [405, 'hash', 0, 'i'],
]);

defineVirtual('pg_catalog.pg_description', 2609, ['objoid oid', 'classoid oid', 'objsubid int4', 'description text'], (c) =>
  relationsOf(c).filter((relation) => relation.kind === 'table' && relation.comment !== null)
    .map((relation) => [relation.oid, 1259, 0, (relation as { comment: string }).comment]));

defineVirtual('pg_catalog.pg_shdescription', 2396, ['objoid oid', 'classoid oid', 'description text'], () => []);

defineVirtual('pg_catalog.pg_settings', 12003, ['name text', 'setting text', 'unit text', 'category text', 'short_desc text',
  'extra_desc text', 'context text', 'vartype text', 'source text', 'min_val text', 'max_val text', 'enumvals _text', 'boot_val text',
  'reset_val text', 'sourcefile text', 'sourceline int4', 'pending_restart bool'], (c) => c.services.settingEntries().map(([name, value]) =>
  [name, value, null, 'Ungrouped', '', null, 'user', 'string', 'default', null, null, null, value, value, null, null, false]));
