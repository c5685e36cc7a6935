// CREATE TABLE: columns (types, typmods, DEFAULT, NOT NULL, identity, serial), PRIMARY KEY,
// UNIQUE, CHECK and FOREIGN KEY constraints (column or table level), WITH (options).
import {
  CatalogEditor, liveColumns, type Catalog, type ColumnDefinition, type ConstraintDefinition, type ForeignKeyAction, type IndexObject,
  type SequenceObject, type TableObject,
} from '../../catalog/index.js';
import { nameList, nodeBody, nodeKind, parseStatements, positionOf, stringValue, type AstBody } from '../../parser/index.js';
import { deparseBound, ExprBinder, lookupTypeName, quoteIdentifier, Scope, T } from '../../plan/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import { completed, type Execution, type StatementHost } from '../api.js';
import { chooseRelationName, creationSchema, notice, ownerOf } from './common.js';
import { deparseExpr, firstColumnName } from './deparse.js';
import { sequenceBounds } from './sequence.js';

const serialTypes: Record<string, number> = { serial: T.int4, serial4: T.int4, bigserial: T.int8, serial8: T.int8, smallserial: T.int2, serial2: T.int2 };

export function expressionAst(text: string): unknown {
  const [statement] = parseStatements(`SELECT ${text}`);
  return (statement!.ast as AstBody).SelectStmt.targetList[0].ResTarget.val;
}

export function columnType(typeName: AstBody): { oid: number; typmod: number; serial: boolean } {
  const names = nameList(typeName.names);
  const last = names[names.length - 1]!.toLowerCase();
  if (names.length === 1 && serialTypes[last] !== undefined && !typeName.arrayBounds) return { oid: serialTypes[last]!, typmod: -1, serial: true };
  const typmods = ((typeName.typmods ?? []) as AstBody[]).map((mod) => {
    const value = nodeBody(mod);
    return value?.ival !== undefined ? (value.ival.ival ?? 0) : Number(stringValue(mod) || value?.sval?.sval);
  });
  const { oid, typmod } = lookupTypeName(names, typmods, (typeName.arrayBounds ?? []).length, positionOf(typeName).position);
  return { oid, typmod, serial: false };
}

const actionCode = (action: string | undefined): ForeignKeyAction => (action === 'r' || action === 'c' || action === 'n' || action === 'd' ? action : 'a');

export interface PendingConstraint {
  node: AstBody;
  /** For column constraints: the column. */
  column?: ColumnDefinition;
}

export async function createTable(host: StatementHost, body: AstBody): Promise<Execution> {
  const catalog = host.catalog();
  const relation = body.relation;
  const schema = creationSchema(host, catalog, relation.schemaname);
  const existing = catalog.relation(schema.oid, relation.relname);
  if (existing) {
    if (body.if_not_exists) {
      notice(host, `relation "${relation.relname}" already exists, skipping`, '42P07');
      return completed('CREATE TABLE');
    }
    throw new SqlError(SqlState.duplicateTable, `relation "${relation.relname}" already exists`);
  }
  if (body.inhRelations || body.partspec || body.partbound) throw new SqlError(SqlState.featureNotSupported, 'table inheritance and partitioning are not supported');
  const editor = new CatalogEditor(catalog);
  const table: TableObject = {
    kind: 'table', oid: host.allocateOid(), name: relation.relname, schemaOid: schema.oid, ownerOid: ownerOf(host),
    treeId: host.allocateTreeId(), columns: [], primaryKey: [], constraints: [], comment: null,
    options: ((body.options ?? []) as AstBody[]).map((item) => `${item.DefElem.defname}=${optionText(item.DefElem.arg)}`),
  };
  const pending: PendingConstraint[] = [];
  const newSequences: SequenceObject[] = [];
  for (const element of (body.tableElts ?? []) as AstBody[]) {
    const kind = nodeKind(element);
    if (kind === 'ColumnDef') {
      const column = addColumnDefinition(host, editor, table, nodeBody(element), pending, newSequences);
      void column;
    } else if (kind === 'Constraint') {
      pending.push({ node: nodeBody(element) });
    } else if (kind === 'TableLikeClause') {
      throw new SqlError(SqlState.featureNotSupported, 'CREATE TABLE … LIKE is not supported');
    }
  }
  if (table.columns.length > 1600) throw new SqlError('54011', 'tables can have at most 1600 columns');
  editor.put(table);
  host.txn().createTree(table.treeId);
  let current = table;
  for (const constraint of pending) current = await addConstraint(host, editor, current, constraint, true);
  editor.put(current);
  for (const sequence of newSequences) {
    editor.put(sequence);
    host.resetSequence(sequence.oid, sequence.start, false);
  }
  host.applyCatalog(editor.finish());
  if (relation.relpersistence === 't') host.temporaryTableCreated?.(schema.name, table.name);
  return completed('CREATE TABLE');
}

