// FROM clause planning: relations, views, subqueries, functions and joins become a join tree
// registered in one Scope; WHERE and ON conjuncts are pushed to the lowest node that can
// evaluate them; equi-joins become hash joins; single-table predicates pick an index.
import type { TableObject } from '../catalog/index.js';
import { checkFullJoinConditions } from './join-checks.js';
import { planRowsFrom, rowsFromCalls } from './rows-from.js';
import { liveColumns } from '../catalog/index.js';
import { nameList, nodeBody, nodeKind, positionOf, stringValue, type AstBody } from '../parser/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import { chooseAccess } from './access-path.js';
import type { ExprBinder } from './bind-expr.js';
import type { Expr, RuntimeContext } from './expr.js';
import { andAll, conjuncts as splitConjuncts, containsKind, isVolatile, referencedColumns, shiftColumns } from './expr-utils.js';
import type { OutputColumn, PlanNode } from './nodes.js';
import { Scope } from './scope.js';
import { planQuery, type QueryContext } from './select.js';
import { getType, T } from './type-access.js';
import { virtualRelation } from './virtual/index.js';

type Leaf =
  | { kind: 'table'; table: TableObject; columns: OutputColumn[]; attnums: number[]; emitKey: boolean }
  | { kind: 'plan'; plan: PlanNode; columns: OutputColumn[] }
  | { kind: 'virtual'; name: string; plan: PlanNode & { kind: 'virtualScan' }; columns: OutputColumn[] };

interface LeafNode {
  node: 'leaf';
  leaf: Leaf;
  start: number;
  end: number;
  filters: Expr[];
  lateral: boolean;
}

interface JoinNode {
  node: 'join';
  joinType: 'inner' | 'left' | 'right' | 'full' | 'cross';
  left: FromNode;
  right: FromNode;
  start: number;
  end: number;
  /** Join conditions in global scope indices. */
  conditions: Expr[];
}

type FromNode = LeafNode | JoinNode;

export interface FromPlan {
  scope: Scope;
  tree: FromNode | null;
}

export function bindFrom(context: QueryContext, binder: ExprBinder, items: AstBody[] | undefined, parent: Scope | null): FromPlan {
  const scope = new Scope(parent);
  let tree: FromNode | null = null;
  for (const item of items ?? []) {
    const node = bindFromItem(context, binder, item, scope);
    tree = tree ? { node: 'join', joinType: 'cross', left: tree, right: node, start: tree.start, end: node.end, conditions: [] } : node;
  }
  return { scope, tree };
}

function bindFromItem(context: QueryContext, binder: ExprBinder, item: AstBody, scope: Scope): FromNode {
  const kind = nodeKind(item);
  const body = nodeBody(item);
  switch (kind) {
    case 'RangeVar':
      return bindRangeVar(context, body, scope);
    case 'RangeSubselect': {
      const lateral = body.lateral === true;
      const { plan } = planQuery(context, body.subquery, lateral ? scope : scope.parent, null);
      const alias = body.alias;
      if (!alias) throw new SqlError(SqlState.syntaxError, 'subquery in FROM must have an alias', positionOf(nodeBody(body.subquery)));
      const columns = renameColumns(plan.columns, alias);
      return addLeaf(scope, alias.aliasname, { kind: 'plan', plan, columns }, lateral);
    }
    case 'RangeFunction':
      return bindRangeFunction(context, binder, body, scope);
    case 'JoinExpr':
      return bindJoin(context, binder, body, scope);
    default:
      throw new SqlError(SqlState.featureNotSupported, `FROM item ${kind} is not supported`);
  }
}

function renameColumns(columns: OutputColumn[], alias: AstBody | undefined): OutputColumn[] {
  const names = alias?.colnames ? nameList(alias.colnames) : [];
  return columns.map((column, i) => ({ ...column, name: names[i] ?? column.name }));
}

function addLeaf(scope: Scope, name: string, leaf: Leaf, lateral: boolean, relationOid?: number, schemaName?: string): LeafNode {
  const item = scope.add({ name, columns: leaf.columns, ...(relationOid !== undefined ? { relationOid } : {}), ...(schemaName ? { schemaName } : {}) });
  return { node: 'leaf', leaf, start: item.offset, end: item.offset + leaf.columns.length, filters: [], lateral };
}

