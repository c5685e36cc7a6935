// EXPLAIN text in PostgreSQL's shape (node names and indentation; costs are not estimated yet).
import type { PlanNode } from '../plan/index.js';

function nodeLabel(node: PlanNode): string {
  switch (node.kind) {
    case 'tableScan': {
      if (!node.access) return `Seq Scan on ${node.table.name}`;
      const index = node.access.index ? node.access.index.name : `${node.table.name}_pkey`;
      return `Index Scan${node.access.reverse ? ' Backward' : ''} using ${index} on ${node.table.name}`;
    }
    case 'virtualScan': return `Seq Scan on ${node.name.split('.').pop()}`;
    case 'functionScan': return 'Function Scan';
    case 'result': return 'Result';
    case 'values': return 'Values Scan on "*VALUES*"';
    case 'filter': return 'Filter';
    case 'project': return 'Project';
    case 'projectSet': return 'ProjectSet';
    case 'sort': return 'Sort';
    case 'limit': return 'Limit';
    case 'aggregate': return node.groupBy.length ? 'HashAggregate' : 'Aggregate';
    case 'distinct': return 'HashAggregate';
    case 'join': {
      const type = { inner: '', left: ' Left', right: ' Right', full: ' Full', cross: '', semi: ' Semi', anti: ' Anti' }[node.joinType];
      return node.hashKeys ? `Hash${type} Join` : `Nested Loop${type} Join`.replace('Nested Loop Join', 'Nested Loop');
    }
    case 'setOp': return node.op === 'union' ? (node.all ? 'Append' : 'HashAggregate') : `HashSetOp ${node.op === 'intersect' ? 'Intersect' : 'Except'}${node.all ? ' All' : ''}`;
    case 'materialize': return 'CTE Scan';
    case 'window': return 'WindowAgg';
    case 'recursiveUnion': return 'Recursive Union';
    case 'workTableScan': return `WorkTable Scan on ${node.name}`;
    case 'lockRows': return 'LockRows';
  }
}

function children(node: PlanNode): PlanNode[] {
  switch (node.kind) {
    case 'filter': case 'project': case 'projectSet': case 'sort': case 'limit': case 'aggregate': case 'distinct': case 'materialize': case 'window': case 'lockRows':
      return [node.input];
    case 'join': case 'setOp':
      return [node.left, node.right];
    case 'recursiveUnion':
      return [node.nonRecursive, node.recursive];
    default:
      return [];
  }
}

export function explainLines(plan: PlanNode): string[] {
  const lines: string[] = [];
  const visit = (node: PlanNode, depth: number) => {
    // Projections and filters fold into their child like PostgreSQL's output.
    if (node.kind === 'project') return visit(node.input, depth);
    const prefix = depth === 0 ? '' : `${' '.repeat(depth * 6 - 4)}->  `;
    lines.push(`${prefix}${nodeLabel(node)}`);
    for (const child of children(node)) visit(child, depth + 1);
  };
  visit(plan, 0);
  return lines;
}