function optionText(arg: AstBody): string {
  if (!arg) return 'true';
  const body = nodeBody(arg);
  if (nodeKind(arg) === 'Integer') return String(body.ival ?? 0);
  if (nodeKind(arg) === 'String') return body.sval;
  if (nodeKind(arg) === 'Float') return body.fval;
  if (nodeKind(arg) === 'TypeName') return nameList(body.names).pop()!;
  return stringValue(arg);
}

/** Adds a column (from a ColumnDef) to `table` in place; its constraints go to `pending`. */
export function addColumnDefinition(host: StatementHost, editor: CatalogEditor, table: TableObject, def: AstBody, pending: PendingConstraint[], newSequences: SequenceObject[]): ColumnDefinition {
  const name: string = def.colname;
  if (liveColumns(table).some((column) => column.name === name)) {
    throw new SqlError(SqlState.duplicateColumn, `column "${name}" specified more than once`);
  }
  const type = columnType(def.typeName);
  const column: ColumnDefinition = {
    attnum: table.columns.length + 1, name, typeOid: type.oid, typmod: type.typmod, notNull: def.is_not_null === true,
    default: null, identity: '', dropped: false,
  };
  table.columns.push(column);
  const makeSequence = (options: AstBody[] | undefined) => {
    const sequenceName = chooseRelationName(editor, table.schemaOid, [table.name, name], 'seq', new Set(newSequences.map((s) => s.name)));
    const bounds = sequenceBounds(options ?? [], column.typeOid, null);
    const sequence: SequenceObject = {
      kind: 'sequence', oid: host.allocateOid(), name: sequenceName, schemaOid: table.schemaOid, ownerOid: table.ownerOid,
      ...bounds, ownedBy: { tableOid: table.oid, attnum: column.attnum },
    };
    newSequences.push(sequence);
    const schemaName = editor.get(table.schemaOid);
    const qualified = schemaName?.kind === 'schema' && schemaName.name !== 'public' ? `${quoteIdentifier(schemaName.name)}.${quoteIdentifier(sequenceName)}` : quoteIdentifier(sequenceName);
    const text = `nextval('${qualified.replace(/'/g, "''")}'::regclass)`;
    column.default = { ast: expressionAst(text), text };
    column.notNull = true;
  };
  if (type.serial) makeSequence(undefined);
  for (const item of (def.constraints ?? []) as AstBody[]) {
    const constraint = nodeBody(item);
    switch (constraint.contype) {
      case 'CONSTR_NOTNULL':
        column.notNull = true;
        break;
      case 'CONSTR_NULL':
        break;
      case 'CONSTR_DEFAULT': {
        if (type.serial) throw new SqlError(SqlState.syntaxError, `multiple default values specified for column "${name}" of table "${table.name}"`);
        column.default = { ast: constraint.raw_expr, text: defaultText(host, column, constraint.raw_expr) };
        break;
      }
      case 'CONSTR_IDENTITY':
        if (!([T.int2, T.int4, T.int8] as number[]).includes(column.typeOid)) {
          throw new SqlError(SqlState.datatypeMismatch, `identity column type must be smallint, integer, or bigint`);
        }
        makeSequence(constraint.options);
        column.identity = constraint.generated_when === 'a' ? 'a' : 'd';
        break;
      case 'CONSTR_GENERATED':
        throw new SqlError(SqlState.featureNotSupported, 'generated columns are not supported');
      default:
        pending.push({ node: constraint, column });
    }
  }
  return column;
}