function bindRangeVar(context: QueryContext, body: AstBody, scope: Scope): FromNode {
  const schemaName: string | undefined = body.schemaname;
  const name: string = body.relname;
  const alias = body.alias;
  const visibleName = alias?.aliasname ?? name;
  if (!schemaName) {
    const cte = context.ctes.get(name);
    if (cte) return addLeaf(scope, visibleName, { kind: 'plan', plan: cte, columns: renameColumns(cte.columns, alias) }, false);
  }
  const override = context.bind.relationOverride?.(body);
  if (override) {
    const columns = renameColumns(override.columns, alias);
    const plan: PlanNode & { kind: 'virtualScan' } = { kind: 'virtualScan', columns, name: override.name, source: override.source, filter: null };
    return addLeaf(scope, visibleName, { kind: 'virtual', name: override.name, plan, columns }, false);
  }
  // pg_catalog is searched first unless named explicitly in search_path (PostgreSQL's rule).
  const catalogFirst = schemaName === undefined && virtualRelation(`pg_catalog.${name}`) !== undefined;
  const relation = schemaName === 'pg_catalog' || schemaName === 'information_schema' || catalogFirst
    ? undefined
    : context.bind.catalog.lookupRelation(context.bind.databaseOid, context.bind.searchPath, schemaName, name);
  if (!relation) {
    const virtualName = `${schemaName ?? 'pg_catalog'}.${name}`;
    const source = virtualRelation(virtualName);
    if (source) {
      const columns = renameColumns(source.columns, alias);
      const plan: PlanNode & { kind: 'virtualScan' } = { kind: 'virtualScan', columns, name: virtualName, source, filter: null };
      return addLeaf(scope, visibleName, { kind: 'virtual', name: virtualName, plan, columns }, false);
    }
    throw new SqlError(SqlState.undefinedTable, `relation "${schemaName ? `${schemaName}.` : ''}${name}" does not exist`, positionOf(body));
  }
  if (relation.kind === 'view') {
    const { plan } = planQuery({ ...context, ctes: new Map() }, relation.query as AstBody, null, null);
    const columns = renameColumns(plan.columns.map((column) => ({ ...column })), alias);
    return addLeaf(scope, visibleName, { kind: 'plan', plan, columns }, false, relation.oid);
  }
  if (relation.kind === 'sequence') {
    const plan: PlanNode = {
      kind: 'virtualScan', name: relation.name, filter: null,
      columns: [
        { name: 'last_value', type: T.int8, typmod: -1, tableOid: relation.oid, attnum: 1 },
        { name: 'log_cnt', type: T.int8, typmod: -1, tableOid: relation.oid, attnum: 2 },
        { name: 'is_called', type: T.bool, typmod: -1, tableOid: relation.oid, attnum: 3 },
      ],
      source: { rows: (c) => [(c as RuntimeContext).services.sequenceState(relation.oid)].map(([last, called]) => [last, 0n, called]) },
    };
    return addLeaf(scope, visibleName, { kind: 'plan', plan, columns: renameColumns(plan.columns, alias) }, false, relation.oid);
  }
  if (relation.kind !== 'table') {
    throw new SqlError(SqlState.wrongObjectType, `"${name}" is not a table`, positionOf(body));
  }
  const live = liveColumns(relation);
  const columns = renameColumns(live.map((column) => ({ name: column.name, type: column.typeOid, typmod: column.typmod, tableOid: relation.oid, attnum: column.attnum })), alias);
  const emitKey = context.dmlTarget === body;
  if (emitKey) columns.push({ name: 'ctid', type: T.bytea, typmod: -1, tableOid: relation.oid, attnum: -1 });
  const leaf = addLeaf(scope, visibleName, { kind: 'table', table: relation, columns, attnums: live.map((column) => column.attnum), emitKey }, false, relation.oid, schemaName);
  if (emitKey) (scope.items[scope.items.length - 1]!.hiddenColumns ??= new Set()).add(columns.length - 1);
  return leaf;
}

