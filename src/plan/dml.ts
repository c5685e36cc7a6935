// INSERT / UPDATE / DELETE binding: target columns, defaults, assignment casts, ON CONFLICT,
// RETURNING; UPDATE … FROM and DELETE … USING plan as joins whose target scan emits row keys.
import { liveColumns, type ColumnDefinition, type IndexObject, type TableObject } from '../catalog/index.js';
import { nameList, nodeBody, nodeKind, positionOf, type AstBody } from '../parser/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import { ExprBinder, type BindContext } from './bind-expr.js';
import type { Expr } from './expr.js';
import { andAll, conjuncts } from './expr-utils.js';
import { bindFrom, buildFromPlan, distributeConjuncts } from './from.js';
import type { OutputColumn, PlanNode } from './nodes.js';
import { Scope } from './scope.js';
import { figureColumnName, planQuery } from './select.js';
import { T, UNKNOWN } from './type-access.js';

export interface Returning {
  exprs: Expr[];
  columns: OutputColumn[];
}

export interface InsertPlan {
  kind: 'insert';
  table: TableObject;
  /** Produces full rows in live-column order (defaults already applied). */
  source: PlanNode;
  onConflict: null | {
    action: 'nothing' | 'update';
    /** The unique index / primary key (null index = the table's key) that detects the conflict; undefined = any. */
    arbiter: { index: IndexObject | null } | undefined;
    /** Over [existing live columns…, excluded live columns…]: new values per live column (null = unchanged). */
    set: Array<Expr | null>;
    where: Expr | null;
  };
  returning: Returning | null;
}

export interface UpdatePlan {
  kind: 'update';
  table: TableObject;
  /** Rows: target live columns, then the key, then other FROM items. */
  source: PlanNode;
  /** New value per live column (null = unchanged), over the source row. */
  set: Array<Expr | null>;
  returning: Returning | null;
  /** Single-table WHERE, re-checked on a row a concurrent commit changed (READ COMMITTED). */
  recheck: Expr | null;
  /** True when the statement has no other FROM items (the source row is the target row). */
  singleTable: boolean;
}

export interface DeletePlan {
  kind: 'delete';
  table: TableObject;
  source: PlanNode;
  returning: Returning | null;
  recheck: Expr | null;
  singleTable: boolean;
}

function targetTable(context: BindContext, relation: AstBody): TableObject {
  const found = context.catalog.lookupRelation(context.databaseOid, context.searchPath, relation.schemaname, relation.relname);
  if (!found) {
    const shown = relation.schemaname ? `${relation.schemaname}.${relation.relname}` : relation.relname;
    throw new SqlError(SqlState.undefinedTable, `relation "${shown}" does not exist`, positionOf(relation));
  }
  if (found.kind !== 'table') {
    const what = found.kind === 'view' ? 'view' : found.kind === 'sequence' ? 'sequence' : 'index';
    throw new SqlError(SqlState.wrongObjectType, `cannot change ${what} "${found.name}"`, positionOf(relation));
  }
  return found;
}

function tableScope(table: TableObject, name: string, parent: Scope | null = null): Scope {
  const scope = new Scope(parent);
  scope.add({ name, columns: liveColumns(table).map((column) => columnOf(table, column)), relationOid: table.oid });
  return scope;
}

function columnOf(table: TableObject, column: ColumnDefinition): OutputColumn {
  return { name: column.name, type: column.typeOid, typmod: column.typmod, tableOid: table.oid, attnum: column.attnum };
}

/** The column's DEFAULT (or NULL), coerced to the column type. */
export function defaultExpr(binder: ExprBinder, column: ColumnDefinition): Expr {
  if (!column.default) return { kind: 'const', value: null, type: column.typeOid, typmod: column.typmod };
  const expr = binder.bind(column.default.ast, new Scope(null));
  return binder.coerce(expr, column.typeOid, column.typmod, 'assignment');
}

function assign(binder: ExprBinder, expr: Expr, column: ColumnDefinition, node: AstBody): Expr {
  try {
    return binder.coerce(expr, column.typeOid, column.typmod, 'assignment', node);
  } catch (error) {
    if (error instanceof SqlError && error.code === SqlState.datatypeMismatch) {
      throw new SqlError(SqlState.datatypeMismatch, `column "${column.name}" is of type ${typeName(column)} but expression is of type ${binderTypeName(expr.type)}`, {
        ...positionOf(nodeBody(node) ?? node),
        hint: 'You will need to rewrite or cast the expression.',
      });
    }
    throw error;
  }
}

