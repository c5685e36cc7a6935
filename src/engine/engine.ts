// The storage engine: many copy-on-write B+trees in one data file, atomic multi-tree commits
// logged to the WAL with group commit, O(1) pinned views, incremental checkpoints, recovery.
// See docs/storage.md for the on-disk format and the rules that keep pages safe.
import { join } from 'node:path';
import { TreeCursor, treeGet } from '../btree/index.js';
import { Pager, encodeMeta, firstDataPage, readMetas, type Meta } from '../pager/index.js';
import { NodeVfs, type Vfs, type VfsFile } from '../vfs/index.js';
import { WalWriter, replayLog } from '../wal/index.js';
import { assert } from '../util/assert.js';
import { SqlError, SqlState } from '../util/errors.js';
import { limits } from '../util/limits.js';
import type { CommitReceipt, CommitSeq, Engine, EngineStats, ReadView, TreeId, TreeOp } from './api.js';
import { applyOps, type CommitState } from './apply.js';
import { decodeRetained, decodeTreeEntry, seqOfKey, type RetainedEntry } from './catalog.js';
import { EngineView } from './view.js';
import { markReachable, checkEngine } from './check.js';

export interface EngineOptions {
  dir: string;
  vfs?: Vfs;
  /** Page size of a new database (existing ones keep theirs). */
  pageSizeBytes?: number;
  cacheBytes?: number;
  /** false: acknowledge commits before their WAL fsync (unsafe: a crash loses recent commits). */
  synchronousCommit?: boolean;
  /** Checkpoint once the WAL grows by this much (0: never automatically). */
  checkpointWalBytes?: number;
  /** Checkpoint at least this often while there are changes (0: never automatically). */
  checkpointIntervalMs?: number;
}

const dataFileName = 'data.cambium';
const walDirName = 'wal';

export class CambiumEngine implements Engine {
  private applied: CommitState;
  private durable: CommitState;
  private readonly undurable: CommitState[] = [];
  /** Mirror of the applied state's retained tree. */
  private readonly retained = new Map<number, RetainedEntry>();
  /** Retained commits released but still reachable from the on-disk checkpoint: seq → releasing commit. */
  private readonly releasing = new Map<number, number>();
  private readonly viewPins = new Map<number, { count: number; catalogRoot: number }>();
  private nextTreeId: number;
  private meta: Meta;
  private checkpointRunning: Promise<void> | undefined;
  private checkpointPinSeq: number | undefined;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private sweepDue = false;
  private closed = false;
  private failure: unknown;
  private checkpoints = 0;
  private checkpointPagesWritten = 0;
  private readonly synchronousCommit: boolean;
  private readonly checkpointWalBytes: number;

  private constructor(
    private readonly vfs: Vfs,
    private readonly dir: string,
    private readonly file: VfsFile,
    readonly pager: Pager,
    private readonly wal: WalWriter,
    meta: Meta,
    state: CommitState,
    nextTreeId: number,
    options: EngineOptions,
  ) {
    this.meta = meta;
    this.applied = state;
    this.durable = state;
    this.nextTreeId = nextTreeId;
    this.synchronousCommit = options.synchronousCommit ?? true;
    this.checkpointWalBytes = options.checkpointWalBytes ?? limits.checkpointWalBytesDefault;
    this.loadRetained();
    const interval = options.checkpointIntervalMs ?? limits.checkpointIntervalMsDefault;
    if (interval > 0) {
      this.checkpointTimer = setInterval(() => {
        if (this.applied.seq !== this.meta.checkpointSeq) this.checkpointInBackground();
      }, interval);
      this.checkpointTimer.unref();
    }
  }

