// Yielding to the event loop from inside a long computation (a big sort) without making every
// node asynchronous. Resumable nodes call checkYield() every few thousand input rows; when the
// session is pulling rows through pullRow() and the node sits where a restart is harmless (only
// project / filter / limit / sort / aggregate nodes above it, no subquery), it throws YieldRequest
// after saving its progress. pullRow() turns that into `rowPending`: the session awaits the
// event loop and pulls again, and the node resumes where it stopped.
import type { PlanNode, Row } from '../../plan/index.js';
import { limits } from '../../util/limits.js';
import type { ExecState } from '../state.js';

class YieldRequest extends Error {
  constructor() {
    super('yield to the event loop');
  }
}

/** Returned by pullRow when the plan paused to let other work run; pull again after awaiting. */
export const rowPending: unique symbol = Symbol('rowPending');

/** Nodes whose every ancestor tolerates a thrown YieldRequest between two of its own steps. */
const yieldable = new WeakSet<object>();
/** Nodes that may be above a yielding node: they keep no half-done state across input.next(). */
const restartSafeKinds = new Set<PlanNode['kind']>(['project', 'filter', 'limit', 'sort', 'aggregate']);

let pulling = 0;
let lastYieldMs = 0;
/** A node yields at most this often (it also needs executorYieldRows rows between checks). */
const yieldIntervalMs = 2;

/** Marks the nodes of a top-level plan that may yield (call once when the statement starts). */
export function markYieldable(plan: PlanNode): void {
  let node: PlanNode | undefined = plan;
  while (node && restartSafeKinds.has(node.kind) && !(node.kind === 'aggregate' && node.groupingSets)) {
    yieldable.add(node);
    node = 'input' in node ? (node.input as PlanNode) : undefined;
  }
}

/** Called by resumable nodes at a point where they can resume after a throw. */
export function checkYield(_state: ExecState, node: PlanNode): void {
  if (pulling === 0 || !yieldable.has(node)) return;
  const now = performance.now();
  if (now - lastYieldMs < yieldIntervalMs) return;
  lastYieldMs = now;
  throw new YieldRequest();
}

/** Pulls one row for the session; `rowPending` means "await the event loop, then call again". */
export function pullRow(next: () => Row | undefined): Row | undefined | typeof rowPending {
  pulling++;
  try {
    return next();
  } catch (error) {
    if (error instanceof YieldRequest) return rowPending;
    throw error;
  } finally {
    pulling--;
  }
}

const memoryUnits: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** The session's work_mem in bytes (PostgreSQL's unit is kB when none is given). */
export function workMemBytes(state: ExecState): number {
  let text: string | null = null;
  try {
    text = state.runtime.services.getSetting('work_mem', true);
  } catch {
    text = null;
  }
  const match = text ? /^\s*(\d+)\s*([kmgt]?b)?\s*$/i.exec(text) : null;
  if (!match) return limits.workMemBytesDefault;
  return Number(match[1]) * memoryUnits[(match[2] ?? 'kb').toLowerCase()]!;
}
