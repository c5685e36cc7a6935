// Window functions in a SELECT: binding `f(…) OVER (…)` (named windows, PARTITION BY, ORDER BY,
// ROWS/RANGE/GROUPS frames with EXCLUDE) and planning the `window` node that computes them over
// its input (after grouping and HAVING, before the projection), as PostgreSQL does.
// Added by the query-language engineer; select.ts and bind-expr.ts call in through small hooks.
import { positionOf, type AstBody } from '../parser/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import { bindAggregateCall, type AggregateCall } from './aggregates.js';
import type { ExprBinder } from './bind-expr.js';
import type { Expr } from './expr.js';
import { mapChildren } from './expr-utils.js';
import type { OutputColumn, PlanNode, SortKey } from './nodes.js';
import { commonType } from './resolve.js';
import type { Scope } from './scope.js';
import { sortKey } from './select.js';
import { T, UNKNOWN } from './type-access.js';

export type WindowFunctionKind =
  | 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist' | 'ntile'
  | 'lag' | 'lead' | 'first_value' | 'last_value' | 'nth_value' | 'aggregate';

export interface WindowFrameBound {
  kind: 'unboundedPreceding' | 'preceding' | 'currentRow' | 'following' | 'unboundedFollowing';
  offset?: Expr;
}

export interface WindowFrame {
  mode: 'rows' | 'range' | 'groups';
  start: WindowFrameBound;
  end: WindowFrameBound;
  exclude: 'noOthers' | 'currentRow' | 'group' | 'ties';
  /** RANGE with an offset: `key ± offset` (sum/difference exprs over the row [value, offset]) and ≤ / ≥ on keys. */
  rangeArithmetic?: { add: Expr; subtract: Expr; lessOrEqual: Expr; greaterOrEqual: Expr; offsetIsNegative: Expr };
}

export interface WindowCall {
  name: string;
  kind: WindowFunctionKind;
  /** Arguments of a non-aggregate window function. */
  args: Expr[];
  /** For aggregates used as window functions. */
  aggregate?: AggregateCall;
  partitionBy: Expr[];
  orderBy: SortKey[];
  frame: WindowFrame;
  type: number;
  typmod: number;
}

interface Collector {
  calls: WindowCall[];
  definitions: Map<string, AstBody>;
  clause: string;
}

const collectors = new WeakMap<ExprBinder, Collector>();

/** Window calls are allowed while binding the SELECT list and ORDER BY of this query. */
export function beginWindowCollection(binder: ExprBinder, windowClause: AstBody[] | undefined): void {
  const definitions = new Map<string, AstBody>();
  for (const item of windowClause ?? []) {
    const definition = item.WindowDef ?? item;
    if (definitions.has(definition.name)) throw new SqlError(SqlState.windowingError, `window "${definition.name}" is already defined`, positionOf(definition));
    if (definition.refname && !definitions.has(definition.refname)) throw new SqlError(SqlState.undefinedObject, `window "${definition.refname}" does not exist`, positionOf(definition));
    definitions.set(definition.name, definition);
  }
  collectors.set(binder, { calls: [], definitions, clause: 'SELECT' });
}

const paused = new WeakMap<ExprBinder, Collector>();

/** GROUP BY and HAVING may not contain window functions: collection pauses while they bind. */
export function pauseWindowCollection(binder: ExprBinder): void {
  const collector = collectors.get(binder);
  if (!collector) return;
  paused.set(binder, collector);
  collectors.delete(binder);
}

export function resumeWindowCollection(binder: ExprBinder): void {
  const collector = paused.get(binder);
  if (!collector) return;
  paused.delete(binder);
  collectors.set(binder, collector);
}

export function endWindowCollection(binder: ExprBinder): WindowCall[] {
  const collector = collectors.get(binder);
  collectors.delete(binder);
  return collector?.calls ?? [];
}

const frameOption = {
  range: 0x2, rows: 0x4, groups: 0x8,
  startUnboundedPreceding: 0x20, endUnboundedPreceding: 0x40, startUnboundedFollowing: 0x80, endUnboundedFollowing: 0x100,
  startCurrentRow: 0x200, endCurrentRow: 0x400, startOffsetPreceding: 0x800, endOffsetPreceding: 0x1000,
  startOffsetFollowing: 0x2000, endOffsetFollowing: 0x4000, excludeCurrentRow: 0x8000, excludeGroup: 0x10000, excludeTies: 0x20000,
} as const;

