// Prepares one parsed statement: plans queries and DML (cached by the session per catalog
// version), wraps DDL and utility statements, and describes COPY.
import { liveColumns } from '../catalog/index.js';
import { defElems, nameList, nodeBody, nodeKind, stringValue, type AstBody, type ParsedStatement } from '../parser/index.js';
import { planDelete, planInsert, planQuery, planUpdate, pruneColumns, T, UNKNOWN, type OutputColumn, type PlanNode } from '../plan/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import { completed, type CopyFromSpec, type CopyToSpec, type PreparedStatement, type StatementHost } from './api.js';
import { alterSequence, createSequence } from './ddl/sequence.js';
import { alterTable, renameObject } from './ddl/alter-table.js';
import { createTable } from './ddl/create-table.js';
import { createTableAs } from './ddl/create-table-as.js';
import { dropObjects } from './ddl/drop.js';
import { alterRole, commentOn, createDatabase, createIndex, createRole, createSchema, createView, dropDatabase, dropRole, truncate, vacuum } from './ddl/misc.js';
import { runDelete, runInsert, runUpdate } from './dml.js';
import { runExplain } from './explain-analyze/index.js';
import { runLockingQuery, runQuery } from './query.js';

export interface PrepareOptions {
  /** Number of sessions connected to a database (DROP DATABASE refuses while > 0). */
  sessionsOnDatabase(databaseOid: number): number;
}

function finalParamTypes(types: number[]): number[] {
  return types.map((type) => (type === 0 || type === UNKNOWN ? T.text : type));
}

function utility(name: string, run: PreparedStatement['start']): PreparedStatement {
  const changesCatalog = !/^(GRANT|REVOKE|VACUUM|ANALYZE|CHECKPOINT|LOCK|TRUNCATE|ALTER DEFAULT|ALTER$)/.test(name);
  const start: PreparedStatement['start'] = changesCatalog
    ? async (host, params) => {
      await host.lockCatalog?.();
      return run(host, params);
    }
    : run;
  return { commandName: name, paramTypes: [], fields: null, catalogVersion: -1, dependsOnCatalog: false, start };
}

