// SELECT planning: FROM/WHERE (from.ts) → aggregation → HAVING → projection → DISTINCT →
// ORDER BY → LIMIT/OFFSET; VALUES lists; UNION/INTERSECT/EXCEPT; WITH (non-recursive CTEs).
import { nameList, nodeBody, nodeKind, positionOf, stringValue, type AstBody } from '../parser/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import { ExprBinder, type BindContext } from './bind-expr.js';
import type { Expr } from './expr.js';
import { conjuncts as splitConjuncts, exprKey, mapChildren, andAll } from './expr-utils.js';
import { bindFrom, buildFromPlan, distributeConjuncts, type OrderRequest } from './from.js';
import type { OutputColumn, PlanNode, SortKey } from './nodes.js';
import { commonType } from './resolve.js';
import { Scope } from './scope.js';
import { getType, T, UNKNOWN } from './type-access.js';
import { isSelfReferencing, planRecursiveCte } from './recursive.js';
import { limitNode } from './limit.js';
import { checkDistinctOnMatchesOrderBy } from './join-checks.js';
import { expandGroupingSets, finishGroupingCalls } from './grouping-sets.js';
import { beginWindowCollection, endWindowCollection, mapWindowCall, pauseWindowCollection, planWindowNode, replaceWindowRefs, resumeWindowCollection } from './window.js';
import type { TableObject } from '../catalog/index.js';

export interface QueryContext {
  bind: BindContext;
  /** Visible common table expressions by name. */
  ctes: Map<string, PlanNode>;
  /** The RangeVar node of an UPDATE/DELETE target: its scan also emits the row key. */
  dmlTarget?: unknown;
}

export interface PlannedQuery {
  plan: PlanNode;
}

export function planSubquery(bind: BindContext, node: AstBody, parent: Scope): PlannedQuery {
  return planQuery({ bind, ctes: currentCtes.get(bind) ?? new Map() }, node, parent, null);
}

/** CTEs visible while binding expressions of a query (subqueries see their parents' CTEs). */
const currentCtes = new WeakMap<BindContext, Map<string, PlanNode>>();

export function planQuery(context: QueryContext, node: AstBody, parent: Scope | null, _unused: null): PlannedQuery {
  const body = node.SelectStmt ?? node;
  let ctes = context.ctes;
  if (body.withClause) {
    ctes = new Map(ctes);
    for (const item of body.withClause.ctes as AstBody[]) {
      const cte = item.CommonTableExpr;
      if (body.withClause.recursive && isSelfReferencing(cte)) {
        ctes.set(cte.ctename, planRecursiveCte({ bind: context.bind, ctes }, cte, parent));
        continue;
      }
      const { plan } = planQuery({ bind: context.bind, ctes }, cte.ctequery, parent, null);
      const names = cte.aliascolnames ? nameList(cte.aliascolnames) : [];
      const columns = plan.columns.map((column, i) => ({ ...column, name: names[i] ?? column.name }));
      ctes.set(cte.ctename, { kind: 'materialize', columns, input: plan });
    }
  }
  const inner: QueryContext = { bind: context.bind, ctes };
  const previous = currentCtes.get(context.bind);
  currentCtes.set(context.bind, ctes);
  try {
    if (body.op && body.op !== 'SETOP_NONE') return { plan: planSetOperation(inner, body, parent) };
    if (body.valuesLists) return { plan: finishQuery(inner, body, planValues(inner, body, parent), parent) };
    return { plan: planSelect(inner, body, parent) };
  } finally {
    if (previous) currentCtes.set(context.bind, previous);
    else currentCtes.delete(context.bind);
  }
}