const defaultFrameOptions = frameOption.range | frameOption.startUnboundedPreceding | frameOption.endCurrentRow;

/** The effective window definition: a named window, possibly extended by the OVER clause. */
function resolveDefinition(collector: Collector, over: AstBody, isOverClause = true): { partitionClause?: AstBody[]; orderClause?: AstBody[]; frameOptions: number; startOffset?: AstBody; endOffset?: AstBody } {
  // `OVER w` names a window; in the WINDOW clause `name` is the definition's own name.
  if (isOverClause && over.name && !over.partitionClause && !over.orderClause && !over.refname) {
    const named = collector.definitions.get(over.name);
    if (!named) throw new SqlError(SqlState.undefinedObject, `window "${over.name}" does not exist`, positionOf(over));
    return resolveDefinition(collector, named, false);
  }
  if (over.refname) {
    const base = collector.definitions.get(over.refname);
    if (!base) throw new SqlError(SqlState.undefinedObject, `window "${over.refname}" does not exist`, positionOf(over));
    const resolved = resolveDefinition(collector, base, false);
    if (over.partitionClause) throw new SqlError(SqlState.windowingError, `cannot override PARTITION BY clause of window "${over.refname}"`, positionOf(over));
    if (over.orderClause && resolved.orderClause) throw new SqlError(SqlState.windowingError, `cannot override ORDER BY clause of window "${over.refname}"`, positionOf(over));
    if ((resolved.frameOptions & 0x1) !== 0) throw new SqlError(SqlState.windowingError, `cannot copy window "${over.refname}" because it has a frame clause`, positionOf(over));
    return { partitionClause: resolved.partitionClause, orderClause: over.orderClause ?? resolved.orderClause, frameOptions: over.frameOptions ?? defaultFrameOptions, startOffset: over.startOffset, endOffset: over.endOffset };
  }
  return { partitionClause: over.partitionClause, orderClause: over.orderClause, frameOptions: over.frameOptions ?? defaultFrameOptions, startOffset: over.startOffset, endOffset: over.endOffset };
}

function bindFrame(binder: ExprBinder, scope: Scope, options: number, startNode: AstBody | undefined, endNode: AstBody | undefined, orderBy: SortKey[], position: { position?: number }): WindowFrame {
  const mode = options & frameOption.rows ? 'rows' : options & frameOption.groups ? 'groups' : 'range';
  const bound = (which: 'start' | 'end', node: AstBody | undefined): WindowFrameBound => {
    const bit = (name: string) => (frameOption as Record<string, number>)[`${which}${name}`]!;
    if (options & bit('UnboundedPreceding')) return { kind: 'unboundedPreceding' };
    if (options & bit('UnboundedFollowing')) return { kind: 'unboundedFollowing' };
    if (options & bit('CurrentRow')) return { kind: 'currentRow' };
    const kind = options & bit('OffsetPreceding') ? 'preceding' : 'following';
    if (!node) return which === 'start' ? { kind: 'unboundedPreceding' } : { kind: 'currentRow' };
    let offset = binder.bind(node, scope);
    if (mode !== 'range') offset = binder.coerce(offset, T.int8, -1, 'implicit', node);
    return { kind, offset };
  };
  const start = bound('start', startNode);
  const end = bound('end', endNode);
  if (mode === 'groups' && orderBy.length === 0) throw new SqlError(SqlState.windowingError, 'GROUPS mode requires an ORDER BY clause', position);
  const exclude = options & frameOption.excludeCurrentRow ? 'currentRow' : options & frameOption.excludeGroup ? 'group' : options & frameOption.excludeTies ? 'ties' : 'noOthers';
  const frame: WindowFrame = { mode, start, end, exclude };
  const offsets = [start, end].filter((b) => b.offset);
  if (mode === 'range' && offsets.length > 0) {
    if (orderBy.length !== 1) throw new SqlError(SqlState.windowingError, 'RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column', position);
    const keyType = orderBy[0]!.expr.type;
    const offsetType = offsets[0]!.offset!.type === UNKNOWN ? keyType : offsets[0]!.offset!.type;
    for (const b of offsets) b.offset = binder.coerce(b.offset!, offsetType, -1, 'implicit');
    // Arithmetic over the synthetic row [key value, offset, other key value].
    const column = (index: number, type: number): Expr => ({ kind: 'column', index, name: `?range${index}`, type, typmod: -1 });
    let add: Expr;
    let subtract: Expr;
    try {
      add = binder.bindOperator('+', column(0, keyType), column(1, offsetType));
      subtract = binder.bindOperator('-', column(0, keyType), column(1, offsetType));
    } catch {
      throw new SqlError(SqlState.featureNotSupported, `RANGE with offset PRECEDING/FOLLOWING is not supported for column type ${keyType} and offset type ${offsetType}`, position);
    }
    const boundType = add.type;
    frame.rangeArithmetic = {
      add,
      subtract,
      lessOrEqual: binder.bindOperator('<=', column(2, keyType), column(0, boundType)),
      greaterOrEqual: binder.bindOperator('>=', column(2, keyType), column(0, boundType)),
      offsetIsNegative: binder.bindOperator('<', column(1, offsetType), binder.coerce({ kind: 'const', value: '0', type: UNKNOWN, typmod: -1 }, offsetType === T.interval ? T.interval : offsetType, -1, 'implicit')),
    };
  }
  return frame;
}

