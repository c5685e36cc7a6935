// Joins: hash join on equi-join keys (build the right side, probe with the left), otherwise a
// nested loop over the materialized right side; LATERAL right sides re-open per left row with
// the left row visible as the outer row. INNER/LEFT/RIGHT/FULL/CROSS.
import type { PlanNode, Row } from '../../plan/index.js';
import { getType } from '../../plan/index.js';
import { compile } from '../compile-expr.js';
import { RowHashTable } from '../hash-table.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';

type JoinNode = Extract<PlanNode, { kind: 'join' }>;

export function openJoin(node: JoinNode, state: ExecState, open: OpenPlan): RowSource {
  const leftWidth = node.left.columns.length;
  const rightWidth = node.right.columns.length;
  const condition = node.condition ? compile(node.condition) : null;
  const left = open(node.left, state);
  const nullRight: Row = new Array(rightWidth).fill(null);
  const keepUnmatchedLeft = node.joinType === 'left' || node.joinType === 'full';
  const keepUnmatchedRight = node.joinType === 'right' || node.joinType === 'full';

  let rightRows: Row[] | undefined;
  let hash: RowHashTable<number[]> | undefined;
  const rightMatched: boolean[] = [];
  const leftKeys = node.hashKeys?.map((key) => compile(key.left));
  const rightKeys = node.hashKeys?.map((key) => compile(key.right));

  const loadRight = (): Row[] => {
    const source = open(node.right, state);
    const rows: Row[] = [];
    for (let row = source.next(); row; row = source.next()) rows.push(row);
    source.close();
    return rows;
  };
  const lateralRows = (leftRow: Row): Row[] => {
    state.runtime.outerRows.push(leftRow);
    try {
      return loadRight();
    } finally {
      state.runtime.outerRows.pop();
    }
  };
  const ensureRight = () => {
    if (rightRows || node.lateral) return;
    rightRows = loadRight();
    if (node.hashKeys) {
      hash = new RowHashTable<number[]>(node.hashKeys.map((key) => getType(key.right.type)));
      rightRows.forEach((row, index) => {
        const key = rightKeys!.map((expr) => expr(row, state.runtime));
        if (key.some((value) => value === null)) return;
        hash!.getOrAdd(key, () => []).payload.push(index);
      });
    }
  };

  let currentLeft: Row | undefined;
  let candidates: number[] | Row[] = [];
  let candidateIndex = 0;
  let leftMatched = false;
  let lateralCandidates: Row[] | undefined;
  let unmatchedRightIndex = -1;

  const combine = (l: Row, r: Row): Row => {
    const row = new Array(leftWidth + rightWidth);
    for (let i = 0; i < leftWidth; i++) row[i] = l[i];
    for (let i = 0; i < rightWidth; i++) row[leftWidth + i] = r[i];
    return row;
  };

  return {
    next: () => {
      ensureRight();
      for (;;) {
        if (unmatchedRightIndex >= 0) {
          while (unmatchedRightIndex < rightRows!.length) {
            const index = unmatchedRightIndex++;
            if (!rightMatched[index]) return combine(new Array(leftWidth).fill(null), rightRows![index]!);
          }
          return undefined;
        }
        if (currentLeft) {
          while (candidateIndex < candidates.length) {
            const candidate = candidates[candidateIndex++]!;
            const rightIndex = typeof candidate === 'number' ? candidate : -1;
            const rightRow = lateralCandidates ? (candidate as Row) : rightRows![rightIndex >= 0 ? rightIndex : 0]!;
            const row = combine(currentLeft, lateralCandidates ? rightRow : rightRows![rightIndex]!);
            if (condition && condition(row, state.runtime) !== true) continue;
            leftMatched = true;
            if (rightIndex >= 0) rightMatched[rightIndex] = true;
            return row;
          }
          const unmatched = currentLeft;
          currentLeft = undefined;
          if (!leftMatched && keepUnmatchedLeft) return combine(unmatched, nullRight);
        }
        const leftRow = left.next();
        if (!leftRow) {
          if (keepUnmatchedRight && rightRows) {
            unmatchedRightIndex = 0;
            continue;
          }
          return undefined;
        }
        currentLeft = leftRow;
        leftMatched = false;
        candidateIndex = 0;
        if (node.lateral) {
          lateralCandidates = lateralRows(leftRow);
          candidates = lateralCandidates;
        } else if (hash) {
          const key = leftKeys!.map((expr) => expr(leftRow, state.runtime));
          candidates = key.some((value) => value === null) ? [] : (hash.get(key) ?? []);
        } else {
          candidates = rightRows!.map((_row, index) => index);
        }
      }
    },
    close: () => left.close(),
  };
}