function planValues(context: QueryContext, body: AstBody, parent: Scope | null): PlanNode {
  const binder = new ExprBinder(context.bind);
  const scope = new Scope(parent);
  const rows = (body.valuesLists as AstBody[]).map((list) => ((list.List?.items ?? list) as AstBody[]).map((item) => {
    if (nodeKind(item) === 'SetToDefault') return { kind: 'const', value: null, type: UNKNOWN, typmod: -1, isDefault: true } as Expr;
    return binder.bind(item, scope);
  }));
  const width = rows[0]!.length;
  if (rows.some((row) => row.length !== width)) {
    throw new SqlError(SqlState.syntaxError, 'VALUES lists must all be the same length', positionOf(body));
  }
  const columns: OutputColumn[] = [];
  for (let i = 0; i < width; i++) {
    const type = commonType(rows.map((row) => row[i]!.type), 'VALUES');
    const typmods = new Set(rows.map((row) => row[i]!.typmod));
    columns.push({ name: `column${i + 1}`, type, typmod: typmods.size === 1 ? [...typmods][0]! : -1, tableOid: 0, attnum: 0 });
    for (const row of rows) {
      if ((row[i] as { isDefault?: boolean }).isDefault) continue;
      row[i] = binder.coerce(row[i]!, type, -1, 'implicit');
    }
  }
  return { kind: 'values', columns, rows };
}

function planSetOperation(context: QueryContext, body: AstBody, parent: Scope | null): PlanNode {
  const left = planQuery(context, body.larg, parent, null).plan;
  const right = planQuery(context, body.rarg, parent, null).plan;
  const opName = body.op === 'SETOP_UNION' ? 'UNION' : body.op === 'SETOP_INTERSECT' ? 'INTERSECT' : 'EXCEPT';
  if (left.columns.length !== right.columns.length) {
    throw new SqlError(SqlState.syntaxError, `each ${opName} query must have the same number of columns`, positionOf(nodeBody(body.rarg) ?? body.rarg));
  }
  const binder = new ExprBinder(context.bind);
  const types = left.columns.map((column, i) => commonType([column.type, right.columns[i]!.type], opName));
  const conform = (plan: PlanNode): PlanNode => {
    if (plan.columns.every((column, i) => column.type === types[i])) return plan;
    const exprs = plan.columns.map((column, i) => binder.coerce({ kind: 'column', index: i, name: column.name, type: column.type, typmod: column.typmod }, types[i]!, -1, 'implicit'));
    return { kind: 'project', input: plan, exprs, columns: plan.columns.map((column, i) => ({ ...column, type: types[i]!, typmod: -1 })) };
  };
  const columns = left.columns.map((column, i) => ({ ...column, type: types[i]!, typmod: column.typmod === right.columns[i]!.typmod ? column.typmod : -1, tableOid: 0, attnum: 0 }));
  const plan: PlanNode = {
    kind: 'setOp', op: opName.toLowerCase() as 'union' | 'intersect' | 'except', all: body.all === true,
    left: conform(left), right: conform(right), columns,
  };
  return finishQuery(context, body, plan, parent);
}

/** ORDER BY / LIMIT on a VALUES list or set operation: keys refer to output columns. */
function finishQuery(context: QueryContext, body: AstBody, input: PlanNode, parent: Scope | null): PlanNode {
  let plan = input;
  const binder = new ExprBinder(context.bind);
  if (body.sortClause) {
    const scope = new Scope(parent);
    scope.add({ name: '', columns: plan.columns });
    const keys = (body.sortClause as AstBody[]).map((item) => {
      const sortBy = item.SortBy;
      const ordinal = outputOrdinal(sortBy.node, plan.columns);
      const expr: Expr = ordinal !== undefined
        ? { kind: 'column', index: ordinal, name: plan.columns[ordinal]!.name, type: plan.columns[ordinal]!.type, typmod: -1 }
        : binder.bind(sortBy.node, scope);
      return sortKey(expr, sortBy);
    });
    plan = { kind: 'sort', columns: plan.columns, input: plan, keys };
  }
  return applyLimit(binder, body, plan, parent);
}

function outputOrdinal(node: AstBody, columns: OutputColumn[]): number | undefined {
  if (nodeKind(node) === 'A_Const' && node.A_Const.ival !== undefined) {
    const n = node.A_Const.ival.ival ?? 0;
    if (n < 1 || n > columns.length) throw new SqlError(SqlState.invalidColumnReference, `ORDER BY position ${n} is not in select list`, positionOf(node.A_Const));
    return n - 1;
  }
  if (nodeKind(node) === 'ColumnRef' && node.ColumnRef.fields.length === 1) {
    const name = stringValue(node.ColumnRef.fields[0]);
    const index = columns.findIndex((column) => column.name === name);
    return index >= 0 ? index : undefined;
  }
  return undefined;
}

