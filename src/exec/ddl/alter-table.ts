// ALTER TABLE: ADD/DROP COLUMN, ADD/DROP CONSTRAINT (PRIMARY KEY on a filled table rewrites it),
// SET/DROP DEFAULT, SET/DROP NOT NULL, ALTER COLUMN TYPE; and RENAME of tables, columns,
// constraints, indexes, sequences, views.
import { CatalogEditor, liveColumns, type IndexObject, type SequenceObject, type TableObject } from '../../catalog/index.js';
import { nodeBody, positionOf, type AstBody } from '../../parser/index.js';
import { ExprBinder, Scope, findCast, getType, canCoerce, typeDisplayName } from '../../plan/index.js';
import type { Value } from '../../types/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import { completed, type Execution, type StatementHost } from '../api.js';
import { compile } from '../compile-expr.js';
import { TableWriter } from '../table-writer.js';
import { decodeStoredRow, layoutOf } from '../table-storage.js';
import { lookupRelation, notice, requireTable } from './common.js';
import { addColumnDefinition, addConstraint, columnType, defaultText, setConstraintHooks, type PendingConstraint } from './create-table.js';
import { deparseExpr } from './deparse.js';
import { buildIndex, rewriteTable } from './table-rewrite.js';
import { defaultExpr } from '../../plan/index.js';

setConstraintHooks(
  async (host, editor, before, after, index) => {
    if (index.primary) return rewriteTable(host, editor, before, after);
    await buildIndex(host, after, index);
    return after;
  },
  async (host, before, after) => {
    const added = after.constraints.filter((constraint) => !before.constraints.some((old) => old.oid === constraint.oid));
    const layout = layoutOf(before);
    const txn = host.txn();
    const runtime = host.runtime([]);
    const live = liveColumns(after);
    for (const constraint of added) {
      if (constraint.type === 'c') {
        const binder = new ExprBinder(host.bindContext([]));
        const scope = new Scope(null);
        scope.add({ name: after.name, columns: live.map((column) => ({ name: column.name, type: column.typeOid, typmod: column.typmod, tableOid: after.oid, attnum: column.attnum })) });
        const predicate = compile(binder.bindCondition(constraint.check!.ast, scope, 'CHECK'));
        const iterator = txn.scan(before.treeId);
        try {
          for (let entry = iterator.next(); entry; entry = iterator.next()) {
            const slots = decodeStoredRow(layout, entry.value, txn);
            if (predicate(live.map((column) => slots[column.attnum - 1] ?? null), runtime) === false) {
              throw new SqlError(SqlState.checkViolation, `check constraint "${constraint.name}" of relation "${after.name}" is violated by some row`, { constraint: constraint.name });
            }
          }
        } finally {
          iterator.close();
        }
      } else if (constraint.type === 'f') {
        // Re-validate every row through the writer's foreign-key check.
        const writer = new TableWriter({ txn: () => txn, catalog: () => host.catalog(), bindContext: () => host.bindContext([]), runtime, allocateRowId: (t) => host.allocateRowId(t) }, { ...after, constraints: [constraint] });
        const iterator = txn.scan(before.treeId);
        let count = 0;
        try {
          for (let entry = iterator.next(); entry; entry = iterator.next()) {
            const slots = decodeStoredRow(layout, entry.value, txn);
            (writer as unknown as { checkForeignKeys(slots: Value[], unused: null): void }).checkForeignKeys(slots, null);
            if (++count % 5000 === 0) await host.pause();
          }
        } finally {
          iterator.close();
        }
      }
    }
  },
);

