// The engine under the transaction tests: the real engine (src/engine) on its in-memory VFS,
// wrapped to count pinned views (tests check that the layer releases everything it pins).
// CAMBIUM_TXN_TEST_ENGINE=double runs them on the in-memory test double instead.
import type { CommitReceipt, CommitSeq, Cursor, Engine, EngineStats, KeyRange, ReadView, TreeId, TreeOp } from '../../src/engine/api.js';
import { openEngine } from '../../src/engine/index.js';
import { MemoryVfs } from '../../src/vfs/index.js';
import { MemoryEngine } from './memory-engine.js';

class CountedView implements ReadView {
  private released = false;
  constructor(
    private readonly inner: ReadView,
    private readonly owner: CountingEngine,
  ) {
    owner.pinnedViews++;
  }
  get commitSeq(): CommitSeq {
    return this.inner.commitSeq;
  }
  get(tree: TreeId, key: Uint8Array): Uint8Array | undefined {
    return this.inner.get(tree, key);
  }
  cursor(tree: TreeId, range?: KeyRange, reverse?: boolean): Cursor {
    return this.inner.cursor(tree, range, reverse);
  }
  count(tree: TreeId, range?: KeyRange): number {
    return this.inner.count(tree, range);
  }
  hasTree(tree: TreeId): boolean {
    return this.inner.hasTree(tree);
  }
  rootPageId(tree: TreeId): number {
    return this.inner.rootPageId(tree);
  }
  release(): void {
    if (!this.released) this.owner.pinnedViews--;
    this.released = true;
    this.inner.release();
  }
}

export class CountingEngine implements Engine {
  pinnedViews = 0;
  constructor(readonly inner: Engine) {}
  get durableSeq(): CommitSeq {
    return this.inner.durableSeq;
  }
  get appliedSeq(): CommitSeq {
    return this.inner.appliedSeq;
  }
  view(): ReadView {
    return new CountedView(this.inner.view(), this);
  }
  appliedView(): ReadView {
    return new CountedView(this.inner.appliedView(), this);
  }
  viewAt(seq: CommitSeq): ReadView {
    return new CountedView(this.inner.viewAt(seq), this);
  }
  allocateTreeId(): TreeId {
    return this.inner.allocateTreeId();
  }
  commit(ops: readonly TreeOp[]): CommitReceipt {
    return this.inner.commit(ops);
  }
  retainedSeqs(): CommitSeq[] {
    return this.inner.retainedSeqs();
  }
  checkpoint(): Promise<void> {
    return this.inner.checkpoint();
  }
  stats(): EngineStats {
    return this.inner.stats();
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  /** Creates `count` trees in one durable commit (test setup). */
  async createTrees(count: number): Promise<TreeId[]> {
    const trees = Array.from({ length: count }, () => this.allocateTreeId());
    await this.commit(trees.map((tree) => ({ kind: 'createTree', tree }) as const)).durable;
    return trees;
  }
}

const opened: CountingEngine[] = [];

export async function openTestEngine(): Promise<CountingEngine> {
  const inner = process.env.CAMBIUM_TXN_TEST_ENGINE === 'double' ? new MemoryEngine() : await openEngine({ dir: '/db', vfs: new MemoryVfs() });
  const engine = new CountingEngine(inner);
  opened.push(engine);
  return engine;
}

/** Closes every engine opened by openTestEngine (call from afterEach). */
export async function closeTestEngines(): Promise<void> {
  for (const engine of opened.splice(0)) await engine.close();
}