export function sortKey(expr: Expr, sortBy: AstBody): SortKey {
  const descending = sortBy.sortby_dir === 'SORTBY_DESC';
  const nullsFirst = sortBy.sortby_nulls === 'SORTBY_NULLS_FIRST' || (sortBy.sortby_nulls !== 'SORTBY_NULLS_LAST' && descending);
  if (sortBy.sortby_dir === 'SORTBY_USING') throw new SqlError(SqlState.featureNotSupported, 'ORDER BY USING is not supported');
  const type = getType(expr.type === UNKNOWN ? T.text : expr.type);
  return { expr, descending, nullsFirst, compare: (a, b) => type.compare(a, b) };
}

function applyLimit(binder: ExprBinder, body: AstBody, input: PlanNode, parent: Scope | null): PlanNode {
  if (!body.limitCount && !body.limitOffset) return input;
  const scope = new Scope(parent);
  const bindCount = (node: AstBody | undefined): Expr | null => {
    if (!node) return null;
    if (nodeKind(node) === 'A_Const' && node.A_Const.isnull) return null;
    return binder.coerce(binder.bind(node, scope), T.int8, -1, 'implicit', node);
  };
  return limitNode(input, bindCount(body.limitCount), bindCount(body.limitOffset), body.limitOption === 'LIMIT_OPTION_WITH_TIES', positionOf(body));
}

