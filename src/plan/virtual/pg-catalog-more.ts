// Convenience views of pg_catalog (pg_tables, pg_indexes, pg_sequences, …) and the relations
// psql and drivers join against that Cambium keeps empty (no triggers, rules, policies).
import { FixedOid, type Catalog } from '../../catalog/index.js';
import type { RuntimeContext } from '../expr.js';
import { describeIndex } from '../describe.js';
import { defineVirtual } from './define.js';

function schemaName(catalog: Catalog, oid: number): string {
  return catalog.schemaByOid(oid)?.name ?? 'public';
}

function ownName(catalog: Catalog, oid: number): string {
  return catalog.roleByOid(oid)?.name ?? 'postgres';
}

function databaseRelations(c: RuntimeContext) {
  const catalog = c.services.catalog();
  const schemas = new Set(catalog.schemasOf(c.services.databaseOid).map((schema) => schema.oid));
  return { catalog, inDatabase: (schemaOid: number) => schemas.has(schemaOid) };
}

defineVirtual('pg_catalog.pg_tables', 12010, ['schemaname name', 'tablename name', 'tableowner name', 'tablespace name',
  'hasindexes bool', 'hasrules bool', 'hastriggers bool', 'rowsecurity bool'], (c) => {
  const { catalog, inDatabase } = databaseRelations(c);
  return [...catalog.all('table')].filter((table) => inDatabase(table.schemaOid)).map((table) => [schemaName(catalog, table.schemaOid),
    table.name, ownName(catalog, table.ownerOid), null, catalog.indexesOf(table.oid).length > 0, false, false, false]);
});

defineVirtual('pg_catalog.pg_views', 12011, ['schemaname name', 'viewname name', 'viewowner name', 'definition text'], (c) => {
  const { catalog, inDatabase } = databaseRelations(c);
  return [...catalog.all('view')].filter((view) => inDatabase(view.schemaOid)).map((view) => [schemaName(catalog, view.schemaOid),
    view.name, ownName(catalog, view.ownerOid), ` ${view.text};`]);
});

defineVirtual('pg_catalog.pg_indexes', 12012, ['schemaname name', 'tablename name', 'indexname name', 'tablespace name', 'indexdef text'], (c) => {
  const { catalog, inDatabase } = databaseRelations(c);
  return [...catalog.all('index')].filter((index) => inDatabase(index.schemaOid)).map((index) => [schemaName(catalog, index.schemaOid),
    catalog.table(index.tableOid).name, index.name, null, describeIndex(catalog, index.oid)]);
});

defineVirtual('pg_catalog.pg_sequence', 2224, ['seqrelid oid', 'seqtypid oid', 'seqstart int8', 'seqincrement int8', 'seqmax int8',
  'seqmin int8', 'seqcache int8', 'seqcycle bool'], (c) => {
  const { catalog, inDatabase } = databaseRelations(c);
  return [...catalog.all('sequence')].filter((sequence) => inDatabase(sequence.schemaOid)).map((sequence) => [sequence.oid,
    sequence.typeOid, sequence.start, sequence.increment, sequence.max, sequence.min, sequence.cache, sequence.cycle]);
});

defineVirtual('pg_catalog.pg_sequences', 12013, ['schemaname name', 'sequencename name', 'sequenceowner name', 'data_type regtype',
  'start_value int8', 'min_value int8', 'max_value int8', 'increment_by int8', 'cycle bool', 'cache_size int8', 'last_value int8'], (c) => {
  const { catalog, inDatabase } = databaseRelations(c);
  return [...catalog.all('sequence')].filter((sequence) => inDatabase(sequence.schemaOid)).map((sequence) => {
    const [last, called] = c.services.sequenceState(sequence.oid);
    return [schemaName(catalog, sequence.schemaOid), sequence.name, ownName(catalog, sequence.ownerOid), sequence.typeOid,
      sequence.start, sequence.min, sequence.max, sequence.increment, sequence.cycle, sequence.cache, called ? last : null];
  });
});

