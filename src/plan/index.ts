// The plan layer's door: binding (names, types, overloads) and planning (access paths, joins).
export * from './expr.js';
export * from './nodes.js';
export { ExprBinder, type BindContext, type RelationOverride } from './bind-expr.js';
export { planQuery, figureColumnName, sortKey, type QueryContext } from './select.js';
export { Scope } from './scope.js';
export { getType, maybeType, lookupTypeName, formatTypeName, canCoerce, findCast, T, UNKNOWN } from './type-access.js';
export { typeDisplayName, commonType } from './resolve.js';
export { quoteIdentifier, describeIndex, describeConstraint } from './describe.js';
export type { AggregateCall } from './aggregates.js';
export type { WindowCall } from './window.js';
export { conjuncts, andAll, referencedColumns, containsKind, shiftColumns } from './expr-utils.js';
export { chooseAccess } from './access-path.js';
export { virtualRelation, virtualRelations } from './virtual/index.js';
export { RegType, regTypeOids } from './reg-types.js';
export { planInsert, planUpdate, planDelete, defaultExpr, type InsertPlan, type UpdatePlan, type DeletePlan } from './dml.js';
export { deparseBound } from './deparse-bound.js';
export { pruneColumns } from './prune.js';