function bindRangeFunction(context: QueryContext, binder: ExprBinder, body: AstBody, scope: Scope): FromNode {
  const functions = body.functions as AstBody[];
  const several = rowsFromCalls(body);
  if (several) {
    const bindScope = scope.items.length > 0 ? new Scope(scope) : scope.parent ?? new Scope(null);
    const { plan, columns } = planRowsFrom(binder, several, body, bindScope);
    return addLeaf(scope, body.alias?.aliasname ?? 'rows_from', { kind: 'plan', plan, columns }, referencesOuterPlan(plan));
  }
  if (functions.length !== 1) throw new SqlError(SqlState.featureNotSupported, 'ROWS FROM with several functions is not supported');
  const [callNode] = (functions[0].List?.items ?? functions[0]) as AstBody[];
  const override = nodeKind(callNode) === 'FuncCall' ? context.bind.functionOverride?.(nodeBody(callNode)) : undefined;
  if (override) {
    const columns = renameColumns(override.columns, body.alias);
    const plan: PlanNode & { kind: 'virtualScan' } = { kind: 'virtualScan', columns, name: override.name, source: override.source, filter: null };
    return addLeaf(scope, body.alias?.aliasname ?? override.name, { kind: 'virtual', name: override.name, plan, columns }, false);
  }
  // Function arguments may reference earlier FROM items (implicitly LATERAL): bound one level
  // down, those references become outer columns, which makes the join re-run the function per row.
  const lateralScope = new Scope(scope);
  const call = binder.bind(callNode, scope.items.length > 0 ? lateralScope : scope.parent ?? new Scope(null));
  const alias = body.alias;
  const functionName = nodeKind(callNode) === 'FuncCall' ? nameList(nodeBody(callNode).funcname).pop()! : 'unnamed';
  const aliasName: string = alias?.aliasname ?? functionName;
  const colnames = alias?.colnames ? nameList(alias.colnames) : [];
  const columns: OutputColumn[] = [{ name: colnames[0] ?? aliasName, type: call.type, typmod: call.typmod, tableOid: 0, attnum: 0 }];
  if (body.ordinality) columns.push({ name: colnames[1] ?? 'ordinality', type: T.int8, typmod: -1, tableOid: 0, attnum: 0 });
  const usesLeft = referencesOuter(call);
  const plan: PlanNode = { kind: 'functionScan', columns, call, ordinality: body.ordinality === true, expandRecord: false };
  return addLeaf(scope, aliasName, { kind: 'plan', plan, columns }, usesLeft);
}

function referencesOuter(expr: Expr): boolean {
  return containsKind(expr, ['outerColumn']);
}

function referencesOuterPlan(plan: PlanNode): boolean {
  return plan.kind === 'projectSet' && plan.exprs.some(referencesOuter);
}

function bindJoin(context: QueryContext, binder: ExprBinder, body: AstBody, scope: Scope): FromNode {
  const left = bindFromItem(context, binder, body.larg, scope);
  const right = bindFromItem(context, binder, body.rarg, scope);
  const jointype: string = body.jointype;
  let joinType: JoinNode['joinType'] = jointype === 'JOIN_LEFT' ? 'left' : jointype === 'JOIN_RIGHT' ? 'right' : jointype === 'JOIN_FULL' ? 'full' : 'inner';
  const conditions: Expr[] = [];
  const usingNames: string[] = body.usingClause ? nameList(body.usingClause) : [];
  if (body.isNatural) {
    const leftNames = new Set(columnsIn(scope, left).map((entry) => entry.column.name));
    for (const entry of columnsIn(scope, right)) if (leftNames.has(entry.column.name)) usingNames.push(entry.column.name);
  }
  for (const name of usingNames) {
    const l = columnsIn(scope, left).find((entry) => entry.column.name === name);
    const r = columnsIn(scope, right).find((entry) => entry.column.name === name);
    if (!l || !r) throw new SqlError(SqlState.undefinedColumn, `column "${name}" specified in USING clause does not exist in ${l ? 'right' : 'left'} table`);
    const leftExpr: Expr = { kind: 'column', index: l.index, name, type: l.column.type, typmod: l.column.typmod };
    const rightExpr: Expr = { kind: 'column', index: r.index, name, type: r.column.type, typmod: r.column.typmod };
    conditions.push(binder.bindOperator('=', leftExpr, rightExpr));
    const merged = joinType === 'right' ? r : joinType === 'full' ? { ...l, coalesceWith: r.index } : l;
    scope.mergedColumns.set(name, merged);
    for (const item of scope.items) {
      item.columns.forEach((column, i) => {
        const index = item.offset + i;
        if ((index === l.index || index === r.index) && column.name === name) (item.hiddenColumns ??= new Set()).add(i);
      });
    }
  }
  if (body.quals) {
    const joinScope = scope;
    conditions.push(binder.bindCondition(body.quals, joinScope, 'JOIN/ON'));
  } else if (usingNames.length === 0 && joinType === 'inner' && !body.isNatural) {
    joinType = 'cross';
  }
  if (body.alias) throw new SqlError(SqlState.featureNotSupported, 'aliases on JOIN are not supported yet');
  if (joinType === 'full') checkFullJoinConditions(conditions.flatMap((c) => splitConjuncts(c)), left, right);
  return { node: 'join', joinType, left, right, start: left.start, end: right.end, conditions: conditions.flatMap((c) => splitConjuncts(c)) };
}

