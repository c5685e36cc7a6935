// Smaller DDL: CREATE INDEX, CREATE VIEW, TRUNCATE, CREATE SCHEMA, CREATE/DROP DATABASE,
// CREATE/ALTER/DROP ROLE (SCRAM verifiers), COMMENT ON, and statements accepted as no-ops
// (VACUUM, ANALYZE, GRANT, CHECKPOINT…).
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { CatalogEditor, liveColumns, type IndexObject, type RoleObject, type TableObject } from '../../catalog/index.js';
import { nameList, nodeBody, positionOf, type AstBody } from '../../parser/index.js';
import { planQuery } from '../../plan/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import { completed, type Execution, type StatementHost } from '../api.js';
import { chooseRelationName, creationSchema, lookupRelation, notice, ownerOf, requireTable } from './common.js';
import { dropRelation } from './drop.js';
import { buildIndex } from './table-rewrite.js';

export async function createIndex(host: StatementHost, body: AstBody): Promise<Execution> {
  const catalog = host.catalog();
  const table = requireTable(host, catalog, body.relation);
  if (body.accessMethod && body.accessMethod !== 'btree') {
    throw new SqlError(SqlState.featureNotSupported, `access method "${body.accessMethod}" is not supported`);
  }
  if (body.whereClause) throw new SqlError(SqlState.featureNotSupported, 'partial indexes are not supported');
  const live = liveColumns(table);
  const columns: number[] = [];
  const descending: boolean[] = [];
  for (const item of body.indexParams as AstBody[]) {
    const element = item.IndexElem;
    if (!element.name) throw new SqlError(SqlState.featureNotSupported, 'expression indexes are not supported');
    const column = live.find((candidate) => candidate.name === element.name);
    if (!column) throw new SqlError(SqlState.undefinedColumn, `column "${element.name}" does not exist`);
    columns.push(column.attnum);
    descending.push(element.ordering === 'SORTBY_DESC');
  }
  const names = columns.map((attnum) => table.columns[attnum - 1]!.name);
  const name: string = body.idxname ?? chooseRelationName(catalog, table.schemaOid, [table.name, ...names], 'idx');
  if (catalog.relation(table.schemaOid, name)) {
    if (body.if_not_exists) {
      notice(host, `relation "${name}" already exists, skipping`, '42P07');
      return completed('CREATE INDEX');
    }
    throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
  }
  const index: IndexObject = {
    kind: 'index', oid: host.allocateOid(), name, schemaOid: table.schemaOid, tableOid: table.oid, treeId: host.allocateTreeId(),
    columns, unique: body.unique === true, primary: false, descending,
  };
  host.txn().createTree(index.treeId);
  await buildIndex(host, table, index);
  const editor = new CatalogEditor(catalog);
  editor.put(index);
  if (body.primary || body.isconstraint) throw new SqlError(SqlState.featureNotSupported, 'CREATE INDEX for constraints is not supported');
  host.applyCatalog(editor.finish());
  return completed('CREATE INDEX');
}

export async function createView(host: StatementHost, body: AstBody, text: string): Promise<Execution> {
  const catalog = host.catalog();
  const rangeVar = body.view;
  const schema = creationSchema(host, catalog, rangeVar.schemaname);
  const existing = catalog.relation(schema.oid, rangeVar.relname);
  if (existing && !(body.replace && existing.kind === 'view')) {
    throw new SqlError(SqlState.duplicateTable, `relation "${rangeVar.relname}" already exists`);
  }
  const { plan } = planQuery({ bind: host.bindContext([]), ctes: new Map() }, body.query, null, null);
  const aliases = body.aliases ? nameList(body.aliases) : [];
  const seen = new Set<string>();
  const columns = plan.columns.map((column, i) => {
    const name = aliases[i] ?? column.name;
    if (seen.has(name)) throw new SqlError(SqlState.duplicateColumn, `column "${name}" specified more than once`);
    seen.add(name);
    return { name, typeOid: column.type, typmod: column.typmod };
  });
  const match = /\bAS\b\s*([\s\S]*)$/i.exec(text.replace(/^[\s\S]*?\b(?:VIEW)\b[\s\S]*?(?=\bAS\b)/i, ''));
  const queryText = (match?.[1] ?? '').replace(/;\s*$/, '').trim();
  const editor = new CatalogEditor(catalog);
  editor.put({
    kind: 'view', oid: existing?.oid ?? host.allocateOid(), name: rangeVar.relname, schemaOid: schema.oid, ownerOid: ownerOf(host),
    query: aliases.length ? body.query : body.query, text: queryText, columns,
  });
  host.applyCatalog(editor.finish());
  return completed('CREATE VIEW');
}