function planSelect(context: QueryContext, body: AstBody, parent: Scope | null): PlanNode {
  const binder = new ExprBinder(context.bind);
  // FOR UPDATE / SHARE: the (single) table's scan also emits row keys, carried to the top.
  const locking = (body.lockingClause as AstBody[] | undefined)?.[0]?.LockingClause;
  const lockTarget = locking ? lockableTable(body) : undefined;
  if (locking && !lockTarget) throw new SqlError(SqlState.featureNotSupported, 'FOR UPDATE/SHARE is supported on a single table only');
  if (lockTarget) context = { ...context, dmlTarget: lockTarget };
  const from = bindFrom(context, binder, body.fromClause, parent);
  const scope = from.scope;
  binder.aggregateClause = 'WHERE';
  const where = body.whereClause ? binder.bindCondition(body.whereClause, scope, 'WHERE') : null;

  // Targets (with * expanded) — aggregates allowed here.
  const collector = { calls: [] as import('./aggregates.js').AggregateCall[], clause: 'SELECT' };
  binder.aggregates = collector;
  beginWindowCollection(binder, body.windowClause);
  const targets: Array<{ expr: Expr; name: string; source?: OutputColumn }> = [];
  for (const item of (body.targetList ?? []) as AstBody[]) {
    const target = item.ResTarget;
    const value = target.val;
    if (nodeKind(value) === 'ColumnRef' && value.ColumnRef.fields.some((field: AstBody) => 'A_Star' in field)) {
      targets.push(...expandStar(value.ColumnRef, scope));
      continue;
    }
    const expr = binder.bind(value, scope);
    const source = expr.kind === 'column' ? columnAt(scope, expr.index) : undefined;
    targets.push({ expr, name: target.name ?? figureColumnName(value), ...(source ? { source } : {}) });
  }

  // GROUP BY: ordinals and output names refer to targets.
  pauseWindowCollection(binder);
  const groupExprs: Expr[] = [];
  binder.aggregates = null;
  binder.aggregateClause = 'GROUP BY';
  for (const item of (body.groupClause ?? []) as AstBody[]) {
    if (nodeKind(item) === 'A_Const' && item.A_Const.ival !== undefined) {
      const n = item.A_Const.ival.ival ?? 0;
      const target = targets[n - 1];
      if (!target) throw new SqlError(SqlState.invalidColumnReference, `GROUP BY position ${n} is not in select list`, positionOf(item.A_Const));
      groupExprs.push(target.expr);
      continue;
    }
    if (nodeKind(item) === 'ColumnRef' && item.ColumnRef.fields.length === 1) {
      const name = stringValue(item.ColumnRef.fields[0]);
      if (!scope.resolveLocal(undefined, name, undefined)) {
        const target = targets.find((candidate) => candidate.name === name);
        if (target) {
          groupExprs.push(target.expr);
          continue;
        }
      }
    }
    if (nodeKind(item) === 'GroupingSet') continue; // expanded below (grouping-sets.ts)
    groupExprs.push(binder.bind(item, scope));
  }
  const groupingSets = expandGroupingSets(binder, scope, (body.groupClause ?? []) as AstBody[], groupExprs);
  binder.aggregates = collector;
  binder.aggregateClause = 'HAVING';
  const having = body.havingClause ? binder.bindCondition(body.havingClause, scope, 'HAVING') : null;

  // ORDER BY: output ordinals/names, else expressions over the input (extra hidden columns).
  const orderItems: Array<{ expr: Expr; sortBy: AstBody; outputIndex?: number }> = [];
  binder.aggregateClause = 'ORDER BY';
  resumeWindowCollection(binder);
  for (const item of (body.sortClause ?? []) as AstBody[]) {
    const sortBy = item.SortBy;
    const node = sortBy.node;
    if (nodeKind(node) === 'A_Const' && node.A_Const.ival !== undefined) {
      const n = node.A_Const.ival.ival ?? 0;
      if (n < 1 || n > targets.length) throw new SqlError(SqlState.invalidColumnReference, `ORDER BY position ${n} is not in select list`, positionOf(node.A_Const));
      orderItems.push({ expr: targets[n - 1]!.expr, sortBy, outputIndex: n - 1 });
      continue;
    }
    if (nodeKind(node) === 'ColumnRef' && node.ColumnRef.fields.length === 1) {
      const name = stringValue(node.ColumnRef.fields[0]);
      const matches = targets.map((target, i) => (target.name === name ? i : -1)).filter((i) => i >= 0);
      if (matches.length > 0) {
        orderItems.push({ expr: targets[matches[0]!]!.expr, sortBy, outputIndex: matches[0]! });
        continue;
      }
    }
    const expr = binder.bind(node, scope);
    const same = targets.findIndex((target) => exprKey(target.expr) === exprKey(expr));
    orderItems.push(same >= 0 ? { expr, sortBy, outputIndex: same } : { expr, sortBy });
  }
  binder.aggregates = null;
  let windowCalls = endWindowCollection(binder);

  const aggregating = collector.calls.length > 0 || groupExprs.length > 0 || having !== null || groupingSets !== null;
  const remainingWhere = distributeConjuncts(from.tree, splitConjuncts(where));

  // Ask the lone table scan for index order when ORDER BY is plain columns.
  let orderRequest: OrderRequest | null = null;
  if (!aggregating && windowCalls.length === 0 && !body.distinctClause && orderItems.length > 0 && remainingWhere.length === 0) {
    const direction = orderItems[0]!.sortBy.sortby_dir === 'SORTBY_DESC';
    const plain = orderItems.every((item) => item.expr.kind === 'column' && (item.sortBy.sortby_dir === 'SORTBY_DESC') === direction && item.sortBy.sortby_nulls === 'SORTBY_NULLS_DEFAULT');
    if (plain) orderRequest = { columns: orderItems.map((item) => (item.expr as { index: number }).index), descending: direction };
  }
  const built = buildFromPlan(context, from.tree, orderRequest);
  let plan = built.plan;
  const filter = andAll(remainingWhere);
  if (filter) plan = { kind: 'filter', columns: plan.columns, input: plan, predicate: filter };

  let targetExprs = targets.map((target) => target.expr);
  let orderExprs = orderItems.map((item) => item.expr);
  if (aggregating) {
    const keyCount = groupExprs.length;
    const groupKeys = groupExprs.map(exprKey);
    const aggColumns: OutputColumn[] = [
      ...groupExprs.map((expr, i) => ({ name: `group${i}`, type: expr.type, typmod: expr.typmod, tableOid: 0, attnum: 0 })),
      ...collector.calls.map((call) => ({ name: call.name, type: call.type, typmod: call.typmod, tableOid: 0, attnum: 0 })),
    ];
    const groupingIdColumn = groupingSets ? aggColumns.length : null;
    if (groupingSets) aggColumns.push({ name: '?grouping', type: T.int4, typmod: -1, tableOid: 0, attnum: 0 });
    plan = { kind: 'aggregate', columns: aggColumns, input: plan, groupBy: groupExprs, aggregates: collector.calls, ...(groupingSets ? { groupingSets } : {}) };
    const rewrite = (expr: Expr): Expr => {
      const key = groupKeys.indexOf(exprKey(expr));
      if (key >= 0) return { kind: 'column', index: key, name: aggColumns[key]!.name, type: expr.type, typmod: expr.typmod };
      if (expr.kind === 'aggRef') return { kind: 'column', index: keyCount + expr.index, name: 'agg', type: expr.type, typmod: expr.typmod };
      if (expr.kind === 'windowRef') return expr;
      if (expr.kind === 'column') {
        const column = columnAt(scope, expr.index);
        const table = scope.items.find((item) => expr.index >= item.offset && expr.index < item.offset + item.columns.length);
        const position = (expr as { position?: number }).position;
        throw new SqlError(SqlState.groupingError,
          `column "${table && table.name ? `${table.name}.` : ''}${column?.name ?? expr.name}" must appear in the GROUP BY clause or be used in an aggregate function`,
          position !== undefined ? { position } : {});
      }
      if (expr.kind === 'subquery') return expr;
      return mapChildren(expr, rewrite);
    };
    const rewriteGrouped = (expr: Expr) => finishGroupingCalls(rewrite(expr), keyCount, groupingIdColumn);
    targetExprs = targetExprs.map(rewriteGrouped);
    orderExprs = orderExprs.map(rewriteGrouped);
    windowCalls = windowCalls.map((call) => mapWindowCall(call, rewriteGrouped));
    if (having) {
      const predicate = rewriteGrouped(having);
      plan = { kind: 'filter', columns: plan.columns, input: plan, predicate };
    }
  }

  if (windowCalls.length > 0) {
    const offset = plan.columns.length;
    plan = planWindowNode(plan, windowCalls);
    targetExprs = targetExprs.map((expr) => replaceWindowRefs(expr, offset));
    orderExprs = orderExprs.map((expr) => replaceWindowRefs(expr, offset));
  }


  // Projection: targets plus hidden ORDER BY expressions.
  const columns: OutputColumn[] = targets.map((target, i) => ({
    name: target.name, type: targetExprs[i]!.type === UNKNOWN ? T.text : targetExprs[i]!.type, typmod: targetExprs[i]!.typmod,
    tableOid: target.source?.tableOid ?? 0, attnum: target.source?.attnum ?? 0,
  }));
  targetExprs = targetExprs.map((expr) => (expr.type === UNKNOWN ? binder.coerce(expr, T.text, -1, 'implicit') : expr));
  const hidden: Expr[] = [];
  const sortKeys: SortKey[] = orderItems.map((item, i) => {
    let index = item.outputIndex;
    if (index === undefined) {
      if (body.distinctClause) {
        throw new SqlError(SqlState.invalidColumnReference, 'for SELECT DISTINCT, ORDER BY expressions must appear in select list', positionOf(nodeBody(item.sortBy.node)));
      }
      index = targets.length + hidden.length;
      hidden.push(orderExprs[i]!);
    }
    const type = index < targets.length ? columns[index]!.type : orderExprs[i]!.type;
    return sortKey({ kind: 'column', index, name: '', type: type === UNKNOWN ? T.text : type, typmod: -1 }, item.sortBy);
  });
  if (lockTarget) {
    const keyIndex = scope.items[0]!.offset + scope.items[0]!.columns.length - 1;
    hidden.push({ kind: 'column', index: keyIndex, name: 'ctid', type: T.bytea, typmod: -1 });
  }
  const projectedColumns = [...columns, ...hidden.map((expr, i) => ({ name: `?hidden${i}`, type: expr.type, typmod: expr.typmod, tableOid: 0, attnum: 0 }))];
  const projected = [...targetExprs, ...hidden];
  const returnsSet = projected.some((expr) => expr.kind === 'call' && expr.returnsSet === true);
  plan = { kind: returnsSet ? 'projectSet' : 'project', columns: projectedColumns, input: plan, exprs: projected };

  if (body.distinctClause) {
    const distinctOn = (body.distinctClause as AstBody[]).filter((item) => Object.keys(item).length > 0);
    let on: Expr[] | null = null;
    if (distinctOn.length > 0) {
      checkDistinctOnMatchesOrderBy(
        distinctOn.map((item) => {
          const ordinal = outputOrdinal(item, columns);
          return exprKey(ordinal !== undefined ? targets[ordinal]!.expr : binder.bind(item, scope));
        }),
        orderItems.map((item) => exprKey(item.outputIndex !== undefined ? targets[item.outputIndex]!.expr : item.expr)),
      );
      on = distinctOn.map((item) => {
        const ordinal = outputOrdinal(item, columns);
        if (ordinal !== undefined) return { kind: 'column', index: ordinal, name: columns[ordinal]!.name, type: columns[ordinal]!.type, typmod: -1 } as Expr;
        const expr = binder.bind(item, scope);
        const index = targetExprs.findIndex((target) => exprKey(target) === exprKey(expr));
        if (index < 0) throw new SqlError(SqlState.featureNotSupported, 'DISTINCT ON expressions must appear in the select list here');
        return { kind: 'column', index, name: columns[index]!.name, type: columns[index]!.type, typmod: -1 } as Expr;
      });
      // DISTINCT ON keeps the first row of each group in ORDER BY order: sort first.
      if (sortKeys.length > 0) plan = { kind: 'sort', columns: plan.columns, input: plan, keys: sortKeys };
      plan = { kind: 'distinct', columns: plan.columns, input: plan, on };
    } else {
      plan = { kind: 'distinct', columns: plan.columns, input: plan, on: null };
      if (sortKeys.length > 0) plan = { kind: 'sort', columns: plan.columns, input: plan, keys: sortKeys };
    }
  } else if (sortKeys.length > 0 && !built.ordered) {
    plan = { kind: 'sort', columns: plan.columns, input: plan, keys: sortKeys };
  }
  plan = applyLimit(binder, body, plan, parent);
  if (lockTarget && locking) {
    const table = (scope.items[0]!.relationOid !== undefined ? context.bind.catalog.get(scope.items[0]!.relationOid) : undefined) as TableObject;
    const strength: Record<string, 'update' | 'no key update' | 'share' | 'key share'> = {
      LCS_FORUPDATE: 'update', LCS_FORNOKEYUPDATE: 'no key update', LCS_FORSHARE: 'share', LCS_FORKEYSHARE: 'key share',
    };
    const wait = locking.waitPolicy === 'LockWaitError' ? 'nowait' : locking.waitPolicy === 'LockWaitSkip' ? 'skip locked' : 'wait';
    // The key is the last hidden column; the lock node removes it, the projection below drops the others.
    plan = { kind: 'lockRows', columns: plan.columns.slice(0, -1), input: plan, table, mode: strength[locking.strength] ?? 'update', wait };
    hidden.pop();
  }
  if (hidden.length > 0) {
    plan = {
      kind: 'project', columns, input: plan,
      exprs: columns.map((column, i) => ({ kind: 'column', index: i, name: column.name, type: column.type, typmod: column.typmod })),
    };
  }
  return plan;
}

