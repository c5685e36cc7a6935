// CREATE TABLE … AS SELECT and SELECT … INTO: a table shaped like the query's result, filled
// with its rows in the same transaction. The tag is `SELECT n`, as PostgreSQL reports.
import { CatalogEditor, type TableObject } from '../../catalog/index.js';
import { nameList, positionOf, type AstBody } from '../../parser/index.js';
import { planQuery, T, UNKNOWN } from '../../plan/index.js';
import type { Value } from '../../types/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import { completed, type Execution, type StatementHost } from '../api.js';
import { openPlan } from '../nodes/index.js';
import { execState } from '../query.js';
import { TableWriter } from '../table-writer.js';
import { creationSchema, notice, ownerOf } from './common.js';

export async function createTableAs(host: StatementHost, into: AstBody, query: AstBody, ifNotExists: boolean, params: readonly Value[]): Promise<Execution> {
  const catalog = host.catalog();
  const relation = into.rel;
  const schema = creationSchema(host, catalog, relation.schemaname);
  if (catalog.relation(schema.oid, relation.relname)) {
    if (ifNotExists) {
      notice(host, `relation "${relation.relname}" already exists, skipping`, '42P07');
      return completed('CREATE TABLE AS');
    }
    throw new SqlError(SqlState.duplicateTable, `relation "${relation.relname}" already exists`, positionOf(relation));
  }
  const { plan } = planQuery({ bind: host.bindContext([]), ctes: new Map() }, query, null, null);
  const names = into.colNames ? nameList(into.colNames) : [];
  if (names.length > plan.columns.length) throw new SqlError(SqlState.syntaxError, 'too many column names were specified');
  const seen = new Set<string>();
  const table: TableObject = {
    kind: 'table', oid: host.allocateOid(), name: relation.relname, schemaOid: schema.oid, ownerOid: ownerOf(host),
    treeId: host.allocateTreeId(), primaryKey: [], constraints: [], comment: null, options: [],
    columns: plan.columns.map((column, i) => {
      const name = names[i] ?? column.name;
      if (seen.has(name)) throw new SqlError(SqlState.duplicateColumn, `column "${name}" specified more than once`);
      seen.add(name);
      return { attnum: i + 1, name, typeOid: column.type === UNKNOWN ? T.text : column.type, typmod: column.typmod, notNull: false, default: null, identity: '', dropped: false };
    }),
  };
  const editor = new CatalogEditor(catalog);
  editor.put(table);
  host.txn().createTree(table.treeId);
  host.applyCatalog(editor.finish());
  const state = execState(host, params);
  const writer = new TableWriter({
    txn: () => host.txn(), catalog: () => host.catalog(), bindContext: () => host.bindContext([]), runtime: state.runtime,
    allocateRowId: (t) => host.allocateRowId(t),
  }, table);
  const source = openPlan(plan, state);
  let count = 0;
  try {
    for (let row = source.next(); row; row = source.next()) {
      await writer.insert(row.slice(0, table.columns.length));
      if (++count % 5000 === 0) await host.pause();
    }
  } finally {
    source.close();
  }
  return completed(`SELECT ${count}`);
}