  static async open(options: EngineOptions): Promise<CambiumEngine> {
    const vfs = options.vfs ?? new NodeVfs();
    const dir = options.dir;
    const walDir = join(dir, walDirName);
    vfs.mkdirp(dir);
    vfs.mkdirp(walDir);
    const dataPath = join(dir, dataFileName);
    const fresh = !vfs.exists(dataPath) || vfs.open(dataPath, false).size() === 0;
    const file = vfs.open(dataPath, true);
    let meta: Meta;
    if (fresh) {
      const pageSize = options.pageSizeBytes ?? limits.pageSizeBytesDefault;
      if (pageSize < limits.pageSizeBytesMin || pageSize > limits.pageSizeBytesMax || (pageSize & (pageSize - 1)) !== 0) {
        throw new SqlError(SqlState.invalidParameterValue, `page size must be a power of two between ${limits.pageSizeBytesMin} and ${limits.pageSizeBytesMax}`);
      }
      meta = { generation: 0, pageSize, checkpointSeq: 0, checkpointLsn: 0, catalogRoot: 0, retainedRoot: 0, nextTreeId: 1, pageCount: firstDataPage, spaceMapHead: 0 };
      file.writeSync(encodeMeta(meta), 0);
      file.writeSync(encodeMeta({ ...meta, generation: 1 }), pageSize);
      await file.sync();
      await vfs.syncDir(dir);
      meta = { ...meta, generation: 1 };
    } else {
      const metas = readMetas(file, options.pageSizeBytes ?? 0);
      if (metas.length === 0) throw new SqlError(SqlState.dataCorrupted, `no valid meta page in ${dataPath}: both meta pages are corrupt`);
      meta = metas[0]!;
    }
    const pager = new Pager(file, meta.pageSize, options.cacheBytes ?? limits.pageCacheBytesDefault, meta.pageCount);
    // Free space: every page the checkpoint's states cannot reach.
    const reachable = markReachable(pager, meta.catalogRoot, meta.retainedRoot);
    for (let id = firstDataPage; id < meta.pageCount; id++) if (!reachable.has(id)) pager.space.release(id);
    let state: CommitState = { seq: meta.checkpointSeq, catalogRoot: meta.catalogRoot, retainedRoot: meta.retainedRoot };
    const engine = { state, retained: new Map<number, RetainedEntry>(), highestTreeId: 0 };
    loadRetainedInto(pager, state.retainedRoot, engine.retained);
    const replay = replayLog(vfs, walDir, meta.checkpointLsn, (seq, ops) => {
      if (seq <= engine.state.seq) return;
      assert(seq === engine.state.seq + 1, `WAL commit ${seq} follows commit ${engine.state.seq}`);
      pager.beginCommit(seq);
      const result = applyOps(pager, engine.state, seq, ops, engine.retained, () => []);
      pager.endCommit();
      for (const [retainedSeq, entry] of result.retainedChanges) {
        if (entry) engine.retained.set(retainedSeq, entry);
        else engine.retained.delete(retainedSeq);
      }
      engine.state = result.state;
      engine.highestTreeId = Math.max(engine.highestTreeId, result.highestTreeId);
    });
    state = engine.state;
    const nextTreeId = Math.max(meta.nextTreeId, replay.nextTreeId, engine.highestTreeId + 1);
    const wal = new WalWriter(vfs, walDir, replay.endLsn);
    return new CambiumEngine(vfs, dir, file, pager, wal, meta, state, nextTreeId, options);
  }

  private loadRetained(): void {
    this.retained.clear();
    loadRetainedInto(this.pager, this.applied.retainedRoot, this.retained);
  }

  // ---- the Engine interface ----

  get durableSeq(): CommitSeq {
    return this.durable.seq;
  }
  get appliedSeq(): CommitSeq {
    return this.applied.seq;
  }
  view(): ReadView {
    this.checkOpen();
    return this.pin(this.durable.seq, this.durable.catalogRoot);
  }
  appliedView(): ReadView {
    this.checkOpen();
    return this.pin(this.applied.seq, this.applied.catalogRoot);
  }
  viewAt(seq: CommitSeq): ReadView {
    this.checkOpen();
    const entry = this.retained.get(seq);
    if (!entry?.user) throw new SqlError(SqlState.snapshotTooOld, `snapshot too old: commit ${seq} is not retained`);
    return this.pin(seq, entry.catalogRoot);
  }
  retainedSeqs(): CommitSeq[] {
    return [...this.retained].filter(([, entry]) => entry.user).map(([seq]) => seq).sort((a, b) => a - b);
  }
  allocateTreeId(): TreeId {
    this.checkOpen();
    const id = this.nextTreeId++;
    this.wal.appendTreeIds(this.nextTreeId);
    this.wal.scheduleFlush();
    return id;
  }

  commit(ops: readonly TreeOp[]): CommitReceipt {
    this.checkOpen();
    if (this.sweepDue) this.sweep();
    const seq = this.applied.seq + 1;
    this.pager.beginCommit(seq);
    let result;
    try {
      result = applyOps(this.pager, this.applied, seq, ops, this.retained, (catalogRoot, changes) => this.releasableZombies(catalogRoot, changes));
      this.pager.endCommit();
    } catch (error) {
      this.pager.abortCommit();
      throw error;
    }
    for (const [retainedSeq, entry] of result.retainedChanges) {
      if (entry) this.retained.set(retainedSeq, entry);
      else {
        this.retained.delete(retainedSeq);
        this.releasing.set(retainedSeq, seq);
      }
    }
    if (result.highestTreeId >= this.nextTreeId) this.nextTreeId = result.highestTreeId + 1;
    const state = result.state;
    this.applied = state;
    const lsn = this.wal.appendCommit(seq, ops);
    let durable: Promise<void>;
    if (this.synchronousCommit) {
      this.undurable.push(state);
      durable = this.wal.whenDurable(lsn).then(() => this.markDurable(seq));
    } else {
      this.durable = state;
      this.sweepDue = true;
      this.wal.scheduleFlush();
      durable = Promise.resolve();
    }
    if (this.checkpointWalBytes > 0 && this.wal.nextLsn - this.meta.checkpointLsn > this.checkpointWalBytes) this.checkpointInBackground();
    return { commitSeq: seq, durable };
  }