/** Validates a DEFAULT and returns its display text (constants as PostgreSQL shows them: 'x'::text). */
export function defaultText(host: StatementHost, column: ColumnDefinition, ast: AstBody): string {
  const binder = new ExprBinder(host.bindContext([]));
  const expr = binder.bind(ast, new Scope(null));
  const coerced = binder.coerce(expr, column.typeOid, column.typmod, 'assignment');
  const kind = nodeKind(ast);
  // Implicit casts of typed constants stay hidden (PostgreSQL shows `0` for a numeric column's
  // DEFAULT 0); untyped literals become constants of the column type ('x'::text).
  if (kind === 'A_Const' || (kind === 'TypeCast' && nodeKind(nodeBody(ast).arg) === 'A_Const')) return deparseBound(expr.type === 705 ? coerced : expr);
  return deparseExpr(ast);
}


/** Adds a table or column constraint; returns the updated table (also put into the editor). */
export async function addConstraint(host: StatementHost, editor: CatalogEditor, table: TableObject, pending: PendingConstraint, creating: boolean): Promise<TableObject> {
  const node = pending.node;
  const next: TableObject = { ...table, columns: table.columns.map((column) => ({ ...column })), constraints: [...table.constraints] };
  const live = liveColumns(next);
  const attnumOf = (name: string) => {
    const column = live.find((candidate) => candidate.name === name);
    if (!column) throw new SqlError(SqlState.undefinedColumn, `column "${name}" named in key does not exist`, positionOf(node));
    return column.attnum;
  };
  const keys: number[] = pending.column ? [pending.column.attnum] : nameList(node.keys ?? node.fk_attrs).map(attnumOf);
  const columnNames = keys.map((attnum) => next.columns[attnum - 1]!.name);
  const taken = new Set(next.constraints.map((constraint) => constraint.name));
  switch (node.contype) {
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE': {
      const primary = node.contype === 'CONSTR_PRIMARY';
      if (primary && next.constraints.some((constraint) => constraint.type === 'p')) {
        throw new SqlError(SqlState.invalidTableDefinition, `multiple primary keys for table "${next.name}" are not allowed`, positionOf(node));
      }
      const name: string = node.conname ?? chooseRelationName(editor, next.schemaOid, primary ? [next.name] : [next.name, ...columnNames], primary ? 'pkey' : 'key', taken);
      const index: IndexObject = {
        kind: 'index', oid: host.allocateOid(), name, schemaOid: next.schemaOid, tableOid: next.oid,
        treeId: primary ? 0 : host.allocateTreeId(), columns: keys, unique: true, primary, descending: keys.map(() => false),
      };
      if (primary) {
        for (const attnum of keys) next.columns[attnum - 1]!.notNull = true;
        next.primaryKey = keys;
      } else {
        host.txn().createTree(index.treeId);
      }
      next.constraints.push({ oid: host.allocateOid(), name, type: primary ? 'p' : 'u', columns: keys, indexOid: index.oid, check: null, foreignKey: null });
      editor.put(index);
      editor.put(next);
      if (!creating) return rebuildHook(host, editor, table, next, index);
      return next;
    }
    case 'CONSTR_CHECK': {
      const text = deparseExpr(node.raw_expr);
      const name: string = node.conname ?? chooseRelationName(editor, next.schemaOid, [next.name, pending.column?.name ?? firstColumnName(node.raw_expr) ?? ''], 'check', taken);
      const binder = new ExprBinder(host.bindContext([]));
      const scope = new Scope(null);
      scope.add({ name: next.name, columns: live.map((column) => ({ name: column.name, type: column.typeOid, typmod: column.typmod, tableOid: next.oid, attnum: column.attnum })) });
      const bound = binder.bindCondition(node.raw_expr, scope, 'CHECK');
      next.constraints.push({ oid: host.allocateOid(), name, type: 'c', columns: [], indexOid: 0, check: { ast: node.raw_expr, text: deparseBound(bound) || text }, foreignKey: null });
      editor.put(next);
      if (!creating) await verifyHook(host, table, next);
      return next;
    }
    case 'CONSTR_FOREIGN': {
      const catalog: Catalog = editor.finish();
      const referencedVar = node.pktable;
      const parentRelation = referencedVar.relname === next.name && !referencedVar.schemaname
        ? next
        : catalog.lookupRelation(host.databaseOid, host.bindContext([]).searchPath, referencedVar.schemaname, referencedVar.relname);
      if (!parentRelation) throw new SqlError(SqlState.undefinedTable, `relation "${referencedVar.relname}" does not exist`);
      if (parentRelation.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `referenced relation "${referencedVar.relname}" is not a table`);
      const parent = parentRelation.oid === next.oid ? next : parentRelation;
      const parentLive = liveColumns(parent);
      let referenced: number[];
      if (node.pk_attrs) {
        referenced = nameList(node.pk_attrs).map((name) => {
          const column = parentLive.find((candidate) => candidate.name === name);
          if (!column) throw new SqlError(SqlState.undefinedColumn, `column "${name}" referenced in foreign key constraint does not exist`);
          return column.attnum;
        });
      } else {
        if (parent.primaryKey.length === 0) throw new SqlError(SqlState.undefinedObject, `there is no primary key for referenced table "${parent.name}"`);
        referenced = parent.primaryKey;
      }
      if (referenced.length !== keys.length) throw new SqlError('42830', 'number of referencing and referenced columns for foreign key disagree');
      const sameSet = (columns: number[]) => columns.length === referenced.length && columns.every((attnum) => referenced.includes(attnum));
      const backed = sameSet(parent.primaryKey) || catalog.indexesOf(parent.oid).some((index) => index.unique && sameSet(index.columns));
      if (!backed) throw new SqlError('42830', `there is no unique constraint matching given keys for referenced table "${parent.name}"`);
      keys.forEach((attnum, i) => {
        const child = next.columns[attnum - 1]!;
        const target = parent.columns[referenced[i]! - 1]!;
        if (child.typeOid !== target.typeOid && !compatibleKeyTypes(child.typeOid, target.typeOid)) {
          throw new SqlError(SqlState.datatypeMismatch, `foreign key constraint "${node.conname ?? ''}" cannot be implemented`, {
            detail: `Key columns "${child.name}" and "${target.name}" are of incompatible types.`,
          });
        }
      });
      const name: string = node.conname ?? chooseRelationName(editor, next.schemaOid, [next.name, ...columnNames], 'fkey', taken);
      const constraint: ConstraintDefinition = {
        oid: host.allocateOid(), name, type: 'f', columns: keys, indexOid: 0, check: null,
        foreignKey: { tableOid: parent.oid, columns: referenced, onDelete: actionCode(node.fk_del_action), onUpdate: actionCode(node.fk_upd_action) },
      };
      next.constraints.push(constraint);
      editor.put(next);
      if (!creating) await verifyHook(host, table, next);
      return next;
    }
    case 'CONSTR_EXCLUSION':
      throw new SqlError(SqlState.featureNotSupported, 'exclusion constraints are not supported');
    default:
      throw new SqlError(SqlState.featureNotSupported, `constraint type ${node.contype} is not supported`);
  }
}

function compatibleKeyTypes(a: number, b: number): boolean {
  const integers: number[] = [T.int2, T.int4, T.int8];
  const strings: number[] = [T.text, T.varchar, T.bpchar];
  return (integers.includes(a) && integers.includes(b)) || (strings.includes(a) && strings.includes(b));
}

// Late-bound to avoid an import cycle with alter-table.ts (which imports this file).
type RebuildHook = (host: StatementHost, editor: CatalogEditor, before: TableObject, after: TableObject, index: IndexObject) => Promise<TableObject>;
type VerifyHook = (host: StatementHost, before: TableObject, after: TableObject) => Promise<void>;
let rebuildHook: RebuildHook = async (_host, _editor, _before, after) => after;
let verifyHook: VerifyHook = async () => {};
export function setConstraintHooks(rebuild: RebuildHook, verify: VerifyHook): void {
  rebuildHook = rebuild;
  verifyHook = verify;
}