function columnsIn(scope: Scope, node: FromNode): Array<{ index: number; column: OutputColumn }> {
  const result: Array<{ index: number; column: OutputColumn }> = [];
  for (const item of scope.items) {
    item.columns.forEach((column, i) => {
      const index = item.offset + i;
      if (index >= node.start && index < node.end) result.push({ index, column });
    });
  }
  return result;
}

/** Pushes WHERE conjuncts down; returns those that must stay above the whole FROM. */
export function distributeConjuncts(tree: FromNode | null, conjuncts: Expr[]): Expr[] {
  const remaining: Expr[] = [];
  for (const conjunct of conjuncts) {
    if (!tree || !place(tree, conjunct, true)) remaining.push(conjunct);
  }
  if (tree) pushJoinConditions(tree);
  return remaining;
}

function movable(conjunct: Expr): boolean {
  return !isVolatile(conjunct) && !containsKind(conjunct, ['subquery', 'aggRef']);
}

/** Tries to attach a conjunct at or below `node`; `canFilterHere` is false on nullable sides. */
function place(node: FromNode, conjunct: Expr, canFilterHere: boolean): boolean {
  if (!canFilterHere || !movable(conjunct)) return false;
  const columns = [...referencedColumns(conjunct)];
  const within = (n: FromNode) => columns.every((index) => index >= n.start && index < n.end);
  if (!within(node)) return false;
  if (node.node === 'leaf') {
    node.filters.push(conjunct);
    return true;
  }
  const leftOk = node.joinType === 'inner' || node.joinType === 'cross' || node.joinType === 'left';
  const rightOk = node.joinType === 'inner' || node.joinType === 'cross' || node.joinType === 'right';
  if (columns.length > 0 && within(node.left) && place(node.left, conjunct, leftOk)) return true;
  if (columns.length > 0 && within(node.right) && place(node.right, conjunct, rightOk)) return true;
  if (node.joinType === 'inner' || node.joinType === 'cross') {
    node.conditions.push(conjunct);
    if (node.joinType === 'cross') node.joinType = 'inner';
    return true;
  }
  return false;
}

/** ON conditions touching one side only move into that side when the join type allows. */
function pushJoinConditions(node: FromNode): void {
  if (node.node === 'leaf') return;
  const kept: Expr[] = [];
  for (const condition of node.conditions) {
    const columns = [...referencedColumns(condition)];
    const inSide = (side: FromNode) => columns.length > 0 && columns.every((index) => index >= side.start && index < side.end);
    const rightPushable = node.joinType === 'inner' || node.joinType === 'left';
    const leftPushable = node.joinType === 'inner' || node.joinType === 'right';
    if (leftPushable && inSide(node.left) && place(node.left, condition, true)) continue;
    if (rightPushable && inSide(node.right) && place(node.right, condition, true)) continue;
    kept.push(condition);
  }
  node.conditions = kept;
  pushJoinConditions(node.left);
  pushJoinConditions(node.right);
}