export function prepareStatement(parsed: ParsedStatement, host: StatementHost, paramTypes: number[], options: PrepareOptions): PreparedStatement {
  const ast = parsed.ast as AstBody;
  const kind = nodeKind(ast);
  const body = nodeBody(ast);
  const catalogVersion = host.catalog().version;
  const planned = (commandName: string, fields: OutputColumn[] | null, types: number[], start: PreparedStatement['start']): PreparedStatement => ({
    commandName, fields, paramTypes: finalParamTypes(types), catalogVersion, dependsOnCatalog: true, start,
  });
  switch (kind) {
    case 'SelectStmt': {
      if (body.intoClause) {
        const query = { SelectStmt: { ...body, intoClause: undefined } };
        return utility('SELECT', (h, params) => createTableAs(h, body.intoClause, query, false, params));
      }
      const bind = host.bindContext([...paramTypes]);
      const { plan } = planQuery({ bind, ctes: new Map() }, ast, null, null);
      pruneColumns(plan);
      if (plan.kind === 'lockRows' || (plan.kind === 'project' && plan.input.kind === 'lockRows')) {
        return planned('SELECT', plan.columns, bind.paramTypes, (h, params) => runLockingQuery(plan, h, params));
      }
      return planned('SELECT', plan.columns, bind.paramTypes, async (h, params) => runQuery(plan, h, params));
    }
    case 'InsertStmt': {
      if (body.withClause) throw new SqlError(SqlState.featureNotSupported, 'WITH in INSERT is not supported yet');
      const bind = host.bindContext([...paramTypes]);
      const plan = planInsert(bind, body);
      return planned('INSERT', plan.returning?.columns ?? null, bind.paramTypes, (h, params) => runInsert(plan, h, params));
    }
    case 'UpdateStmt': {
      if (body.withClause) throw new SqlError(SqlState.featureNotSupported, 'WITH in UPDATE is not supported yet');
      const bind = host.bindContext([...paramTypes]);
      const plan = planUpdate(bind, body);
      return planned('UPDATE', plan.returning?.columns ?? null, bind.paramTypes, (h, params) => runUpdate(plan, h, params));
    }
    case 'DeleteStmt': {
      if (body.withClause) throw new SqlError(SqlState.featureNotSupported, 'WITH in DELETE is not supported yet');
      const bind = host.bindContext([...paramTypes]);
      const plan = planDelete(bind, body);
      return planned('DELETE', plan.returning?.columns ?? null, bind.paramTypes, (h, params) => runDelete(plan, h, params));
    }
    case 'ExplainStmt': {
      const planningStarted = performance.now();
      const bind = host.bindContext([...paramTypes]);
      const inner = body.query;
      let plan: PlanNode;
      const innerKind = nodeKind(inner);
      if (innerKind === 'SelectStmt') plan = planQuery({ bind, ctes: new Map() }, inner, null, null).plan;
      else if (innerKind === 'InsertStmt') plan = planInsert(bind, nodeBody(inner)).source;
      else if (innerKind === 'UpdateStmt') plan = planUpdate(bind, nodeBody(inner)).source;
      else if (innerKind === 'DeleteStmt') plan = planDelete(bind, nodeBody(inner)).source;
      else throw new SqlError(SqlState.featureNotSupported, `EXPLAIN of ${innerKind} is not supported`);
      const planningMs = performance.now() - planningStarted;
      const explained = plan;
      return planned('EXPLAIN', [{ name: 'QUERY PLAN', type: T.text, typmod: -1, tableOid: 0, attnum: 0 }], bind.paramTypes, (h, params) =>
        runExplain(explained, body.options, innerKind === 'SelectStmt', planningMs, h, params));
    }
    case 'CopyStmt':
      return prepareCopy(body, host);
    case 'CreateStmt':
      return utility('CREATE TABLE', (h) => createTable(h, body));
    case 'CreateTableAsStmt':
      if (body.objtype !== 'OBJECT_TABLE') throw new SqlError(SqlState.featureNotSupported, 'materialized views are not supported');
      return utility('CREATE TABLE AS', (h, params) => createTableAs(h, body.into, body.query, body.if_not_exists === true, params));
    case 'DropStmt':
      return utility('DROP', (h) => dropObjects(h, body));
    case 'AlterTableStmt':
      return utility('ALTER TABLE', (h) => alterTable(h, body));
    case 'RenameStmt':
      return utility('ALTER TABLE', (h) => renameObject(h, body));
    case 'IndexStmt':
      return utility('CREATE INDEX', (h) => createIndex(h, body));
    case 'ViewStmt':
      return utility('CREATE VIEW', (h) => createView(h, body, parsed.text));
    case 'CreateSeqStmt':
      return utility('CREATE SEQUENCE', (h) => createSequence(h, body));
    case 'AlterSeqStmt':
      return utility('ALTER SEQUENCE', (h) => alterSequence(h, body));
    case 'TruncateStmt':
      return utility('TRUNCATE TABLE', (h) => truncate(h, body));
    case 'CreateSchemaStmt':
      return utility('CREATE SCHEMA', (h) => createSchema(h, body));
    case 'CreatedbStmt':
      return utility('CREATE DATABASE', (h) => createDatabase(h, body));
    case 'DropdbStmt':
      return utility('DROP DATABASE', (h) => dropDatabase(h, body, options.sessionsOnDatabase));
    case 'CreateRoleStmt':
      return utility('CREATE ROLE', (h) => createRole(h, body));
    case 'AlterRoleStmt':
      return utility('ALTER ROLE', (h) => alterRole(h, body));
    case 'DropRoleStmt':
      return utility('DROP ROLE', (h) => dropRole(h, body));
    case 'CommentStmt':
      return utility('COMMENT', (h) => commentOn(h, body));
    case 'VacuumStmt':
      return utility(body.is_vacuumcmd ? 'VACUUM' : 'ANALYZE', (h) => vacuum(h, body));
    case 'GrantStmt':
      return utility(body.is_grant ? 'GRANT' : 'REVOKE', async () => completed(body.is_grant ? 'GRANT' : 'REVOKE'));
    case 'GrantRoleStmt':
      return utility(body.is_grant ? 'GRANT ROLE' : 'REVOKE ROLE', async () => completed(body.is_grant ? 'GRANT ROLE' : 'REVOKE ROLE'));
    case 'AlterDefaultPrivilegesStmt':
      return utility('ALTER DEFAULT PRIVILEGES', async () => completed('ALTER DEFAULT PRIVILEGES'));
    case 'AlterOwnerStmt':
      return utility('ALTER', async () => completed('ALTER'));
    case 'CheckPointStmt':
      return utility('CHECKPOINT', async () => completed('CHECKPOINT'));
    case 'LockStmt':
      return utility('LOCK TABLE', async (h) => {
        if (!h.inTransactionBlock()) throw new SqlError(SqlState.noActiveSqlTransaction, 'LOCK TABLE can only be used in transaction blocks');
        return completed('LOCK TABLE');
      });
    case 'CreateExtensionStmt':
      return utility('CREATE EXTENSION', async (h) => {
        if (body.extname === 'plpgsql' && body.if_not_exists) {
          h.notice({ severity: 'NOTICE', code: '00000', message: 'extension "plpgsql" already exists, skipping' });
          return completed('CREATE EXTENSION');
        }
        throw new SqlError(SqlState.featureNotSupported, `extension "${body.extname}" is not available`);
      });
    default:
      throw new SqlError(SqlState.featureNotSupported, `${kind.replace(/Stmt$/, '')} statements are not supported`);
  }
}

