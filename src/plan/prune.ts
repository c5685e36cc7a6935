// Column pruning: tells each table scan which of its columns the plan above actually reads, so
// the executor decodes only those (count(*) decodes nothing). Anything it cannot see through
// (subqueries, LATERAL, set operations) keeps every column.
import type { Expr } from './expr.js';
import { containsKind, referencedColumns } from './expr-utils.js';
import type { PlanNode } from './nodes.js';

type Needed = Set<number> | 'all';

function refs(exprs: Array<Expr | null | undefined>, into: Set<number>): boolean {
  for (const expr of exprs) {
    if (!expr) continue;
    if (containsKind(expr, ['subquery', 'outerColumn'])) return false;
    for (const index of referencedColumns(expr)) into.add(index);
  }
  return true;
}

function union(needed: Needed, exprs: Array<Expr | null | undefined>): Needed {
  if (needed === 'all') return 'all';
  const result = new Set(needed);
  return refs(exprs, result) ? result : 'all';
}

function only(exprs: Array<Expr | null | undefined>): Needed {
  const result = new Set<number>();
  return refs(exprs, result) ? result : 'all';
}

export function pruneColumns(node: PlanNode, needed: Needed = 'all'): void {
  switch (node.kind) {
    case 'tableScan': {
      if (needed === 'all') return;
      const result = union(needed, [node.filter]);
      if (result === 'all') return;
      const liveCount = node.columns.length - (node.emitKey ? 1 : 0);
      node.neededColumns = [...result].filter((index) => index < liveCount).sort((a, b) => a - b);
      return;
    }
    case 'project':
    case 'projectSet':
      pruneColumns(node.input, only(node.exprs));
      return;
    case 'filter':
      pruneColumns(node.input, union(needed, [node.predicate]));
      return;
    case 'sort':
      pruneColumns(node.input, union(needed, node.keys.map((key) => key.expr)));
      return;
    case 'limit':
      pruneColumns(node.input, needed);
      return;
    case 'distinct':
      pruneColumns(node.input, node.on ? union(needed, node.on) : 'all');
      return;
    case 'aggregate':
      pruneColumns(node.input, only([
        ...node.groupBy,
        ...node.aggregates.flatMap((call) => [...call.args, call.filter, ...call.orderBy.map((key) => key.expr)]),
      ]));
      return;
    case 'window': {
      const width = node.input.columns.length;
      const below = needed === 'all' ? 'all' : new Set([...needed].filter((index) => index < width));
      pruneColumns(node.input, union(below, node.calls.flatMap((call) => [
        ...call.args, ...call.partitionBy, ...call.orderBy.map((key) => key.expr),
        // Aggregates used as window functions keep their arguments and FILTER on the AggregateCall.
        ...(call.aggregate ? [...call.aggregate.args, call.aggregate.filter] : []),
        call.frame.start.offset, call.frame.end.offset,
      ])));
      return;
    }
    case 'join': {
      if (node.lateral) {
        pruneColumns(node.left, 'all');
        pruneColumns(node.right, 'all');
        return;
      }
      const width = node.left.columns.length;
      let all = union(needed, [node.condition]);
      const leftNeeded = new Set<number>();
      const rightNeeded = new Set<number>();
      if (all !== 'all') {
        for (const index of all) (index < width ? leftNeeded : rightNeeded).add(index < width ? index : index - width);
        if (!refs((node.hashKeys ?? []).map((key) => key.left), leftNeeded) || !refs((node.hashKeys ?? []).map((key) => key.right), rightNeeded)) all = 'all';
      }
      pruneColumns(node.left, all === 'all' ? 'all' : leftNeeded);
      pruneColumns(node.right, all === 'all' ? 'all' : rightNeeded);
      return;
    }
    case 'materialize':
    case 'lockRows':
      pruneColumns(node.input, 'all');
      return;
    case 'setOp':
      pruneColumns(node.left, 'all');
      pruneColumns(node.right, 'all');
      return;
    case 'result':
    case 'values':
    case 'virtualScan':
    case 'functionScan':
      return;
  }
}
