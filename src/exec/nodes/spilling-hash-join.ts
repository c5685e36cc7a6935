// Hash joins with bounded memory: the right input is the build side of src/exec/hash's spilling
// hash join (past work_mem both sides are partitioned to temp files and joined pair by pair), the
// left input probes it. INNER / LEFT / RIGHT / FULL semantics as join.ts: the ON condition is
// checked on each joined row, unmatched rows of the outer sides come out NULL-extended.
import type { PlanNode, Row } from '../../plan/index.js';
import { getType, T, UNKNOWN } from '../../plan/index.js';
import { decodeRow, encodeRow, type PgType, type Value } from '../../types/index.js';
import { compile } from '../compile-expr.js';
import { SpillingHashJoin, type JoinEvent, type Key } from '../hash/index.js';
import type { ExecState, RowSource } from '../state.js';
import type { OpenPlan } from './index.js';
import { workMemBytes } from './yielding.js';

type JoinNode = Extract<PlanNode, { kind: 'join' }>;

const typeOf = (oid: number): PgType => getType(oid === UNKNOWN ? T.text : oid);

function rowBytes(row: Row): number {
  let bytes = 56 + row.length * 8;
  for (const value of row) if (typeof value === 'string') bytes += 16 + value.length * 2;
  return bytes;
}

/** True for joins this node handles: equi-joins that are not LATERAL, of the four outer kinds. */
export function spillingHashJoinApplies(node: JoinNode): boolean {
  return node.hashKeys !== null && node.hashKeys.length > 0 && !node.lateral && ['inner', 'left', 'right', 'full'].includes(node.joinType);
}

export function openSpillingHashJoin(node: JoinNode, state: ExecState, open: OpenPlan): RowSource {
  const leftWidth = node.left.columns.length;
  const rightWidth = node.right.columns.length;
  const condition = node.condition ? compile(node.condition) : null;
  const leftKeys = node.hashKeys!.map((key) => compile(key.left));
  const rightKeys = node.hashKeys!.map((key) => compile(key.right));
  const keyTypes = node.hashKeys!.map((key) => typeOf(key.right.type));
  const leftTypes = node.left.columns.map((column) => typeOf(column.type));
  const rightTypes = node.right.columns.map((column) => typeOf(column.type));
  const keepUnmatchedLeft = node.joinType === 'left' || node.joinType === 'full';
  const keepUnmatchedRight = node.joinType === 'right' || node.joinType === 'full';
  const combine = (left: Row | null, right: Row | null): Row => {
    const row: Row = new Array(leftWidth + rightWidth);
    for (let i = 0; i < leftWidth; i++) row[i] = left ? (left[i] ?? null) : null;
    for (let i = 0; i < rightWidth; i++) row[leftWidth + i] = right ? (right[i] ?? null) : null;
    return row;
  };
  let events: Generator<JoinEvent<Row, Row>, void, void> | undefined;
  let join: SpillingHashJoin<Row, Row> | undefined;
  let left: RowSource | undefined;
  let pending: Row[] = [];
  return {
    next: () => {
      if (!events) {
        // Key values are compared as the right key's type (the planner coerced both sides to it).
        join = new SpillingHashJoin<Row, Row>({
          buildKey: (row) => rightKeys.map((key) => key(row, state.runtime)),
          probeKey: (row) => leftKeys.map((key) => key(row, state.runtime)),
          keys: {
            hash: (key: Key) => {
              let hash = 17;
              for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + keyTypes[i]!.hash(key[i] as Value)) | 0;
              return hash >>> 0;
            },
            equals: (a: Key, b: Key) => a.every((value, i) => keyTypes[i]!.compare(value, b[i]) === 0),
          },
          buildCodec: { encode: (row) => encodeRow(rightTypes, row), decode: (bytes) => decodeRow(rightTypes, bytes) },
          probeCodec: { encode: (row) => encodeRow(leftTypes, row), decode: (bytes) => decodeRow(leftTypes, bytes) },
          buildRowBytes: rowBytes,
          emitUnmatchedBuild: keepUnmatchedRight,
          memoryBytes: workMemBytes(state),
        });
        const right = open(node.right, state);
        for (let row = right.next(); row; row = right.next()) join.addBuild([...row]);
        right.close();
        const source = open(node.left, state);
        left = source;
        events = join.join((function* () {
          for (let row = source.next(); row; row = source.next()) yield [...row];
        })());
      }
      for (;;) {
        const queued = pending.pop();
        if (queued) return queued;
        const step = events.next();
        if (step.done) return undefined;
        const event = step.value;
        if (event.kind === 'unmatchedBuild') return combine(null, event.row);
        const out: Row[] = [];
        for (const match of event.matches) {
          const row = combine(event.row, match.row);
          if (condition && condition(row, state.runtime) !== true) continue;
          match.matched = true;
          out.push(row);
        }
        if (out.length === 0 && keepUnmatchedLeft) out.push(combine(event.row, null));
        pending = out.reverse();
      }
    },
    close: () => {
      left?.close();
      events?.return();
      join?.close();
    },
  };
}