function optionString(arg: AstBody, fallback: string): string {
  if (!arg) return fallback;
  return stringValue(arg) || String(nodeBody(arg)?.ival ?? fallback);
}

function prepareCopy(body: AstBody, host: StatementHost): PreparedStatement {
  if (body.filename) {
    throw new SqlError(SqlState.insufficientPrivilege, 'COPY to or from a file is not supported; use COPY … FROM STDIN / TO STDOUT', {
      hint: "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.",
    });
  }
  const options = defElems(body.options);
  const formatName = optionString(options.get('format'), 'text').toLowerCase();
  if (formatName !== 'text' && formatName !== 'csv') throw new SqlError(SqlState.featureNotSupported, `COPY format "${formatName}" is not supported`);
  const csv = formatName === 'csv';
  const delimiter = optionString(options.get('delimiter'), csv ? ',' : '\t');
  const nullString = optionString(options.get('null'), csv ? '' : '\\N');
  const headerArg = options.get('header');
  const header = options.has('header') && (!headerArg || ['true', 'on', '1', 'match'].includes(optionString(headerArg, 'true').toLowerCase()));
  const quote = optionString(options.get('quote'), '"');
  const escape = optionString(options.get('escape'), quote);
  const common = { format: formatName as 'text' | 'csv', delimiter, nullString, header, quote, escape };
  const catalogVersion = host.catalog().version;
  if (body.is_from) {
    return {
      commandName: 'COPY', paramTypes: [], fields: null, catalogVersion, dependsOnCatalog: true,
      copy: (h) => {
        const relation = h.catalog().lookupRelation(h.databaseOid, h.bindContext([]).searchPath, body.relation.schemaname, body.relation.relname);
        if (!relation) throw new SqlError(SqlState.undefinedTable, `relation "${body.relation.relname}" does not exist`);
        if (relation.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `cannot copy to ${relation.kind} "${relation.name}"`);
        const live = liveColumns(relation);
        const columnIndexes = body.attlist
          ? nameList(body.attlist).map((name) => {
            const index = live.findIndex((column) => column.name === name);
            if (index < 0) throw new SqlError(SqlState.undefinedColumn, `column "${name}" of relation "${relation.name}" does not exist`);
            return index;
          })
          : live.map((_column, i) => i);
        const spec: CopyFromSpec = { kind: 'copyFrom', table: relation, columnIndexes, ...common };
        return spec;
      },
      start: async () => completed('COPY 0'),
    };
  }
  let query: AstBody;
  if (body.query) query = body.query;
  else {
    const columns = body.attlist ? nameList(body.attlist).map((name) => ({ ResTarget: { val: { ColumnRef: { fields: [{ String: { sval: name } }] } } } })) : [{ ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } }];
    query = { SelectStmt: { targetList: columns, fromClause: [{ RangeVar: body.relation }], op: 'SETOP_NONE' } };
  }
  return {
    commandName: 'COPY', paramTypes: [], fields: null, catalogVersion, dependsOnCatalog: true,
    copy: (h, params) => {
      const { plan } = planQuery({ bind: h.bindContext([]), ctes: new Map() }, query, null, null);
      const spec: CopyToSpec = { kind: 'copyTo', columns: plan.columns, ...common, rows: () => runQuery(plan, h, params) };
      return spec;
    },
    start: async () => completed('COPY 0'),
  };
}
