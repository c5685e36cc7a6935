// A test double of the Engine (src/engine/api.ts) for unit-testing the transaction layer in
// isolation: immutable sorted arrays per tree, copied on write; durability is simulated by
// resolving receipts on a later macrotask (like a group commit), before which new views don't
// see the commit.
import type { CommitReceipt, CommitSeq, Cursor, Engine, EngineStats, KeyRange, ReadView, TreeId, TreeOp } from '../../src/engine/api.js';
import { SqlError } from '../../src/util/errors.js';

interface Row {
  key: string;
  keyBytes: Uint8Array;
  value: Uint8Array;
}
type State = Map<TreeId, readonly Row[]>;

const toKey = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

function search(rows: readonly Row[], key: string): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (rows[middle]!.key < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

function inRange(key: string, range: KeyRange | undefined): boolean {
  if (range?.lower !== undefined) {
    const lower = toKey(range.lower);
    if ((range.lowerInclusive ?? true) ? key < lower : key <= lower) return false;
  }
  if (range?.upper !== undefined) {
    const upper = toKey(range.upper);
    if ((range.upperInclusive ?? false) ? key > upper : key >= upper) return false;
  }
  return true;
}

class MemoryView implements ReadView {
  released = false;
  constructor(
    readonly commitSeq: CommitSeq,
    private readonly state: State,
    private readonly engine: MemoryEngine,
  ) {
    engine.pinnedViews++;
  }
  private rows(tree: TreeId): readonly Row[] {
    if (this.released) throw new Error('view used after release');
    const rows = this.state.get(tree);
    if (rows === undefined) throw new SqlError('XX000', `no tree ${tree}`);
    return rows;
  }
  get(tree: TreeId, key: Uint8Array): Uint8Array | undefined {
    const rows = this.rows(tree);
    const k = toKey(key);
    const row = rows[search(rows, k)];
    return row?.key === k ? row.value : undefined;
  }
  cursor(tree: TreeId, range?: KeyRange, reverse = false): Cursor {
    const rows = this.rows(tree).filter((row) => inRange(row.key, range));
    if (reverse) rows.reverse();
    let index = -1;
    const view = this;
    return {
      next() {
        if (view.released) throw new Error('cursor used after view release');
        index++;
        return index < rows.length;
      },
      get key() {
        return rows[index]!.keyBytes;
      },
      get value() {
        return rows[index]!.value;
      },
      close() {},
    };
  }
  count(tree: TreeId, range?: KeyRange): number {
    return this.rows(tree).filter((row) => inRange(row.key, range)).length;
  }
  hasTree(tree: TreeId): boolean {
    return this.state.has(tree);
  }
  rootPageId(): number {
    return 0;
  }
  release(): void {
    if (!this.released) this.engine.pinnedViews--;
    this.released = true;
  }
}

export class MemoryEngine implements Engine {
  appliedSeq: CommitSeq = 0;
  durableSeq: CommitSeq = 0;
  pinnedViews = 0;
  private readonly states = new Map<CommitSeq, State>([[0, new Map()]]);
  private nextTreeId = 1;
  private readonly retained: CommitSeq[] = [];

  /** Creates trees outside any transaction (test setup). */
  setup(...trees: TreeId[]): void {
    this.commit(trees.map((tree) => ({ kind: 'createTree', tree })));
    this.durableSeq = this.appliedSeq;
  }

  view(): ReadView {
    return new MemoryView(this.durableSeq, this.states.get(this.durableSeq)!, this);
  }
  appliedView(): ReadView {
    return new MemoryView(this.appliedSeq, this.states.get(this.appliedSeq)!, this);
  }
  allocateTreeId(): TreeId {
    return 1000 + this.nextTreeId++;
  }
  commit(ops: readonly TreeOp[]): CommitReceipt {
    const state: State = new Map(this.states.get(this.appliedSeq)!);
    const seq = this.appliedSeq + 1;
    let retain = false;
    for (const op of ops) {
      switch (op.kind) {
        case 'createTree':
        case 'clearTree':
          state.set(op.tree, []);
          break;
        case 'dropTree':
          state.delete(op.tree);
          break;
        case 'put':
        case 'delete': {
          const rows = [...(state.get(op.tree) ?? [])];
          const key = toKey(op.key);
          const index = search(rows, key);
          const present = rows[index]?.key === key;
          if (op.kind === 'put') {
            const row = { key, keyBytes: Uint8Array.prototype.slice.call(op.key), value: Uint8Array.prototype.slice.call(op.value) };
            rows.splice(index, present ? 1 : 0, row);
          } else if (present) rows.splice(index, 1);
          state.set(op.tree, rows);
          break;
        }
        case 'retain':
          retain = true;
          break;
        default:
          throw new Error(`unsupported op ${op.kind}`);
      }
    }
    this.states.set(seq, state);
    this.appliedSeq = seq;
    if (retain) this.retained.push(seq);
    const durable = new Promise<void>((resolve) =>
      setImmediate(() => {
        if (this.durableSeq < seq) this.durableSeq = seq;
        resolve();
      }),
    );
    return { commitSeq: seq, durable };
  }
  retainedSeqs(): CommitSeq[] {
    return [...this.retained];
  }
  viewAt(seq: CommitSeq): ReadView {
    const state = this.states.get(seq);
    if (state === undefined || seq > this.durableSeq) throw new SqlError('72000', `snapshot ${seq} is no longer kept`);
    return new MemoryView(seq, state, this);
  }
  async checkpoint(): Promise<void> {}
  stats(): EngineStats {
    return {
      commitSeq: this.appliedSeq,
      durableSeq: this.durableSeq,
      pageCount: 0,
      freePageCount: 0,
      cacheHits: 0,
      cacheMisses: 0,
      cacheEvictions: 0,
      walBytes: 0,
      walRecords: 0,
      walFsyncs: 0,
      checkpoints: 0,
      checkpointPagesWritten: 0,
    };
  }
  async close(): Promise<void> {}
}