const rankingFunctions = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist']);
const windowOnlyFunctions = new Set([...rankingFunctions, 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value']);

function argumentCountError(name: string, args: Expr[], position: { position?: number }): SqlError {
  return new SqlError(SqlState.undefinedFunction, `function ${name}(${args.map((a) => (a.type === UNKNOWN ? 'unknown' : String(a.type))).join(', ')}) does not exist`, {
    ...position,
    hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
  });
}

/** Binds `name(…) OVER (…)`; returns a windowRef to the call's output column. */
export function bindWindowCall(binder: ExprBinder, name: string, body: AstBody, scope: Scope): Expr {
  const position = positionOf(body);
  const collector = collectors.get(binder);
  if (!collector) {
    throw new SqlError(SqlState.windowingError, `window functions are not allowed in ${binder.aggregateClause ?? 'this context'}`, position);
  }
  // Window calls may not nest (their arguments and clauses see no collector).
  collectors.delete(binder);
  try {
    const definition = resolveDefinition(collector, body.over);
    const partitionBy = ((definition.partitionClause ?? []) as AstBody[]).map((node) => {
      const expr = binder.bind(node, scope);
      return expr.type === UNKNOWN ? binder.coerce(expr, T.text, -1, 'implicit') : expr;
    });
    const orderBy = ((definition.orderClause ?? []) as AstBody[]).map((item) => {
      const sortBy = item.SortBy;
      let expr = binder.bind(sortBy.node, scope);
      if (expr.type === UNKNOWN) expr = binder.coerce(expr, T.text, -1, 'implicit');
      return sortKey(expr, sortBy);
    });
    const frame = bindFrame(binder, scope, definition.frameOptions, definition.startOffset, definition.endOffset, orderBy, position);
    let call: WindowCall;
    if (windowOnlyFunctions.has(name)) {
      if (body.agg_star || body.agg_distinct || body.agg_order) throw new SqlError(SqlState.windowingError, `${body.agg_distinct ? 'DISTINCT' : body.agg_star ? '*' : 'ORDER BY'} specified, but ${name} is not an aggregate function`, position);
      if (body.agg_filter) throw new SqlError(SqlState.windowingError, 'FILTER is not implemented for non-aggregate window functions', position);
      const args = ((body.args ?? []) as AstBody[]).map((node) => binder.bind(node, scope));
      call = bindWindowOnlyFunction(binder, name, args, position);
      call.partitionBy = partitionBy;
      call.orderBy = orderBy;
      call.frame = frame;
    } else {
      if (body.agg_within_group) throw new SqlError(SqlState.featureNotSupported, `OVER is not supported for ordered-set aggregate ${name}`, position);
      if (body.agg_distinct) throw new SqlError(SqlState.featureNotSupported, 'DISTINCT is not implemented for window functions', position);
      if (body.agg_order) throw new SqlError(SqlState.featureNotSupported, 'aggregate ORDER BY is not implemented for window functions', position);
      const aggregate = bindAggregateCall(binder, name, body, scope);
      call = { name, kind: 'aggregate', args: [], aggregate, partitionBy, orderBy, frame, type: aggregate.type, typmod: aggregate.typmod };
    }
    collector.calls.push(call);
    return { kind: 'windowRef', index: collector.calls.length - 1, type: call.type, typmod: call.typmod };
  } finally {
    collectors.set(binder, collector);
  }
}

function bindWindowOnlyFunction(binder: ExprBinder, name: string, argsIn: Expr[], position: { position?: number }): WindowCall {
  const call = (kind: WindowFunctionKind, args: Expr[], type: number, typmod = -1): WindowCall => ({
    name, kind, args, partitionBy: [], orderBy: [], frame: { mode: 'range', start: { kind: 'unboundedPreceding' }, end: { kind: 'currentRow' }, exclude: 'noOthers' }, type, typmod,
  });
  const args = argsIn.map((arg) => (arg.type === UNKNOWN && name !== 'lag' && name !== 'lead' ? binder.coerce(arg, T.text, -1, 'implicit') : arg));
  switch (name) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
      if (args.length !== 0) throw argumentCountError(name, args, position);
      return call(name, [], T.int8);
    case 'percent_rank':
    case 'cume_dist':
      if (args.length !== 0) throw argumentCountError(name, args, position);
      return call(name, [], T.float8);
    case 'ntile':
      if (args.length !== 1) throw argumentCountError(name, args, position);
      return call('ntile', [binder.coerce(args[0]!, T.int4, -1, 'implicit')], T.int4);
    case 'first_value':
    case 'last_value':
      if (args.length !== 1) throw argumentCountError(name, args, position);
      return call(name, args, args[0]!.type, args[0]!.typmod);
    case 'nth_value':
      if (args.length !== 2) throw argumentCountError(name, args, position);
      return call('nth_value', [args[0]!, binder.coerce(args[1]!, T.int4, -1, 'implicit')], args[0]!.type, args[0]!.typmod);
    case 'lag':
    case 'lead': {
      if (args.length < 1 || args.length > 3) throw argumentCountError(name, args, position);
      let value = args[0]!;
      const offset = args[1] ? binder.coerce(args[1], T.int4, -1, 'implicit') : undefined;
      let fallback = args[2];
      if (fallback) {
        const type = commonType([value.type, fallback.type], name);
        value = binder.coerce(value, type, -1, 'implicit');
        fallback = binder.coerce(fallback, type, -1, 'implicit');
      } else if (value.type === UNKNOWN) {
        value = binder.coerce(value, T.text, -1, 'implicit');
      }
      const list = [value, ...(offset ? [offset] : []), ...(fallback ? [fallback] : [])];
      return call(name, list, value.type, fallback ? -1 : value.typmod);
    }
    default:
      throw argumentCountError(name, args, position);
  }
}

/** A window-only function called without OVER (PostgreSQL: 42809). */
export function checkWindowFunctionHasOver(name: string, body: AstBody): void {
  if (!body.over && windowOnlyFunctions.has(name)) {
    throw new SqlError(SqlState.wrongObjectType, `window function ${name} requires an OVER clause`, positionOf(body));
  }
}

/** Applies `map` to every expression a window call evaluates (GROUP BY rewriting). */
export function mapWindowCall(call: WindowCall, map: (expr: Expr) => Expr): WindowCall {
  const mapBound = (bound: WindowFrameBound): WindowFrameBound => (bound.offset ? { ...bound, offset: map(bound.offset) } : bound);
  return {
    ...call,
    args: call.args.map(map),
    aggregate: call.aggregate ? { ...call.aggregate, args: call.aggregate.args.map(map), filter: call.aggregate.filter ? map(call.aggregate.filter) : null } : undefined,
    partitionBy: call.partitionBy.map(map),
    orderBy: call.orderBy.map((key) => ({ ...key, expr: map(key.expr) })),
    frame: { ...call.frame, start: mapBound(call.frame.start), end: mapBound(call.frame.end) },
  };
}

/** Replaces windowRef i by a reference to output column `offset + i` of the window node. */
export function replaceWindowRefs(expr: Expr, offset: number): Expr {
  if (expr.kind === 'windowRef') return { kind: 'column', index: offset + expr.index, name: '?window', type: expr.type, typmod: expr.typmod };
  return mapChildren(expr, (child) => replaceWindowRefs(child, offset));
}

/** The window node over `input`: its columns are the input's, then one per call. */
export function planWindowNode(input: PlanNode, calls: WindowCall[]): PlanNode {
  const columns: OutputColumn[] = [
    ...input.columns,
    ...calls.map((call) => ({ name: call.name, type: call.type, typmod: call.typmod, tableOid: 0, attnum: 0 })),
  ];
  return { kind: 'window', columns, input, calls };
}