export async function truncate(host: StatementHost, body: AstBody): Promise<Execution> {
  const catalog = host.catalog();
  const tables: TableObject[] = (body.relations as AstBody[]).map((item) => requireTable(host, catalog, item.RangeVar ?? item));
  const names = new Set(tables.map((table) => table.oid));
  if (body.behavior !== 'DROP_CASCADE') {
    for (const table of tables) {
      for (const child of catalog.referencingTables(table.oid)) {
        if (!names.has(child.oid)) {
          throw new SqlError(SqlState.featureNotSupported, 'cannot truncate a table referenced in a foreign key constraint', {
            detail: `Table "${child.name}" references "${table.name}".`,
            hint: `Truncate table "${child.name}" at the same time, or use TRUNCATE ... CASCADE.`,
          });
        }
      }
    }
  } else {
    for (const table of [...tables]) {
      for (const child of catalog.referencingTables(table.oid)) {
        if (!names.has(child.oid)) {
          names.add(child.oid);
          tables.push(child);
          notice(host, `truncate cascades to table "${child.name}"`);
        }
      }
    }
  }
  const txn = host.txn();
  for (const table of tables) {
    txn.clearTree(table.treeId);
    for (const index of catalog.indexesOf(table.oid)) if (index.treeId) txn.clearTree(index.treeId);
    if (body.restart_seqs) {
      for (const sequence of catalog.all('sequence')) {
        if (sequence.ownedBy?.tableOid === table.oid) host.resetSequence(sequence.oid, sequence.start, false);
      }
    }
  }
  return completed('TRUNCATE TABLE');
}

export async function createSchema(host: StatementHost, body: AstBody): Promise<Execution> {
  const catalog = host.catalog();
  const name: string = body.schemaname ?? body.authrole?.RoleSpec?.rolename ?? host.user;
  if (name.startsWith('pg_')) {
    throw new SqlError('42939', `unacceptable schema name "${name}"`, { detail: 'The prefix "pg_" is reserved for system schemas.' });
  }
  if (catalog.schema(host.databaseOid, name) || name === 'information_schema') {
    if (body.if_not_exists) {
      notice(host, `schema "${name}" already exists, skipping`, '42P06');
      return completed('CREATE SCHEMA');
    }
    throw new SqlError(SqlState.duplicateSchema, `schema "${name}" already exists`);
  }
  if (body.schemaElts?.length) throw new SqlError(SqlState.featureNotSupported, 'CREATE SCHEMA with elements is not supported');
  const editor = new CatalogEditor(catalog);
  editor.put({ kind: 'schema', oid: host.allocateOid(), name, databaseOid: host.databaseOid, ownerOid: ownerOf(host) });
  host.applyCatalog(editor.finish());
  return completed('CREATE SCHEMA');
}

export async function createDatabase(host: StatementHost, body: AstBody): Promise<Execution> {
  if (host.inTransactionBlock()) throw new SqlError(SqlState.activeSqlTransaction, 'CREATE DATABASE cannot run inside a transaction block');
  const catalog = host.catalog();
  const name: string = body.dbname;
  if (catalog.database(name)) throw new SqlError(SqlState.duplicateDatabase, `database "${name}" already exists`);
  const editor = new CatalogEditor(catalog);
  const oid = host.allocateOid();
  editor.put({ kind: 'database', oid, name, ownerOid: ownerOf(host), allowConnections: true, isTemplate: false });
  editor.put({ kind: 'schema', oid: host.allocateOid(), name: 'public', databaseOid: oid, ownerOid: ownerOf(host) });
  host.applyCatalog(editor.finish());
  return completed('CREATE DATABASE');
}

export async function dropDatabase(host: StatementHost, body: AstBody, activeDatabases: (databaseOid: number) => number): Promise<Execution> {
  if (host.inTransactionBlock()) throw new SqlError(SqlState.activeSqlTransaction, 'DROP DATABASE cannot run inside a transaction block');
  const catalog = host.catalog();
  const name: string = body.dbname;
  const database = catalog.database(name);
  if (!database) {
    if (body.missing_ok) {
      notice(host, `database "${name}" does not exist, skipping`);
      return completed('DROP DATABASE');
    }
    throw new SqlError(SqlState.invalidCatalogName, `database "${name}" does not exist`);
  }
  if (database.oid === host.databaseOid) throw new SqlError(SqlState.objectInUse, 'cannot drop the currently open database');
  const sessions = activeDatabases(database.oid);
  if (sessions > 0) {
    throw new SqlError(SqlState.objectInUse, `database "${name}" is being accessed by other users`, {
      detail: `There ${sessions === 1 ? 'is 1 other session' : `are ${sessions} other sessions`} using the database.`,
    });
  }
  const editor = new CatalogEditor(catalog);
  for (const schema of catalog.schemasOf(database.oid)) {
    for (const object of catalog.objects.values()) {
      if ('schemaOid' in object && object.schemaOid === schema.oid && object.kind !== 'index' && editor.get(object.oid)) {
        dropRelation(host, editor, editor.finish(), object, true, [], new Set());
      }
    }
    editor.remove(schema.oid);
  }
  editor.remove(database.oid);
  host.applyCatalog(editor.finish());
  return completed('DROP DATABASE');
}