function typeName(column: ColumnDefinition): string {
  return binderTypeName(column.typeOid);
}

function binderTypeName(oid: number): string {
  const names: Record<number, string> = { 16: 'boolean', 20: 'bigint', 21: 'smallint', 23: 'integer', 25: 'text', 1043: 'character varying', 1042: 'character', 1700: 'numeric', 701: 'double precision', 700: 'real', 1114: 'timestamp without time zone', 1184: 'timestamp with time zone', 1082: 'date', 17: 'bytea', 3802: 'jsonb', 114: 'json', 2950: 'uuid' };
  return names[oid] ?? String(oid);
}

function bindReturning(binder: ExprBinder, clause: AstBody | undefined, scope: Scope): Returning | null {
  const items = (clause?.exprs ?? clause) as AstBody[] | undefined;
  if (!items || !Array.isArray(items) || items.length === 0) return null;
  const exprs: Expr[] = [];
  const columns: OutputColumn[] = [];
  for (const item of items) {
    const target = item.ResTarget;
    const value = target.val;
    if (nodeKind(value) === 'ColumnRef' && value.ColumnRef.fields.some((field: AstBody) => 'A_Star' in field)) {
      for (const { index, column } of scope.allColumns()) {
        exprs.push({ kind: 'column', index, name: column.name, type: column.type, typmod: column.typmod });
        columns.push(column);
      }
      continue;
    }
    let expr = binder.bind(value, scope);
    if (expr.type === UNKNOWN) expr = binder.coerce(expr, T.text, -1, 'implicit');
    exprs.push(expr);
    const source = expr.kind === 'column' ? scope.allColumns().find((entry) => entry.index === expr.index)?.column : undefined;
    columns.push({ name: target.name ?? figureColumnName(value), type: expr.type, typmod: expr.typmod, tableOid: source?.tableOid ?? 0, attnum: source?.attnum ?? 0 });
  }
  return { exprs, columns };
}