export async function alterTable(host: StatementHost, body: AstBody): Promise<Execution> {
  if (body.objtype === 'OBJECT_SEQUENCE' || body.objtype === 'OBJECT_VIEW' || body.objtype === 'OBJECT_INDEX') {
    return completed(body.objtype === 'OBJECT_SEQUENCE' ? 'ALTER SEQUENCE' : body.objtype === 'OBJECT_VIEW' ? 'ALTER VIEW' : 'ALTER INDEX');
  }
  const catalog = host.catalog();
  const relation = lookupRelation(host, catalog, body.relation);
  if (!relation) {
    if (body.missing_ok) {
      notice(host, `relation "${body.relation.relname}" does not exist, skipping`);
      return completed('ALTER TABLE');
    }
    throw new SqlError(SqlState.undefinedTable, `relation "${body.relation.relname}" does not exist`);
  }
  if (relation.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `"${relation.name}" is not a table`);
  const editor = new CatalogEditor(catalog);
  let table: TableObject = relation;
  for (const item of body.cmds as AstBody[]) {
    const cmd = item.AlterTableCmd;
    table = await applyCommand(host, editor, table, cmd);
    editor.put(table);
  }
  host.applyCatalog(editor.finish());
  return completed('ALTER TABLE');
}

function column(table: TableObject, name: string) {
  const found = table.columns.find((candidate) => candidate.name === name && !candidate.dropped);
  if (!found) throw new SqlError(SqlState.undefinedColumn, `column "${name}" of relation "${table.name}" does not exist`);
  return found;
}

function copyTable(table: TableObject): TableObject {
  return { ...table, columns: table.columns.map((c) => ({ ...c })), constraints: [...table.constraints], primaryKey: [...table.primaryKey] };
}

