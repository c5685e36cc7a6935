// DROP TABLE / INDEX / SEQUENCE / VIEW / SCHEMA [IF EXISTS] [CASCADE], several names at once,
// with PostgreSQL's notices for missing objects and dependency errors.
import { CatalogEditor, type Catalog, type RelationObject, type TableObject } from '../../catalog/index.js';
import { nameList, type AstBody } from '../../parser/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import { completed, type Execution, type StatementHost } from '../api.js';
import { notice, searchPathOids } from './common.js';

const kindWords: Record<string, { kind: RelationObject['kind']; word: string; tag: string }> = {
  OBJECT_TABLE: { kind: 'table', word: 'table', tag: 'DROP TABLE' },
  OBJECT_INDEX: { kind: 'index', word: 'index', tag: 'DROP INDEX' },
  OBJECT_SEQUENCE: { kind: 'sequence', word: 'sequence', tag: 'DROP SEQUENCE' },
  OBJECT_VIEW: { kind: 'view', word: 'view', tag: 'DROP VIEW' },
};

export async function dropObjects(host: StatementHost, body: AstBody): Promise<Execution> {
  const removeType: string = body.removeType;
  if (removeType === 'OBJECT_SCHEMA') return dropSchemas(host, body);
  const spec = kindWords[removeType];
  if (!spec) {
    const tag = `DROP ${removeType.replace('OBJECT_', '').replace('_', ' ')}`;
    if (body.missing_ok) return completed(tag);
    throw new SqlError(SqlState.featureNotSupported, `${tag} is not supported`);
  }
  const cascade = body.behavior === 'DROP_CASCADE';
  let catalog = host.catalog();
  const editor = new CatalogEditor(catalog);
  const cascaded: string[] = [];
  for (const item of body.objects as AstBody[]) {
    const names = nameList(item.List?.items ?? item);
    const name = names[names.length - 1]!;
    const schemaName = names.length > 1 ? names[names.length - 2] : undefined;
    let relation: RelationObject | undefined;
    try {
      relation = catalog.lookupRelation(host.databaseOid, searchPathOids(host), schemaName, name);
    } catch (error) {
      if (!(error instanceof SqlError && error.code === SqlState.invalidSchemaName && body.missing_ok)) throw error;
    }
    const shown = schemaName ? `${schemaName}.${name}` : name;
    if (!relation) {
      if (body.missing_ok) {
        notice(host, `${spec.word} "${shown}" does not exist, skipping`);
        continue;
      }
      throw new SqlError(spec.kind === 'index' ? SqlState.undefinedObject : SqlState.undefinedTable, `${spec.word} "${shown}" does not exist`);
    }
    if (relation.kind !== spec.kind) {
      throw new SqlError(SqlState.wrongObjectType, `"${name}" is not ${spec.kind === 'index' ? 'an index' : `a ${spec.word}`}`, {
        hint: `Use DROP ${relation.kind === 'table' ? 'TABLE' : relation.kind.toUpperCase()} to remove a ${relation.kind}.`,
      });
    }
    dropRelation(host, editor, catalog, relation, cascade, cascaded, new Set((body.objects as AstBody[]).map((o) => nameList(o.List?.items ?? o).pop()!)));
    catalog = editor.finish();
  }
  if (cascaded.length === 1) notice(host, `drop cascades to ${cascaded[0]}`);
  else if (cascaded.length > 1) host.notice({ severity: 'NOTICE', code: '00000', message: `drop cascades to ${cascaded.length} other objects`, detail: cascaded.map((c) => `drop cascades to ${c}`).join('\n') });
  host.applyCatalog(editor.finish());
  return completed(spec.tag);
}