export interface OrderRequest {
  /** Global scope indices, ascending or descending as a whole. */
  columns: number[];
  descending: boolean;
}

/** Builds the plan of a FROM tree (after distribution). `order` lets a lone table scan use an index order. */
export function buildFromPlan(context: QueryContext, tree: FromNode | null, order: OrderRequest | null): { plan: PlanNode; ordered: boolean } {
  if (!tree) return { plan: { kind: 'result', columns: [], exprs: [] }, ordered: false };
  return buildNode(context, tree, tree.node === 'leaf' ? order : null);
}

function buildNode(context: QueryContext, node: FromNode, order: OrderRequest | null): { plan: PlanNode; ordered: boolean } {
  if (node.node === 'leaf') return buildLeaf(context, node, order);
  const left = buildNode(context, node.left, null).plan;
  const right = buildNode(context, node.right, null).plan;
  const columns = [...left.columns, ...right.columns];
  const lateral = containsLateral(node.right);
  const conditions = node.conditions.map((condition) => shiftColumns(condition, -node.start));
  let hashKeys: Array<{ left: Expr; right: Expr }> | null = null;
  const residual: Expr[] = [];
  const leftWidth = left.columns.length;
  if (!lateral && node.joinType !== 'cross') {
    for (const condition of conditions) {
      const keys = equiJoinKeys(condition, leftWidth);
      if (keys) (hashKeys ??= []).push(keys);
      else residual.push(condition);
    }
  }
  const condition = hashKeys ? andAll(residual) : andAll(conditions);
  const joinType = node.joinType === 'cross' && conditions.length > 0 ? 'inner' : node.joinType;
  return {
    plan: { kind: 'join', columns, joinType, left, right, condition, lateral, hashKeys },
    ordered: false,
  };
}

function containsLateral(node: FromNode): boolean {
  if (node.node === 'leaf') return node.lateral;
  return containsLateral(node.left) || containsLateral(node.right);
}

function equiJoinKeys(condition: Expr, leftWidth: number): { left: Expr; right: Expr } | null {
  if (condition.kind !== 'call' || condition.name !== '=' || condition.args.length !== 2) return null;
  const [a, b] = condition.args as [Expr, Expr];
  if (a.type !== b.type) return null;
  const side = (expr: Expr): 'left' | 'right' | null => {
    const columns = [...referencedColumns(expr)];
    if (columns.length === 0 || containsKind(expr, ['subquery']) || isVolatile(expr)) return null;
    if (columns.every((index) => index < leftWidth)) return 'left';
    if (columns.every((index) => index >= leftWidth)) return 'right';
    return null;
  };
  const sa = side(a);
  const sb = side(b);
  if (sa === 'left' && sb === 'right') return { left: a, right: shiftColumns(b, -leftWidth) };
  if (sa === 'right' && sb === 'left') return { left: b, right: shiftColumns(a, -leftWidth) };
  return null;
}

function buildLeaf(context: QueryContext, node: LeafNode, order: OrderRequest | null): { plan: PlanNode; ordered: boolean } {
  const filters = node.filters.map((filter) => shiftColumns(filter, -node.start));
  const leaf = node.leaf;
  if (leaf.kind === 'table') {
    const scanColumnOf = (attnum: number) => leaf.attnums.indexOf(attnum);
    const wanted = order ? { columns: order.columns.map((index) => index - node.start), descending: order.descending } : null;
    const choice = chooseAccess(context.bind.catalog, leaf.table, filters, scanColumnOf, wanted);
    return {
      plan: { kind: 'tableScan', columns: leaf.columns, table: leaf.table, access: choice.access, filter: andAll(choice.remaining), emitKey: leaf.emitKey },
      ordered: wanted !== null && choice.orderedBy.length > 0,
    };
  }
  if (leaf.kind === 'virtual') {
    return { plan: { ...leaf.plan, filter: andAll(filters) }, ordered: false };
  }
  const filter = andAll(filters);
  return { plan: filter ? { kind: 'filter', columns: leaf.columns, input: leaf.plan, predicate: filter } : leaf.plan, ordered: false };
}

export function stringOf(node: AstBody): string {
  return stringValue(node);
}

void getType;