export function planInsert(context: BindContext, body: AstBody): InsertPlan {
  const table = targetTable(context, body.relation);
  const binder = new ExprBinder(context);
  const live = liveColumns(table);
  const name: string = body.relation.alias?.aliasname ?? table.name;
  let targets: ColumnDefinition[];
  if (body.cols) {
    targets = (body.cols as AstBody[]).map((item) => {
      const target = item.ResTarget;
      if (target.indirection) throw new SqlError(SqlState.featureNotSupported, 'INSERT with subscripted or field targets is not supported', positionOf(target));
      const column = live.find((candidate) => candidate.name === target.name);
      if (!column) throw new SqlError(SqlState.undefinedColumn, `column "${target.name}" of relation "${table.name}" does not exist`, positionOf(target));
      return column;
    });
    const seen = new Set<string>();
    for (const target of targets) {
      if (seen.has(target.name)) throw new SqlError(SqlState.duplicateColumn, `column "${target.name}" specified more than once`);
      seen.add(target.name);
    }
  } else {
    targets = live;
  }
  const explicitColumns = body.cols !== undefined;
  const select = body.selectStmt?.SelectStmt;
  if (!explicitColumns && select) {
    // Without a column list, VALUES / SELECT fill the first N columns (the rest get defaults).
    const width = select.valuesLists ? Math.max(...(select.valuesLists as AstBody[]).map((list) => ((list.List?.items ?? list) as AstBody[]).length)) : undefined;
    if (width !== undefined && width < targets.length) targets = targets.slice(0, width);
  }
  const overriding = body.override === 'OVERRIDING_SYSTEM_VALUE';
  const defaults = live.map((column) => defaultExpr(binder, column));
  const positionOfTarget = new Map(targets.map((column, i) => [column.attnum, i]));
  const checkIdentity = (column: ColumnDefinition) => {
    if (column.identity === 'a' && !overriding) {
      throw new SqlError('428C9', `cannot insert a non-DEFAULT value into column "${column.name}"`, {
        detail: `Column "${column.name}" is an identity column defined as GENERATED ALWAYS.`,
        hint: 'Use OVERRIDING SYSTEM VALUE to override.',
      });
    }
  };
  const columns = live.map((column) => columnOf(table, column));
  let source: PlanNode;
  if (!select) {
    source = { kind: 'values', columns, rows: [defaults] };
  } else if (select.valuesLists && !select.sortClause && !select.limitCount && !select.withClause && (!select.op || select.op === 'SETOP_NONE')) {
    const scope = new Scope(null);
    const rows = (select.valuesLists as AstBody[]).map((list) => {
      const items = (list.List?.items ?? list) as AstBody[];
      if (items.length > targets.length) throw new SqlError(SqlState.syntaxError, 'INSERT has more expressions than target columns', positionOf(nodeBody(items[targets.length])));
      if (items.length < targets.length && explicitColumns) throw new SqlError(SqlState.syntaxError, 'INSERT has more target columns than expressions', positionOf(nodeBody(items[items.length - 1] ?? {})));
      return live.map((column, i) => {
        const at = positionOfTarget.get(column.attnum);
        if (at === undefined) return defaults[i]!;
        const item = items[at]!;
        if (nodeKind(item) === 'SetToDefault') return defaults[i]!;
        checkIdentity(column);
        return assign(binder, binder.bind(item, scope), column, item);
      });
    });
    source = { kind: 'values', columns, rows };
  } else {
    const { plan } = planQuery({ bind: context, ctes: new Map() }, body.selectStmt, null, null);
    if (!explicitColumns && plan.columns.length < targets.length) {
      targets = targets.slice(0, plan.columns.length);
      positionOfTarget.clear();
      targets.forEach((column, i) => positionOfTarget.set(column.attnum, i));
    }
    if (plan.columns.length > targets.length) throw new SqlError(SqlState.syntaxError, 'INSERT has more expressions than target columns');
    if (plan.columns.length < targets.length) throw new SqlError(SqlState.syntaxError, 'INSERT has more target columns than expressions');
    const exprs = live.map((column, i) => {
      const at = positionOfTarget.get(column.attnum);
      if (at === undefined) return defaults[i]!;
      checkIdentity(column);
      const sourceColumn = plan.columns[at]!;
      return assign(binder, { kind: 'column', index: at, name: sourceColumn.name, type: sourceColumn.type, typmod: sourceColumn.typmod }, column, {});
    });
    source = { kind: 'project', columns, input: plan, exprs };
  }

  let onConflict: InsertPlan['onConflict'] = null;
  const clause = body.onConflictClause;
  if (clause) {
    let arbiter: { index: IndexObject | null } | undefined;
    const infer = clause.infer;
    if (infer?.conname) {
      const constraint = table.constraints.find((candidate) => candidate.name === infer.conname);
      if (!constraint || (constraint.type !== 'p' && constraint.type !== 'u')) {
        throw new SqlError(SqlState.undefinedObject, `constraint "${infer.conname}" for table "${table.name}" does not exist`);
      }
      arbiter = { index: constraint.type === 'p' ? null : (context.catalog.get(constraint.indexOid) as IndexObject) };
    } else if (infer?.indexElems) {
      const attnums = (infer.indexElems as AstBody[]).map((element) => {
        const column = live.find((candidate) => candidate.name === element.IndexElem.name);
        if (!column) throw new SqlError(SqlState.undefinedColumn, `column "${element.IndexElem.name}" does not exist`);
        return column.attnum;
      });
      const sameSet = (columnsOf: number[]) => columnsOf.length === attnums.length && columnsOf.every((attnum) => attnums.includes(attnum));
      if (table.primaryKey.length > 0 && sameSet(table.primaryKey)) arbiter = { index: null };
      else {
        const index = context.catalog.indexesOf(table.oid).find((candidate) => candidate.unique && !candidate.primary && sameSet(candidate.columns));
        if (!index) throw new SqlError(SqlState.invalidColumnReference, 'there is no unique or exclusion constraint matching the ON CONFLICT specification');
        arbiter = { index };
      }
    } else if (clause.action === 'ONCONFLICT_UPDATE') {
      throw new SqlError(SqlState.syntaxError, 'ON CONFLICT DO UPDATE requires inference specification or constraint name', {
        hint: 'For example, ON CONFLICT (column_name).',
      });
    }
    const set: Array<Expr | null> = live.map(() => null);
    let where: Expr | null = null;
    if (clause.action === 'ONCONFLICT_UPDATE') {
      const scope = new Scope(null);
      scope.add({ name, columns, relationOid: table.oid });
      scope.add({ name: 'excluded', columns });
      for (const item of clause.targetList as AstBody[]) bindSetTarget(binder, item.ResTarget, live, scope, set, defaults, table);
      if (clause.whereClause) where = binder.bindCondition(clause.whereClause, scope, 'WHERE');
    }
    onConflict = { action: clause.action === 'ONCONFLICT_UPDATE' ? 'update' : 'nothing', arbiter, set, where };
  }
  const returning = bindReturning(binder, body.returningClause, tableScope(table, name));
  return { kind: 'insert', table, source, onConflict, returning };
}

