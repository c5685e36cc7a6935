// Uncorrelated subqueries (no reference to an enclosing row, nothing volatile) give the same rows
// for every outer row: run them once per statement execution, as PostgreSQL's InitPlans / hashed
// SubPlans do, instead of once per outer row (TPC-H Q18's IN (… GROUP BY … HAVING …) was O(n²)).
import type { PlanNode, Row, RuntimeContext } from '../plan/index.js';

const independence = new WeakMap<PlanNode, boolean>();
const results = new WeakMap<RuntimeContext, Map<PlanNode, Row[]>>();

/** Conservative: any outer-column reference or volatile call anywhere inside makes it dependent. */
function isIndependent(plan: PlanNode): boolean {
  let known = independence.get(plan);
  if (known !== undefined) return known;
  let independent = true;
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (!independent || value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (record.kind === 'outerColumn' || (record.kind === 'call' && record.volatile === true) || record.kind === 'workTableScan' || record.kind === 'param') {
      independent = false;
      return;
    }
    for (const child of Object.values(record)) if (child && typeof child === 'object') visit(child);
  };
  visit(plan);
  known = independent;
  independence.set(plan, known);
  return known;
}

/** The subquery's rows for this outer row, computed once per execution when independent of it. */
export function subplanRows(plan: PlanNode, row: Row, context: RuntimeContext): Iterable<Row> {
  if (!isIndependent(plan)) return context.runSubplan(plan, row);
  let cache = results.get(context);
  if (!cache) results.set(context, (cache = new Map()));
  let rows = cache.get(plan);
  if (!rows) {
    rows = [...context.runSubplan(plan, row)];
    cache.set(plan, rows);
  }
  return rows;
}