export function scramVerifier(password: string): string {
  if (/^SCRAM-SHA-256\$\d+:/.test(password)) return password;
  const salt = randomBytes(16);
  const iterations = 4096;
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

function applyRoleOptions(role: RoleObject, options: AstBody[]): RoleObject {
  const next = { ...role };
  for (const item of options) {
    const def = item.DefElem;
    const arg = def.arg ? nodeBody(def.arg) : undefined;
    const flag = arg?.boolval === true || arg?.ival === 1;
    switch (def.defname) {
      case 'password':
        next.password = arg?.sval === undefined ? null : scramVerifier(arg.sval);
        break;
      case 'superuser': next.superuser = flag; break;
      case 'createdb': next.createDatabase = flag; break;
      case 'createrole': next.createRole = flag; break;
      case 'canlogin': next.canLogin = flag; break;
      case 'inherit': next.inherit = flag; break;
      case 'isreplication': next.replication = flag; break;
      case 'bypassrls': next.bypassRls = flag; break;
      case 'connectionlimit': next.connectionLimit = arg?.ival ?? -1; break;
      case 'validUntil': next.validUntil = arg?.sval ?? null; break;
      case 'rolemembers':
      case 'addroleto':
      case 'adminmembers':
      case 'sysid':
        break;
      default:
        throw new SqlError(SqlState.syntaxError, `unrecognized role option "${def.defname}"`);
    }
  }
  return next;
}

export async function createRole(host: StatementHost, body: AstBody): Promise<Execution> {
  const catalog = host.catalog();
  const name: string = body.role;
  if (catalog.role(name)) throw new SqlError(SqlState.duplicateObject, `role "${name}" already exists`);
  const base: RoleObject = {
    kind: 'role', oid: host.allocateOid(), name, superuser: false, inherit: true, createRole: false, createDatabase: false,
    canLogin: body.stmt_type === 'ROLESTMT_USER', replication: false, bypassRls: false, connectionLimit: -1, password: null,
    validUntil: null, memberOf: [],
  };
  const editor = new CatalogEditor(catalog);
  editor.put(applyRoleOptions(base, (body.options ?? []) as AstBody[]));
  host.applyCatalog(editor.finish());
  return completed(body.stmt_type === 'ROLESTMT_USER' ? 'CREATE ROLE' : body.stmt_type === 'ROLESTMT_GROUP' ? 'CREATE ROLE' : 'CREATE ROLE');
}

export async function alterRole(host: StatementHost, body: AstBody): Promise<Execution> {
  const catalog = host.catalog();
  const name: string = body.role?.RoleSpec?.rolename ?? body.role?.rolename ?? (body.role?.RoleSpec?.roletype === 'ROLESPEC_CURRENT_USER' ? host.user : host.user);
  const role = catalog.role(name);
  if (!role) throw new SqlError(SqlState.undefinedObject, `role "${name}" does not exist`);
  const editor = new CatalogEditor(catalog);
  editor.put(applyRoleOptions(role, (body.options ?? []) as AstBody[]));
  host.applyCatalog(editor.finish());
  return completed('ALTER ROLE');
}

export async function dropRole(host: StatementHost, body: AstBody): Promise<Execution> {
  const catalog = host.catalog();
  const editor = new CatalogEditor(catalog);
  for (const item of body.roles as AstBody[]) {
    const name: string = item.RoleSpec.rolename;
    const role = catalog.role(name);
    if (!role) {
      if (body.missing_ok) {
        notice(host, `role "${name}" does not exist, skipping`);
        continue;
      }
      throw new SqlError(SqlState.undefinedObject, `role "${name}" does not exist`);
    }
    if (role.name === host.user) throw new SqlError(SqlState.objectInUse, 'current user cannot be dropped');
    editor.remove(role.oid);
  }
  host.applyCatalog(editor.finish());
  return completed('DROP ROLE');
}

export async function commentOn(host: StatementHost, body: AstBody): Promise<Execution> {
  if (body.objtype !== 'OBJECT_TABLE') return completed('COMMENT');
  const catalog = host.catalog();
  const names = nameList(body.object.List?.items ?? [body.object]);
  const relation = lookupRelation(host, catalog, { relname: names[names.length - 1], schemaname: names.length > 1 ? names[names.length - 2] : undefined });
  if (!relation || relation.kind !== 'table') throw new SqlError(SqlState.undefinedTable, `relation "${names.join('.')}" does not exist`);
  const editor = new CatalogEditor(catalog);
  editor.put({ ...relation, comment: body.comment ?? null });
  host.applyCatalog(editor.finish());
  return completed('COMMENT');
}

export async function vacuum(host: StatementHost, body: AstBody): Promise<Execution> {
  const isVacuum = body.is_vacuumcmd === true;
  if (isVacuum && host.inTransactionBlock()) throw new SqlError(SqlState.activeSqlTransaction, 'VACUUM cannot run inside a transaction block');
  const catalog = host.catalog();
  for (const item of (body.rels ?? []) as AstBody[]) {
    const rangeVar = item.VacuumRelation?.relation ?? item;
    if (!lookupRelation(host, catalog, rangeVar)) {
      throw new SqlError(SqlState.undefinedTable, `relation "${rangeVar.relname}" does not exist`, positionOf(rangeVar));
    }
  }
  return completed(isVacuum ? 'VACUUM' : 'ANALYZE');
}