export function dropRelation(host: StatementHost, editor: CatalogEditor, catalog: Catalog, relation: RelationObject, cascade: boolean, cascaded: string[], alsoDropped: Set<string>): void {
  const txn = host.txn();
  switch (relation.kind) {
    case 'table': {
      const dependentViews = [...catalog.all('view')].filter((view) => editor.get(view.oid) && !alsoDropped.has(view.name) && viewReferences(view.query, relation.name));
      const dependentConstraints: Array<{ child: TableObject; names: string[] }> = [];
      for (const child of catalog.referencingTables(relation.oid)) {
        if (child.oid === relation.oid) continue;
        const current = editor.get(child.oid) as TableObject | undefined;
        if (!current) continue;
        const dependent = current.constraints.filter((constraint) => constraint.foreignKey?.tableOid === relation.oid);
        if (dependent.length === 0) continue;
        if (!alsoDropped.has(child.name)) dependentConstraints.push({ child, names: dependent.map((constraint) => constraint.name) });
        editor.put({ ...current, constraints: current.constraints.filter((constraint) => !dependent.includes(constraint)) });
      }
      const details = [
        ...dependentConstraints.flatMap(({ child, names }) => names.map((name) => `constraint ${name} on table ${child.name}`)),
        ...dependentViews.map((view) => `view ${view.name}`),
      ];
      if (details.length > 0 && !cascade) {
        throw new SqlError(SqlState.dependentObjectsStillExist, `cannot drop table ${relation.name} because other objects depend on it`, {
          detail: details.map((what) => `${what} depends on table ${relation.name}`).join('\n'),
          hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
        });
      }
      cascaded.push(...details);
      for (const view of dependentViews) editor.remove(view.oid);
      for (const index of catalog.indexesOf(relation.oid)) {
        editor.remove(index.oid);
        if (index.treeId) txn.dropTree(index.treeId);
      }
      for (const sequence of catalog.all('sequence')) {
        if (sequence.ownedBy?.tableOid === relation.oid) editor.remove(sequence.oid);
      }
      editor.remove(relation.oid);
      txn.dropTree(relation.treeId);
      break;
    }
    case 'index': {
      const table = editor.get(relation.tableOid) as TableObject | undefined;
      const constraint = table?.constraints.find((candidate) => candidate.indexOid === relation.oid);
      if (constraint) {
        throw new SqlError(SqlState.dependentObjectsStillExist, `cannot drop index ${relation.name} because constraint ${constraint.name} on table ${table!.name} requires it`, {
          hint: `You can drop constraint ${constraint.name} on table ${table!.name} instead.`,
        });
      }
      editor.remove(relation.oid);
      if (relation.treeId) txn.dropTree(relation.treeId);
      break;
    }
    case 'sequence':
      for (const table of catalog.all('table')) {
        const users = table.columns.filter((column) => !column.dropped && column.default?.text.includes(`'${relation.name}'`));
        if (users.length > 0 && relation.ownedBy?.tableOid !== table.oid) {
          if (!cascade) {
            throw new SqlError(SqlState.dependentObjectsStillExist, `cannot drop sequence ${relation.name} because other objects depend on it`, {
              detail: users.map((column) => `default value for column ${column.name} of table ${table.name} depends on sequence ${relation.name}`).join('\n'),
              hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
            });
          }
        }
      }
      editor.remove(relation.oid);
      break;
    case 'view':
      editor.remove(relation.oid);
      break;
  }
}

async function dropSchemas(host: StatementHost, body: AstBody): Promise<Execution> {
  const catalog = host.catalog();
  const editor = new CatalogEditor(catalog);
  const cascade = body.behavior === 'DROP_CASCADE';
  const cascaded: string[] = [];
  for (const item of body.objects as AstBody[]) {
    const name = item.String?.sval ?? nameList(item.List?.items ?? [item])[0];
    const schema = catalog.schema(host.databaseOid, name);
    if (!schema) {
      if (body.missing_ok) {
        notice(host, `schema "${name}" does not exist, skipping`);
        continue;
      }
      throw new SqlError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
    }
    const contents = [...catalog.objects.values()].filter((object): object is RelationObject => 'schemaOid' in object && object.schemaOid === schema.oid && object.kind !== 'index');
    if (contents.length > 0 && !cascade) {
      throw new SqlError(SqlState.dependentObjectsStillExist, `cannot drop schema ${name} because other objects depend on it`, {
        detail: contents.map((object) => `${object.kind} ${object.name} depends on schema ${name}`).join('\n'),
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      });
    }
    for (const object of contents) {
      if (!editor.get(object.oid)) continue;
      cascaded.push(`${object.kind} ${name}.${object.name}`);
      dropRelation(host, editor, editor.finish(), object, true, [], new Set());
    }
    editor.remove(schema.oid);
  }
  if (cascaded.length === 1) notice(host, `drop cascades to ${cascaded[0]}`);
  else if (cascaded.length > 1) host.notice({ severity: 'NOTICE', code: '00000', message: `drop cascades to ${cascaded.length} other objects`, detail: cascaded.map((c) => `drop cascades to ${c}`).join('\n') });
  host.applyCatalog(editor.finish());
  return completed('DROP SCHEMA');
}

/** Does a view's query mention a relation of this name (dependency tracking by name)? */
function viewReferences(query: unknown, name: string): boolean {
  return JSON.stringify(query).includes(`"relname":${JSON.stringify(name)}`);
}