function bindSetTarget(binder: ExprBinder, target: AstBody, live: ColumnDefinition[], scope: Scope, set: Array<Expr | null>, defaults: Expr[], table: TableObject): void {
  if (target.indirection) throw new SqlError(SqlState.featureNotSupported, 'subscripted or field SET targets are not supported', positionOf(target));
  const index = live.findIndex((candidate) => candidate.name === target.name);
  if (index < 0) throw new SqlError(SqlState.undefinedColumn, `column "${target.name}" of relation "${table.name}" does not exist`, positionOf(target));
  if (set[index] !== null) throw new SqlError(SqlState.syntaxError, `multiple assignments to same column "${target.name}"`);
  const column = live[index]!;
  if (nodeKind(target.val) === 'SetToDefault') {
    set[index] = defaults[index]!;
    return;
  }
  if (column.identity === 'a') {
    throw new SqlError('428C9', `column "${column.name}" can only be updated to DEFAULT`, { detail: `Column "${column.name}" is an identity column defined as GENERATED ALWAYS.` });
  }
  set[index] = assign(binder, binder.bind(target.val, scope), column, target.val);
}

function planTargetScan(context: BindContext, body: AstBody, extraFrom: AstBody[] | undefined): { table: TableObject; binder: ExprBinder; scope: Scope; plan: (where: Expr | null) => PlanNode } {
  const table = targetTable(context, body.relation);
  const binder = new ExprBinder(context);
  const relationNode = { RangeVar: body.relation };
  const queryContext = { bind: context, ctes: new Map<string, PlanNode>(), dmlTarget: body.relation };
  const from = bindFrom(queryContext, binder, [relationNode, ...(extraFrom ?? [])], null);
  return {
    table, binder, scope: from.scope,
    plan: (where) => {
      const remaining = distributeConjuncts(from.tree, conjuncts(where));
      let plan = buildFromPlan(queryContext, from.tree, null).plan;
      const filter = andAll(remaining);
      if (filter) plan = { kind: 'filter', columns: plan.columns, input: plan, predicate: filter };
      return plan;
    },
  };
}

export function planUpdate(context: BindContext, body: AstBody): UpdatePlan {
  const { table, binder, scope, plan } = planTargetScan(context, body, body.fromClause);
  const live = liveColumns(table);
  const defaults = live.map((column) => defaultExpr(binder, column));
  const set: Array<Expr | null> = live.map(() => null);
  for (const item of body.targetList as AstBody[]) {
    const target = item.ResTarget;
    if (nodeKind(target.val) === 'MultiAssignRef') {
      // SET (a, b) = (x, y): each column takes its element of the row expression.
      const multi = nodeBody(target.val);
      const source = multi.source;
      if (nodeKind(source) !== 'RowExpr') throw new SqlError(SqlState.featureNotSupported, 'UPDATE … SET (…) = (SELECT …) is not supported yet', positionOf(target));
      const items = nodeBody(source).args as AstBody[];
      if (items.length !== multi.ncolumns) throw new SqlError(SqlState.syntaxError, 'number of columns does not match number of values', positionOf(target));
      bindSetTarget(binder, { ...target, val: items[multi.colno - 1] }, live, scope, set, defaults, table);
      continue;
    }
    bindSetTarget(binder, target, live, scope, set, defaults, table);
  }
  const where = body.whereClause ? binder.bindCondition(body.whereClause, scope, 'WHERE') : null;
  const returning = bindReturning(binder, body.returningClause, scope);
  void nameList;
  const singleTable = !body.fromClause || body.fromClause.length === 0;
  return { kind: 'update', table, source: plan(where), set, returning, recheck: singleTable ? where : null, singleTable };
}

export function planDelete(context: BindContext, body: AstBody): DeletePlan {
  const { table, binder, scope, plan } = planTargetScan(context, body, body.usingClause);
  const where = body.whereClause ? binder.bindCondition(body.whereClause, scope, 'WHERE') : null;
  const returning = bindReturning(binder, body.returningClause, scope);
  const singleTable = !body.usingClause || body.usingClause.length === 0;
  return { kind: 'delete', table, source: plan(where), returning, recheck: singleTable ? where : null, singleTable };
}