  private markDurable(seq: number): void {
    if (seq <= this.durable.seq) return;
    while (this.undurable.length > 0 && this.undurable[0]!.seq <= seq) this.durable = this.undurable.shift()!;
    this.sweepDue = true;
  }

  // ---- pins and free space ----

  private pin(seq: number, catalogRoot: number): EngineView {
    const pinned = this.viewPins.get(seq);
    if (pinned) pinned.count++;
    else this.viewPins.set(seq, { count: 1, catalogRoot });
    return new EngineView(this.pager, seq, catalogRoot, (view) => this.unpin(view.commitSeq));
  }
  private unpin(seq: number): void {
    const pinned = this.viewPins.get(seq);
    assert(pinned !== undefined && pinned.count > 0, `unpin of unpinned commit ${seq}`);
    if (--pinned.count === 0) {
      this.viewPins.delete(seq);
      this.sweepDue = true;
    }
  }
  /** Every commit seq some reader, snapshot or the on-disk checkpoint may still read. */
  private pinnedSeqs(): number[] {
    const pins = new Set<number>([...this.viewPins.keys(), ...this.retained.keys(), ...this.releasing.keys(), this.meta.checkpointSeq]);
    if (this.checkpointPinSeq !== undefined) pins.add(this.checkpointPinSeq);
    return [...pins].sort((a, b) => a - b);
  }
  /** Makes reusable every freed page that nothing can reach any more. */
  sweep(): void {
    this.sweepDue = false;
    if (this.pager.space.deferred.length === 0) return;
    const pins = this.pinnedSeqs();
    const pinned = (birth: number, freedAt: number): boolean => {
      let low = 0;
      let high = pins.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (pins[middle]! < birth) low = middle + 1;
        else high = middle;
      }
      return low < pins.length && pins[low]! < freedAt;
    };
    this.pager.forget(this.pager.space.sweep(this.durable.seq, pinned));
  }
  /** Zombie retained commits (kept only as clone origins) that no state needs any more. */
  private releasableZombies(catalogRoot: number, changes: Map<number, RetainedEntry | undefined>): number[] {
    const retained = new Map(this.retained);
    for (const [seq, entry] of changes) {
      if (entry) retained.set(seq, entry);
      else retained.delete(seq);
    }
    const zombies = [...retained].filter(([, entry]) => !entry.user).map(([seq]) => seq);
    if (zombies.length === 0) return [];
    const roots = new Set<number>([catalogRoot, this.applied.catalogRoot, this.durable.catalogRoot, this.meta.catalogRoot]);
    for (const state of this.undurable) roots.add(state.catalogRoot);
    for (const entry of retained.values()) if (entry.user) roots.add(entry.catalogRoot);
    for (const pinned of this.viewPins.values()) roots.add(pinned.catalogRoot);
    const needed = new Set<number>();
    const scanned = new Set<number>();
    const scan = (root: number) => {
      if (scanned.has(root) || root === 0) return;
      scanned.add(root);
      const cursor = new TreeCursor(this.pager, root, {}, false);
      while (cursor.next()) for (const origin of decodeTreeEntry(cursor.value).origins) needed.add(origin);
    };
    for (const root of roots) scan(root);
    // A needed zombie's own trees may need older origins.
    for (let grew = true; grew; ) {
      grew = false;
      for (const zombie of zombies) {
        if (needed.has(zombie) && !scanned.has(retained.get(zombie)!.catalogRoot)) {
          scan(retained.get(zombie)!.catalogRoot);
          grew = true;
        }
      }
    }
    return zombies.filter((zombie) => !needed.has(zombie));
  }

  // ---- checkpoints ----

  private checkpointInBackground(): void {
    if (this.checkpointRunning || this.closed || this.failure !== undefined) return;
    this.checkpoint().catch((error) => this.fail(error));
  }

  /** Writes the pages dirtied since the last checkpoint, switches the meta page, retires WAL. */
  async checkpoint(): Promise<void> {
    this.checkOpen();
    while (this.checkpointRunning) await this.checkpointRunning;
    const running = this.runCheckpoint();
    this.checkpointRunning = running;
    try {
      await running;
    } finally {
      this.checkpointRunning = undefined;
    }
  }

  private async runCheckpoint(): Promise<void> {
    const state = this.applied;
    const lsn = this.wal.nextLsn;
    const pageSize = this.pager.pageSize;
    this.checkpointPinSeq = state.seq;
    try {
      this.wal.requestRotation();
      const dirty = [...this.pager.cache.dirtyPages()];
      const pageCount = this.pager.space.trimTail();
      const meta: Meta = { ...this.meta, generation: this.meta.generation + 1, checkpointSeq: state.seq, checkpointLsn: lsn, catalogRoot: state.catalogRoot, retainedRoot: state.retainedRoot, nextTreeId: this.nextTreeId, pageCount };
      // The checkpoint may only describe commits the WAL holds durably.
      await this.wal.whenDurable(lsn);
      dirty.sort((a, b) => a[0] - b[0]);
      for (const [id, page] of dirty) {
        await this.pager.writePage(id, page);
        this.pager.cache.markClean(id, page);
      }
      this.checkpointPagesWritten += dirty.length;
      await this.file.sync();
      this.file.writeSync(encodeMeta(meta), (meta.generation % 2) * pageSize);
      await this.file.sync();
      this.meta = meta;
      this.checkpoints++;
      for (const [seq, releasedAt] of [...this.releasing]) if (releasedAt <= meta.checkpointSeq) this.releasing.delete(seq);
      const length = this.pager.space.pageCount * pageSize;
      if (this.file.size() > length) this.file.truncateSync(length);
      this.wal.retireBefore(lsn);
    } finally {
      this.checkpointPinSeq = undefined;
      this.sweepDue = true;
    }
  }

  // ---- lifecycle ----

  private checkOpen(): void {
    if (this.closed) throw new SqlError(SqlState.objectNotInPrerequisiteState, 'the storage engine is closed');
    if (this.failure !== undefined) {
      throw new SqlError(SqlState.ioError, `the storage engine stopped after an I/O failure: ${(this.failure as Error).message ?? String(this.failure)}`);
    }
  }
  private fail(error: unknown): void {
    if (this.failure === undefined) this.failure = error;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    try {
      if (this.failure === undefined && this.wal.failure === undefined) {
        await this.wal.whenDurable(this.wal.nextLsn);
        if (this.applied.seq !== this.meta.checkpointSeq) await this.checkpoint();
      }
    } finally {
      this.closed = true;
      this.wal.close();
      this.file.closeSync();
    }
  }

  stats(): EngineStats {
    const cache = this.pager.cache;
    return {
      commitSeq: this.applied.seq,
      durableSeq: this.durable.seq,
      pageCount: this.pager.space.pageCount,
      freePageCount: this.pager.space.freeCount,
      cacheHits: cache.hits,
      cacheMisses: cache.misses,
      cacheEvictions: cache.evictions,
      walBytes: this.wal.nextLsn - this.meta.checkpointLsn,
      walRecords: this.wal.records,
      walFsyncs: this.wal.fsyncs,
      checkpoints: this.checkpoints,
      checkpointPagesWritten: this.checkpointPagesWritten,
    };
  }

  /** Walks every reachable page and reports broken invariants, leaks and double frees. */
  check(): string[] {
    const states = new Map<number, number>();
    states.set(this.applied.catalogRoot, this.applied.seq);
    states.set(this.durable.catalogRoot, this.durable.seq);
    for (const state of this.undurable) states.set(state.catalogRoot, state.seq);
    states.set(this.meta.catalogRoot, this.meta.checkpointSeq);
    for (const entry of this.retained.values()) states.set(entry.catalogRoot, 0);
    for (const pinned of this.viewPins.values()) states.set(pinned.catalogRoot, 0);
    return checkEngine(this.pager, [...states.keys()], [this.applied.retainedRoot, this.meta.retainedRoot]);
  }

  /** The data and WAL paths (for tools and tests). */
  get paths(): { data: string; walDir: string } {
    return { data: join(this.dir, dataFileName), walDir: join(this.dir, walDirName) };
  }
  get vfsInUse(): Vfs {
    return this.vfs;
  }
}

function loadRetainedInto(pager: Pager, retainedRoot: number, into: Map<number, RetainedEntry>): void {
  if (retainedRoot === 0) return;
  const cursor = new TreeCursor(pager, retainedRoot, {}, false);
  while (cursor.next()) into.set(seqOfKey(cursor.key), decodeRetained(cursor.value));
}

export { treeGet };