async function applyCommand(host: StatementHost, editor: CatalogEditor, table: TableObject, cmd: AstBody): Promise<TableObject> {
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = nodeBody(cmd.def);
      if (cmd.missing_ok && liveColumns(table).some((c) => c.name === def.colname)) {
        notice(host, `column "${def.colname}" of relation "${table.name}" already exists, skipping`, '42701');
        return table;
      }
      if (liveColumns(table).some((c) => c.name === def.colname)) {
        throw new SqlError(SqlState.duplicateColumn, `column "${def.colname}" of relation "${table.name}" already exists`);
      }
      const next = copyTable(table);
      const pending: PendingConstraint[] = [];
      const sequences: SequenceObject[] = [];
      const added = addColumnDefinition(host, editor, next, def, pending, sequences);
      for (const sequence of sequences) {
        editor.put(sequence);
        host.resetSequence(sequence.oid, sequence.start, false);
      }
      editor.put(next);
      const binder = new ExprBinder(host.bindContext([]));
      const fill = compile(defaultExpr(binder, added));
      const runtime = host.runtime([]);
      let current = await rewriteTable(host, editor, table, next, (slots) => {
        const copy = slots.slice();
        copy[added.attnum - 1] = fill([], runtime);
        return copy;
      });
      for (const constraint of pending) current = await addConstraint(host, editor, current, { ...constraint, column: current.columns[added.attnum - 1]! }, false);
      return current;
    }
    case 'AT_DropColumn': {
      const target = table.columns.find((c) => c.name === cmd.name && !c.dropped);
      if (!target) {
        if (cmd.missing_ok) {
          notice(host, `column "${cmd.name}" of relation "${table.name}" does not exist, skipping`);
          return table;
        }
        throw new SqlError(SqlState.undefinedColumn, `column "${cmd.name}" of relation "${table.name}" does not exist`);
      }
      const next = copyTable(table);
      next.columns[target.attnum - 1] = { ...target, dropped: true, notNull: false, default: null, name: `........pg.dropped.${target.attnum}........` };
      const involved = (attnums: number[]) => attnums.includes(target.attnum);
      for (const index of editor.finish().indexesOf(table.oid)) {
        if (involved(index.columns)) {
          editor.remove(index.oid);
          if (index.treeId) host.txn().dropTree(index.treeId);
        }
      }
      next.constraints = next.constraints.filter((constraint) => !involved(constraint.columns) && !(constraint.check && JSON.stringify(constraint.check.ast).includes(`"sval":"${target.name}"`)));
      for (const sequence of editor.finish().all('sequence')) {
        if (sequence.ownedBy?.tableOid === table.oid && sequence.ownedBy.attnum === target.attnum) editor.remove(sequence.oid);
      }
      if (involved(table.primaryKey)) {
        next.primaryKey = [];
        editor.put(next);
        return rewriteTable(host, editor, table, next);
      }
      return next;
    }
    case 'AT_AddConstraint': {
      const constraint = nodeBody(cmd.def);
      return addConstraint(host, editor, table, { node: constraint }, false);
    }
    case 'AT_DropConstraint': {
      const constraint = table.constraints.find((candidate) => candidate.name === cmd.name);
      if (!constraint) {
        if (cmd.missing_ok) {
          notice(host, `constraint "${cmd.name}" of relation "${table.name}" does not exist, skipping`);
          return table;
        }
        throw new SqlError(SqlState.undefinedObject, `constraint "${cmd.name}" of relation "${table.name}" does not exist`);
      }
      const next = copyTable(table);
      next.constraints = next.constraints.filter((candidate) => candidate.oid !== constraint.oid);
      if (constraint.type === 'p' || constraint.type === 'u') {
        const catalog = editor.finish();
        for (const child of catalog.referencingTables(table.oid)) {
          const dependent = child.constraints.filter((c) => c.foreignKey?.tableOid === table.oid && c.foreignKey.columns.every((a) => constraint.columns.includes(a)));
          if (dependent.length === 0) continue;
          if (cmd.behavior !== 'DROP_CASCADE') {
            throw new SqlError(SqlState.dependentObjectsStillExist, `cannot drop constraint ${constraint.name} on table ${table.name} because other objects depend on it`, {
              detail: `constraint ${dependent[0]!.name} on table ${child.name} depends on index ${constraint.name}`,
              hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
            });
          }
          editor.put({ ...child, constraints: child.constraints.filter((c) => !dependent.includes(c)) });
        }
        const index = catalog.get(constraint.indexOid) as IndexObject | undefined;
        if (index) {
          editor.remove(index.oid);
          if (index.treeId) host.txn().dropTree(index.treeId);
        }
        if (constraint.type === 'p') {
          next.primaryKey = [];
          editor.put(next);
          return rewriteTable(host, editor, table, next);
        }
      }
      return next;
    }
    case 'AT_ColumnDefault': {
      const next = copyTable(table);
      const target = column(next, cmd.name);
      if (cmd.def) {
        target.default = { ast: cmd.def, text: defaultText(host, target, cmd.def) };
      } else {
        target.default = null;
      }
      return next;
    }
    case 'AT_SetNotNull': {
      const next = copyTable(table);
      const target = column(next, cmd.name);
      if (!target.notNull) {
        const layout = layoutOf(table);
        const iterator = host.txn().scan(table.treeId);
        try {
          for (let entry = iterator.next(); entry; entry = iterator.next()) {
            if ((decodeStoredRow(layout, entry.value, host.txn())[target.attnum - 1] ?? null) === null) {
              throw new SqlError(SqlState.notNullViolation, `column "${target.name}" of relation "${table.name}" contains null values`);
            }
          }
        } finally {
          iterator.close();
        }
      }
      target.notNull = true;
      return next;
    }
    case 'AT_DropNotNull': {
      const next = copyTable(table);
      const target = column(next, cmd.name);
      if (table.primaryKey.includes(target.attnum)) throw new SqlError(SqlState.invalidTableDefinition, `column "${target.name}" is in a primary key`);
      target.notNull = false;
      return next;
    }
    case 'AT_AlterColumnType': {
      const next = copyTable(table);
      const target = column(next, cmd.name);
      const def = nodeBody(cmd.def);
      const type = columnType(def.typeName);
      if (def.raw_default) throw new SqlError(SqlState.featureNotSupported, 'ALTER COLUMN TYPE … USING is not supported yet');
      if (!canCoerce(target.typeOid, type.oid, 'assignment')) {
        throw new SqlError(SqlState.datatypeMismatch, `column "${target.name}" cannot be cast automatically to type ${typeDisplayName(type.oid)}`);
      }
      const cast = target.typeOid === type.oid ? null : findCast(target.typeOid, type.oid);
      const targetType = getType(type.oid);
      const settings = host.runtime([]).functions.settings;
      const slot = target.attnum - 1;
      next.columns[slot] = { ...target, typeOid: type.oid, typmod: type.typmod };
      editor.put(next);
      return rewriteTable(host, editor, table, next, (slots) => {
        const copy = slots.slice();
        const value = copy[slot] ?? null;
        if (value !== null) {
          const converted = cast ? cast.convert(value, type.typmod, settings) : value;
          copy[slot] = type.typmod >= 0 ? targetType.applyTypmod(converted, type.typmod, false) : converted;
        }
        return copy;
      });
    }
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions':
    case 'AT_SetStatistics':
    case 'AT_SetStorage':
    case 'AT_ClusterOn':
    case 'AT_SetLogged':
    case 'AT_SetUnLogged':
    case 'AT_ChangeOwner':
    case 'AT_ReplicaIdentity':
    case 'AT_EnableTrig':
    case 'AT_DisableTrig':
    case 'AT_EnableTrigAll':
    case 'AT_DisableTrigAll':
      return table;
    default:
      throw new SqlError(SqlState.featureNotSupported, `ALTER TABLE ${String(cmd.subtype).replace('AT_', '')} is not supported`);
  }
}