defineVirtual('pg_catalog.pg_attrdef', 2604, ['oid oid', 'adrelid oid', 'adnum int2', 'adbin pg_node_tree'], (c) => {
  const { catalog, inDatabase } = databaseRelations(c);
  const rows: unknown[][] = [];
  for (const table of catalog.all('table')) {
    if (!inDatabase(table.schemaOid)) continue;
    for (const column of table.columns) {
      if (column.default && !column.dropped) rows.push([table.oid * 1000 + column.attnum, table.oid, column.attnum, column.default.text]);
    }
  }
  return rows;
});

defineVirtual('pg_catalog.pg_proc', 1255, ['oid oid', 'proname name', 'pronamespace oid', 'proowner oid', 'prolang oid',
  'procost float4', 'prorows float4', 'provariadic oid', 'prosupport regproc', 'prokind char', 'prosecdef bool', 'proleakproof bool',
  'proisstrict bool', 'proretset bool', 'provolatile char', 'proparallel char', 'pronargs int2', 'pronargdefaults int2',
  'prorettype oid', 'proargtypes oidvector', 'proallargtypes _oid', 'proargmodes _char', 'proargnames _text', 'proargdefaults pg_node_tree',
  'protrftypes _oid', 'prosrc text', 'probin text', 'prosqlbody pg_node_tree', 'proconfig _text', 'proacl _aclitem'], () => []);

defineVirtual('pg_catalog.pg_collation', 3456, ['oid oid', 'collname name', 'collnamespace oid', 'collowner oid', 'collprovider char',
  'collisdeterministic bool', 'collencoding int4', 'collcollate text', 'collctype text', 'colliculocale text', 'collversion text'], () => [
  [100, 'default', FixedOid.pgCatalogNamespace, 10, 'd', true, -1, null, null, null, null],
  [950, 'C', FixedOid.pgCatalogNamespace, 10, 'c', true, -1, 'C', 'C', null, null],
]);

defineVirtual('pg_catalog.pg_extension', 3079, ['oid oid', 'extname name', 'extowner oid', 'extnamespace oid', 'extrelocatable bool',
  'extversion text', 'extconfig _oid', 'extcondition _text'], () => [[13500, 'plpgsql', 10, 11, false, '1.0', null, null]]);

defineVirtual('pg_catalog.pg_tablespace', 1213, ['oid oid', 'spcname name', 'spcowner oid', 'spcacl _aclitem', 'spcoptions _text'], () => [
  [1663, 'pg_default', 10, null, null], [1664, 'pg_global', 10, null, null],
]);

defineVirtual('pg_catalog.pg_language', 2612, ['oid oid', 'lanname name', 'lanowner oid', 'lanispl bool', 'lanpltrusted bool'], () => [
  [12, 'internal', 10, false, false], [13, 'c', 10, false, false], [14, 'sql', 10, false, true], [13500, 'plpgsql', 10, true, true],
]);

