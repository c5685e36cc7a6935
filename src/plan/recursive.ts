// WITH RECURSIVE: `non-recursive term UNION [ALL] recursive term`, where the recursive term reads
// the rows the previous iteration produced through a work-table scan (PostgreSQL's
// RecursiveUnion / WorkTableScan). Added by the query-language engineer; select.ts calls
// planRecursiveCte for each CTE of a RECURSIVE WITH that refers to itself.
import { nameList, positionOf, type AstBody } from '../parser/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import { ExprBinder } from './bind-expr.js';
import type { Expr } from './expr.js';
import type { OutputColumn, PlanNode } from './nodes.js';
import { commonType, typeDisplayName } from './resolve.js';
import type { Scope } from './scope.js';
import { planQuery, type QueryContext } from './select.js';
import { T, UNKNOWN } from './type-access.js';

let nextWorkTableId = 1;

/** How many times a query's AST names `name` as an unqualified relation. */
function countReferences(node: unknown, name: string): number {
  if (node === null || typeof node !== 'object') return 0;
  if (Array.isArray(node)) return node.reduce((sum: number, item) => sum + countReferences(item, name), 0);
  const record = node as Record<string, unknown>;
  const rangeVar = record.RangeVar as { relname?: string; schemaname?: string } | undefined;
  if (rangeVar && rangeVar.relname === name && !rangeVar.schemaname) return 1;
  let count = 0;
  for (const value of Object.values(record)) count += countReferences(value, name);
  return count;
}

/** True when the CTE's query mentions its own name as a relation (a self-reference). */
export function isSelfReferencing(cte: AstBody): boolean {
  return countReferences(cte.ctequery, cte.ctename) > 0;
}

function countWorkTableScans(plan: unknown, id: number, seen = new Set<object>()): number {
  if (plan === null || typeof plan !== 'object' || seen.has(plan)) return 0;
  seen.add(plan);
  const record = plan as Record<string, unknown>;
  let count = record.kind === 'workTableScan' && record.workTableId === id ? 1 : 0;
  for (const value of Object.values(record)) if (value && typeof value === 'object') count += countWorkTableScans(value, id, seen);
  return count;
}

function conform(binder: ExprBinder, plan: PlanNode, types: number[]): PlanNode {
  if (plan.columns.every((column, i) => column.type === types[i])) return plan;
  const exprs: Expr[] = plan.columns.map((column, i) => binder.coerce({ kind: 'column', index: i, name: column.name, type: column.type, typmod: column.typmod }, types[i]!, -1, 'implicit'));
  return { kind: 'project', input: plan, exprs, columns: plan.columns.map((column, i) => ({ ...column, type: types[i]!, typmod: column.type === types[i] ? column.typmod : -1 })) };
}

export function planRecursiveCte(context: QueryContext, cte: AstBody, parent: Scope | null): PlanNode {
  const name: string = cte.ctename;
  const query = cte.ctequery.SelectStmt ?? cte.ctequery;
  if (query.op !== 'SETOP_UNION') {
    throw new SqlError('42P19', `recursive query "${name}" does not have the form non-recursive-term UNION [ALL] recursive-term`, positionOf(cte));
  }
  if (query.sortClause) throw new SqlError(SqlState.featureNotSupported, 'ORDER BY in a recursive query is not implemented', positionOf(cte));
  if (query.limitCount || query.limitOffset) throw new SqlError(SqlState.featureNotSupported, 'LIMIT in a recursive query is not implemented', positionOf(cte));
  const binder = new ExprBinder(context.bind);
  const nonRecursiveRaw = planQuery(context, query.larg, parent, null).plan;
  const nonRecursive = conform(binder, nonRecursiveRaw, nonRecursiveRaw.columns.map((column) => (column.type === UNKNOWN ? T.text : column.type)));
  const aliases: string[] = cte.aliascolnames ? nameList(cte.aliascolnames) : [];
  if (aliases.length > nonRecursive.columns.length) {
    throw new SqlError(SqlState.syntaxError, `WITH query "${name}" has ${nonRecursive.columns.length} columns available but ${aliases.length} columns specified`, positionOf(cte));
  }
  const columns: OutputColumn[] = nonRecursive.columns.map((column, i) => ({ ...column, name: aliases[i] ?? column.name, tableOid: 0, attnum: 0 }));
  if (countReferences(query.rarg, name) > 1) throw new SqlError('42P19', `recursive reference to query "${name}" must not appear more than once`, positionOf(cte));
  const workTableId = nextWorkTableId++;
  const workTable: PlanNode = { kind: 'workTableScan', columns, workTableId, name };
  const ctes = new Map(context.ctes);
  ctes.set(name, workTable);
  const recursiveRaw = planQuery({ ...context, ctes }, query.rarg, parent, null).plan;
  if (recursiveRaw.columns.length !== columns.length) {
    throw new SqlError(SqlState.syntaxError, 'each UNION query must have the same number of columns', positionOf(cte));
  }
  const types = columns.map((column, i) => {
    const overall = commonType([column.type, recursiveRaw.columns[i]!.type], 'UNION');
    if (overall !== column.type) {
      throw new SqlError(SqlState.datatypeMismatch, `recursive query "${name}" column ${i + 1} has type ${typeDisplayName(column.type)} in non-recursive term but type ${typeDisplayName(overall)} overall`, {
        ...positionOf(cte),
        hint: 'Cast the output of the non-recursive term to the correct type.',
      });
    }
    return column.type;
  });
  const recursive = conform(binder, recursiveRaw, types);
  const references = countWorkTableScans(recursive, workTableId);
  if (references === 0) return { kind: 'setOp', op: 'union', all: query.all === true, left: nonRecursive, right: recursive, columns };
  if (references > 1) throw new SqlError('42P19', `recursive reference to query "${name}" must not appear more than once`, positionOf(cte));
  return { kind: 'recursiveUnion', columns, nonRecursive, recursive, all: query.all === true, workTableId };
}