function columnAt(scope: Scope, index: number): OutputColumn | undefined {
  for (const item of scope.items) {
    if (index >= item.offset && index < item.offset + item.columns.length) return item.columns[index - item.offset];
  }
  for (const merged of scope.mergedColumns.values()) if (merged.index === index) return merged.column;
  return undefined;
}

function expandStar(columnRef: AstBody, scope: Scope): Array<{ expr: Expr; name: string; source: OutputColumn }> {
  const fields = columnRef.fields as AstBody[];
  let entries: Array<{ index: number; column: OutputColumn; coalesceWith?: number }>;
  if (fields.length === 1) {
    entries = scope.allColumns();
    if (scope.items.length === 0) throw new SqlError(SqlState.syntaxError, 'SELECT * with no tables specified is not valid', positionOf(columnRef));
  } else {
    const qualifier = stringValue(fields[fields.length - 2]);
    const item = scope.item(qualifier);
    if (!item) throw new SqlError(SqlState.undefinedTable, `missing FROM-clause entry for table "${qualifier}"`, positionOf(columnRef));
    entries = item.columns.map((column, i) => ({ index: item.offset + i, column }));
  }
  return entries.map(({ index, column, coalesceWith }) => ({
    expr: coalesceWith === undefined
      ? { kind: 'column', index, name: column.name, type: column.type, typmod: column.typmod }
      : { kind: 'coalesce', args: [index, coalesceWith].map((i) => ({ kind: 'column', index: i, name: column.name, type: column.type, typmod: column.typmod }) as Expr), type: column.type, typmod: column.typmod },
    name: column.name,
    source: column,
  }));
}