export async function renameObject(host: StatementHost, body: AstBody): Promise<Execution> {
  const catalog = host.catalog();
  const editor = new CatalogEditor(catalog);
  const type: string = body.renameType;
  const tagOf: Record<string, string> = { OBJECT_TABLE: 'ALTER TABLE', OBJECT_COLUMN: 'ALTER TABLE', OBJECT_TABCONSTRAINT: 'ALTER TABLE', OBJECT_INDEX: 'ALTER INDEX', OBJECT_SEQUENCE: 'ALTER SEQUENCE', OBJECT_VIEW: 'ALTER VIEW', OBJECT_SCHEMA: 'ALTER SCHEMA' };
  if (type === 'OBJECT_SCHEMA') {
    const schema = catalog.schema(host.databaseOid, body.subname);
    if (!schema) throw new SqlError(SqlState.invalidSchemaName, `schema "${body.subname}" does not exist`);
    if (catalog.schema(host.databaseOid, body.newname)) throw new SqlError(SqlState.duplicateSchema, `schema "${body.newname}" already exists`);
    editor.put({ ...schema, name: body.newname });
    host.applyCatalog(editor.finish());
    return completed('ALTER SCHEMA');
  }
  const relation = lookupRelation(host, catalog, body.relation);
  if (!relation) {
    if (body.missing_ok) {
      notice(host, `relation "${body.relation.relname}" does not exist, skipping`);
      return completed(tagOf[type] ?? 'ALTER TABLE');
    }
    throw new SqlError(SqlState.undefinedTable, `relation "${body.relation.relname}" does not exist`);
  }
  if (type === 'OBJECT_COLUMN') {
    const table = requireTable(host, catalog, body.relation);
    const next = copyTable(table);
    const target = next.columns.find((candidate) => candidate.name === body.subname && !candidate.dropped);
    if (!target) throw new SqlError(SqlState.undefinedColumn, `column "${body.subname}" does not exist`);
    if (liveColumns(next).some((c) => c.name === body.newname)) throw new SqlError(SqlState.duplicateColumn, `column "${body.newname}" of relation "${table.name}" already exists`);
    target.name = body.newname;
    editor.put(next);
  } else if (type === 'OBJECT_TABCONSTRAINT') {
    const table = requireTable(host, catalog, body.relation);
    const next = copyTable(table);
    const index = next.constraints.findIndex((c) => c.name === body.subname);
    if (index < 0) throw new SqlError(SqlState.undefinedObject, `constraint "${body.subname}" for table "${table.name}" does not exist`);
    next.constraints[index] = { ...next.constraints[index]!, name: body.newname };
    editor.put(next);
  } else {
    if (catalog.relation(relation.schemaOid, body.newname)) throw new SqlError(SqlState.duplicateTable, `relation "${body.newname}" already exists`);
    editor.put({ ...relation, name: body.newname });
  }
  host.applyCatalog(editor.finish());
  return completed(tagOf[type] ?? 'ALTER TABLE');
}
