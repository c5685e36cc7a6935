// UNION / INTERSECT / EXCEPT [ALL] with PostgreSQL's duplicate counting.
import type { PlanNode, Row } from '../../plan/index.js';
import { getType, T, UNKNOWN } from '../../plan/index.js';
import { RowHashTable } from '../hash-table.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';

export function openSetOp(node: Extract<PlanNode, { kind: 'setOp' }>, state: ExecState, open: OpenPlan): RowSource {
  const types = node.columns.map((column) => getType(column.type === UNKNOWN ? T.text : column.type));
  if (node.op === 'union' && node.all) {
    let current = open(node.left, state);
    let onRight = false;
    return {
      next: () => {
        for (;;) {
          const row = current.next();
          if (row) return row;
          if (onRight) return undefined;
          current.close();
          current = open(node.right, state);
          onRight = true;
        }
      },
      close: () => current.close(),
    };
  }
  let output: Row[] | undefined;
  let i = 0;
  const compute = (): Row[] => {
    const table = new RowHashTable<{ row: Row; left: number; right: number }>(types);
    const order: Array<{ row: Row; left: number; right: number }> = [];
    const load = (plan: PlanNode, side: 'left' | 'right') => {
      const input = open(plan, state);
      for (let row = input.next(); row; row = input.next()) {
        const { payload, added } = table.getOrAdd(row, () => ({ row, left: 0, right: 0 }));
        if (added) order.push(payload);
        payload[side]++;
      }
      input.close();
    };
    load(node.left, 'left');
    load(node.right, 'right');
    const rows: Row[] = [];
    for (const entry of order) {
      let count: number;
      if (node.op === 'union') count = 1;
      else if (node.op === 'intersect') count = node.all ? Math.min(entry.left, entry.right) : entry.left > 0 && entry.right > 0 ? 1 : 0;
      else count = node.all ? Math.max(0, entry.left - entry.right) : entry.left > 0 && entry.right === 0 ? 1 : 0;
      for (let k = 0; k < count; k++) rows.push(entry.row);
    }
    return rows;
  };
  return {
    next: () => {
      output ??= compute();
      return output[i++];
    },
    close: () => {},
  };
}