/** PostgreSQL's FigureColname: the default output column name of an expression. */
export function figureColumnName(node: AstBody): string {
  return figureColumnNameStrength(node)[0];
}

/** [name, strength]: 2 = a column or function name, 1 = a type name or keyword-ish guess, 0 = none. */
function figureColumnNameStrength(node: AstBody): [string, number] {
  const kind = nodeKind(node);
  const body = nodeBody(node);
  switch (kind) {
    case 'ColumnRef': {
      const fields = body.fields as AstBody[];
      const last = fields[fields.length - 1];
      return 'A_Star' in last ? ['?column?', 0] : [stringValue(last), 2];
    }
    case 'FuncCall':
      return [nameList(body.funcname).pop()!, 2];
    case 'TypeCast': {
      const inner = figureColumnNameStrength(body.arg);
      if (inner[1] > 1) return inner;
      const names = nameList(body.typeName.names);
      return [names[names.length - 1]!, 1];
    }
    case 'CaseExpr': {
      const inner = body.defresult ? figureColumnNameStrength(body.defresult) : (['?column?', 0] as [string, number]);
      return inner[1] > 1 ? inner : ['case', 1];
    }
    case 'CoalesceExpr':
      return ['coalesce', 2];
    case 'GroupingFunc':
      return ['grouping', 2];
    case 'MinMaxExpr':
      return [body.op === 'IS_GREATEST' ? 'greatest' : 'least', 2];
    case 'A_Expr':
      return body.kind === 'AEXPR_NULLIF' ? ['nullif', 2] : ['?column?', 0];
    case 'SubLink':
      if (body.subLinkType === 'EXISTS_SUBLINK') return ['exists', 2];
      if (body.subLinkType === 'ARRAY_SUBLINK') return ['array', 2];
      if (body.subLinkType === 'EXPR_SUBLINK') {
        const target = body.subselect?.SelectStmt?.targetList?.[0]?.ResTarget;
        if (target) return target.name ? [target.name, 2] : figureColumnNameStrength(target.val);
      }
      return ['?column?', 0];
    case 'A_ArrayExpr':
      return ['array', 2];
    case 'RowExpr':
      return ['row', 2];
    case 'A_Indirection':
      return figureColumnNameStrength(body.arg);
    case 'CollateClause':
      return figureColumnNameStrength(body.arg);
    case 'SQLValueFunction': {
      const names: Record<string, string> = {
        SVFOP_CURRENT_DATE: 'current_date', SVFOP_CURRENT_TIME: 'current_time', SVFOP_CURRENT_TIME_N: 'current_time',
        SVFOP_CURRENT_TIMESTAMP: 'current_timestamp', SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp', SVFOP_LOCALTIME: 'localtime',
        SVFOP_LOCALTIME_N: 'localtime', SVFOP_LOCALTIMESTAMP: 'localtimestamp', SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
        SVFOP_CURRENT_ROLE: 'current_role', SVFOP_CURRENT_USER: 'current_user', SVFOP_USER: 'current_user',
        SVFOP_SESSION_USER: 'session_user', SVFOP_CURRENT_CATALOG: 'current_catalog', SVFOP_CURRENT_SCHEMA: 'current_schema',
      };
      return [names[body.op] ?? '?column?', 2];
    }
    default:
      return ['?column?', 0];
  }
}

/** The RangeVar a FOR UPDATE/SHARE clause locks: only a lone table in FROM is supported. */
function lockableTable(body: AstBody): AstBody | undefined {
  const from = (body.fromClause ?? []) as AstBody[];
  if (from.length !== 1 || nodeKind(from[0]) !== 'RangeVar') return undefined;
  if (body.groupClause || body.distinctClause || body.havingClause) return undefined;
  return nodeBody(from[0]);
}