for (const [name, oid, columns] of [
  ['pg_trigger', 2620, ['oid oid', 'tgrelid oid', 'tgparentid oid', 'tgname name', 'tgfoid oid', 'tgtype int2', 'tgenabled char', 'tgisinternal bool', 'tgconstrrelid oid', 'tgconstrindid oid', 'tgconstraint oid', 'tgdeferrable bool', 'tginitdeferred bool', 'tgnargs int2', 'tgattr int2vector', 'tgargs text', 'tgqual pg_node_tree', 'tgoldtable name', 'tgnewtable name']],
  ['pg_rewrite', 2618, ['oid oid', 'rulename name', 'ev_class oid', 'ev_type char', 'ev_enabled char', 'is_instead bool', 'ev_qual pg_node_tree', 'ev_action pg_node_tree']],
  ['pg_policy', 3256, ['oid oid', 'polname name', 'polrelid oid', 'polcmd char', 'polpermissive bool', 'polroles _oid', 'polqual pg_node_tree', 'polwithcheck pg_node_tree']],
  ['pg_statistic_ext', 3381, ['oid oid', 'stxrelid oid', 'stxname name', 'stxnamespace oid', 'stxowner oid', 'stxstattarget int4', 'stxkeys int2vector', 'stxkind _char', 'stxexprs pg_node_tree']],
  ['pg_publication', 6104, ['oid oid', 'pubname name', 'pubowner oid', 'puballtables bool', 'pubinsert bool', 'pubupdate bool', 'pubdelete bool', 'pubtruncate bool', 'pubviaroot bool']],
  ['pg_publication_rel', 6106, ['oid oid', 'prpubid oid', 'prrelid oid', 'prqual pg_node_tree', 'prattrs int2vector']],
  ['pg_publication_namespace', 6237, ['oid oid', 'pnpubid oid', 'pnnspid oid']],
  ['pg_foreign_table', 3118, ['ftrelid oid', 'ftserver oid', 'ftoptions _text']],
  ['pg_foreign_server', 1417, ['oid oid', 'srvname name', 'srvowner oid', 'srvfdw oid', 'srvtype text', 'srvversion text', 'srvacl _aclitem', 'srvoptions _text']],
  ['pg_enum', 3501, ['oid oid', 'enumtypid oid', 'enumsortorder float4', 'enumlabel name']],
  ['pg_range', 3541, ['rngtypid oid', 'rngsubtype oid', 'rngmultitypid oid', 'rngcollation oid', 'rngsubopc oid', 'rngcanonical regproc', 'rngsubdiff regproc']],
  ['pg_event_trigger', 3466, ['oid oid', 'evtname name', 'evtevent name', 'evtowner oid', 'evtfoid oid', 'evtenabled char', 'evttags _text']],
  ['pg_depend', 2608, ['classid oid', 'objid oid', 'objsubid int4', 'refclassid oid', 'refobjid oid', 'refobjsubid int4', 'deptype char']],
  ['pg_operator', 2617, ['oid oid', 'oprname name', 'oprnamespace oid', 'oprowner oid', 'oprkind char', 'oprcanmerge bool', 'oprcanhash bool', 'oprleft oid', 'oprright oid', 'oprresult oid', 'oprcom oid', 'oprnegate oid', 'oprcode regproc', 'oprrest regproc', 'oprjoin regproc']],
  ['pg_opclass', 2616, ['oid oid', 'opcmethod oid', 'opcname name', 'opcnamespace oid', 'opcowner oid', 'opcfamily oid', 'opcintype oid', 'opcdefault bool', 'opckeytype oid']],
  ['pg_cast', 2605, ['oid oid', 'castsource oid', 'casttarget oid', 'castfunc oid', 'castcontext char', 'castmethod char']],
  ['pg_stat_activity', 12020, ['datid oid', 'datname name', 'pid int4', 'usesysid oid', 'usename name', 'application_name text', 'client_addr text', 'state text', 'query text']],
  ['pg_locks', 12021, ['locktype text', 'database oid', 'relation oid', 'pid int4', 'mode text', 'granted bool']],
  ['pg_init_privs', 3394, ['objoid oid', 'classoid oid', 'objsubid int4', 'privtype char', 'initprivs _aclitem']],
  ['pg_default_acl', 826, ['oid oid', 'defaclrole oid', 'defaclnamespace oid', 'defaclobjtype char', 'defaclacl _aclitem']],
  ['pg_matviews', 12014, ['schemaname name', 'matviewname name', 'matviewowner name', 'tablespace name', 'hasindexes bool', 'ispopulated bool', 'definition text']],
] as Array<[string, number, string[]]>) {
  defineVirtual(`pg_catalog.${name}`, oid, columns, () => []);
}
