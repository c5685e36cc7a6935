// The storage engine: many copy-on-write B+trees in one data file, atomic multi-tree commits
// logged to the WAL with group commit, O(1) pinned views, incremental checkpoints, recovery.
// See docs/storage.md for the on-disk format and the rules that keep pages safe.
import { join } from 'node:path';
import { TreeCursor, treeGet } from '../btree/index.js';
import { Pager, encodeMeta, firstDataPage, loadSpaceMap, nextPage, readMetas, writeSpaceMap, type Meta } from '../pager/index.js';
import { NodeVfs, type Vfs, type VfsFile } from '../vfs/index.js';
import { WalWriter, replayLog } from '../wal/index.js';
import { assert } from '../util/assert.js';
import { SqlError, SqlState } from '../util/errors.js';
import { limits } from '../util/limits.js';
import type { CommitReceipt, CommitSeq, Engine, EngineStats, ReadView, TreeId, TreeOp } from './api.js';
import { applyOps, relocateTail, type CommitState } from './apply.js';
import { decodeRetained, decodeTreeEntry, seqOfKey, type RetainedEntry } from './catalog.js';
import { EngineView } from './view.js';
import { checkEngine } from './check.js';
import { lockDataDirectory } from './lock.js';

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

/** What open found and did: which checkpoint it started from and how far WAL replay got. */
export interface RecoveryReport {
  checkpointGeneration: number;
  checkpointSeq: number;
  /** A newer meta page was unreadable, so an older checkpoint was used. */
  metaFallback: boolean;
  replayedCommits: number;
  /** Why WAL replay stopped before the end of the log (a torn tail after a crash is normal). */
  walStoppedBecause: string | undefined;
}

const dataFileName = 'data.cambium';
/** Compaction starts only for files of at least this many pages that are more than this fraction free. */
const compactionPagesMin = 64;
/** Deferred-list entries a sweep may examine per commit, amortised. */
const sweepEntriesPerCommit = 1024;
const compactionFreeFraction = 0.5;
const compactionPagesPerCommit = 20_000;
const compactionRoundsMax = 8;
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
  /** The newest checkpoint on disk, and the one before it: both stay readable (see docs/storage.md). */
  private meta: Meta;
  private previousMeta: Meta;
  /** Page ids of the two checkpoints' space-map chains. */
  private spaceMapChain: number[] = [];
  private previousSpaceMapChain: number[] = [];
  private checkpointRunning: Promise<void> | undefined;
  private checkpointPinSeq: number | undefined;
  private checkpointWriting: Set<number> | undefined;
  /** The space map a running checkpoint has written but not yet published. */
  private pendingSpaceMapChain: number[] = [];
  private checkpointState: CommitState | undefined;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private sweepDue = false;
  private commitsSinceSweep = 0;
  private closed = false;
  private failure: unknown;
  private checkpoints = 0;
  private checkpointPagesWritten = 0;
  private readonly synchronousCommit: boolean;
  recovery: RecoveryReport | undefined;
  private unlock: () => void = () => undefined;
  private readonly checkpointWalBytes: number;

  private constructor(
    private readonly vfs: Vfs,
    private readonly dir: string,
    private readonly file: VfsFile,
    readonly pager: Pager,
    private readonly wal: WalWriter,
    meta: Meta,
    previousMeta: Meta,
    state: CommitState,
    nextTreeId: number,
    options: EngineOptions,
  ) {
    this.meta = meta;
    this.previousMeta = previousMeta;
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
    const unlock = vfs instanceof NodeVfs ? lockDataDirectory(dir) : () => undefined;
    try {
      return await CambiumEngine.openLocked(vfs, dir, walDir, options, unlock);
    } catch (error) {
      unlock();
      throw error;
    }
  }

  private static async openLocked(vfs: Vfs, dir: string, walDir: string, options: EngineOptions, unlock: () => void): Promise<CambiumEngine> {
    const dataPath = join(dir, dataFileName);
    const fresh = !vfs.exists(dataPath) || vfs.open(dataPath, false).size() === 0;
    const file = vfs.open(dataPath, true);
    let meta: Meta;
    let previousMeta: Meta;
    let metaFallback = false;
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
      previousMeta = meta;
      meta = { ...meta, generation: 1 };
    } else {
      const metas = readMetas(file, options.pageSizeBytes ?? 0);
      if (metas.length === 0) throw new SqlError(SqlState.dataCorrupted, `no valid meta page in ${dataPath}: both meta pages are corrupt`);
      meta = metas[0]!;
      metaFallback = metas.length < 2;
      previousMeta = metas[1] ?? meta;
      if (previousMeta.pageSize !== meta.pageSize || previousMeta.generation >= meta.generation) previousMeta = meta;
    }
    const pager = new Pager(file, meta.pageSize, options.cacheBytes ?? limits.pageCacheBytesDefault, meta.pageCount);
    // Free space: every page the checkpoint's states cannot reach.
    // Free space comes from the space map: its cost follows the changes, not the file size.
    const spaceMapChain = loadSpaceMap(pager, meta.spaceMapHead);
    const previousSpaceMapChain = previousMeta === meta ? spaceMapChain : chainOf(pager, previousMeta.spaceMapHead);
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
    const engineInstance = new CambiumEngine(vfs, dir, file, pager, wal, meta, previousMeta, state, nextTreeId, options);
    engineInstance.spaceMapChain = spaceMapChain;
    engineInstance.previousSpaceMapChain = previousSpaceMapChain;
    // Commits the older checkpoint retains stay readable until that checkpoint is retired.
    const retainedOnDisk = new Map<number, RetainedEntry>();
    loadRetainedInto(pager, meta.retainedRoot, retainedOnDisk);
    loadRetainedInto(pager, previousMeta.retainedRoot, retainedOnDisk);
    for (const seq of retainedOnDisk.keys()) if (!engineInstance.retained.has(seq)) engineInstance.releasing.set(seq, state.seq);
    engineInstance.sweepDue = true;
    engineInstance.unlock = unlock;
    engineInstance.recovery = { checkpointGeneration: meta.generation, checkpointSeq: meta.checkpointSeq, metaFallback, replayedCommits: replay.commits, walStoppedBecause: replay.stoppedBecause };
    return engineInstance;
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
    // A long deferred list (a long-lived reader pins much) is swept less often: amortised cost.
    if (this.sweepDue && ++this.commitsSinceSweep * sweepEntriesPerCommit >= this.pager.space.deferred.length) this.sweep();
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
    // A caller that never awaits the receipt must not crash the process on an I/O failure
    // (the failure still reaches whoever awaits it, and stops later commits).
    durable.catch(() => undefined);
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
    return new EngineView(this.pager, seq, catalogRoot, this);
  }
  /** Called by a view's release(). */
  unpin(seq: number): void {
    const pinned = this.viewPins.get(seq);
    assert(pinned !== undefined && pinned.count > 0, `unpin of unpinned commit ${seq}`);
    if (--pinned.count === 0) {
      this.viewPins.delete(seq);
      this.sweepDue = true;
    }
  }
  /** Every commit seq some reader, snapshot or the on-disk checkpoint may still read. */
  private pinnedSeqs(): number[] {
    const pins = new Set<number>([...this.viewPins.keys(), ...this.retained.keys(), ...this.releasing.keys(), this.meta.checkpointSeq, this.previousMeta.checkpointSeq]);
    if (this.checkpointPinSeq !== undefined) pins.add(this.checkpointPinSeq);
    return [...pins].sort((a, b) => a - b);
  }
  /** Makes reusable every freed page that nothing can reach any more. */
  sweep(): void {
    this.sweepDue = false;
    this.commitsSinceSweep = 0;
    if (this.pager.space.deferred.length === 0) return;
    const pins = this.pinnedSeqs();
    const writing = this.checkpointWriting;
    const pinned = (birth: number, freedAt: number, id: number): boolean => {
      if (writing?.has(id)) return true;
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
    const roots = new Set<number>([catalogRoot, this.applied.catalogRoot, this.durable.catalogRoot, this.meta.catalogRoot, this.previousMeta.catalogRoot]);
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
    this.checkpoint()
      .then(() => {
        if (!this.compacting && !this.closed && this.tailWorthCompacting()) return this.compact();
      })
      .catch((error) => this.fail(error));
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
    this.checkpointState = state;
    try {
      if (this.sweepDue) this.sweep();
      this.wal.requestRotation();
      this.pager.space.trimTail();
      const spaceMap = writeSpaceMap(this.pager, state.seq, this.meta.spaceMapHead, this.spaceMapChain, this.meta.checkpointSeq, this.condenseSpaceMap);
      this.condenseSpaceMap = false;
      this.pendingSpaceMapChain = spaceMap.chain;
      const pageCount = this.pager.space.pageCount;
      const dirty = [...this.pager.cache.dirtyPages()];
      // Until written, none of these may be released and reused: a late write of the old copy
      // would overwrite the new page on disk.
      this.checkpointWriting = new Set(dirty.map(([id]) => id));
      const meta: Meta = { ...this.meta, generation: this.meta.generation + 1, checkpointSeq: state.seq, checkpointLsn: lsn, catalogRoot: state.catalogRoot, retainedRoot: state.retainedRoot, nextTreeId: this.nextTreeId, pageCount, spaceMapHead: spaceMap.head };
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
      this.previousMeta = this.meta;
      this.meta = meta;
      this.previousSpaceMapChain = this.spaceMapChain;
      this.spaceMapChain = spaceMap.chain;
      this.checkpoints++;
      for (const [seq, releasedAt] of [...this.releasing]) if (releasedAt <= this.previousMeta.checkpointSeq) this.releasing.delete(seq);
      this.wal.retireBefore(this.previousMeta.checkpointLsn);
      // Pages only the retired checkpoint kept are free now; an emptied tail leaves the file.
      this.sweep();
      const length = this.pager.space.trimTail() * pageSize;
      if (this.file.size() > length) this.file.truncateSync(length);
    } finally {
      this.checkpointPinSeq = undefined;
      this.checkpointWriting = undefined;
      this.pendingSpaceMapChain = [];
      this.checkpointState = undefined;
      this.sweepDue = true;
    }
  }

  // ---- shrinking the file ----

  private compacting = false;
  private compaction: Promise<void> | undefined;
  /** Rewrite the space map at the next checkpoint (compaction moves it out of the tail). */
  private condenseSpaceMap = false;

  /** Whether enough of the file is free that moving the tail's live pages down is worth it. */
  private tailWorthCompacting(): boolean {
    const space = this.pager.space;
    return space.pageCount >= compactionPagesMin && space.freeCount > space.pageCount * compactionFreeFraction;
  }

  /**
   * Moves live pages out of the file's tail (a data-free commit), then checkpoints twice so the
   * old copies are freed and the tail truncated. Runs by itself after a checkpoint finds the file
   * mostly free; callable on demand.
   */
  async compact(): Promise<void> {
    this.checkOpen();
    if (this.compaction) return this.compaction;
    this.compaction = this.runCompaction();
    try {
      await this.compaction;
    } finally {
      this.compaction = undefined;
    }
  }

  private async runCompaction(): Promise<void> {
    this.compacting = true;
    try {
      // Two checkpoints retire everything the older checkpoints kept, so free space is known.
      if (this.pager.space.deferred.length > 0) {
        await this.checkpoint();
        await this.checkpoint();
      }
      for (let round = 0; round < compactionRoundsMax && this.tailWorthCompacting(); round++) {
        const space = this.pager.space;
        const threshold = space.pageCount - space.freeCount;
        const before = space.pageCount;
        const seq = this.applied.seq + 1;
        this.pager.beginCommit(seq);
        let state: CommitState;
        try {
          state = relocateTail(this.pager, this.applied, seq, threshold, compactionPagesPerCommit);
          this.pager.endCommit();
        } catch (error) {
          this.pager.abortCommit();
          throw error;
        }
        this.applied = state;
        this.undurable.push(state);
        const lsn = this.wal.appendCommit(seq, []);
        await this.wal.whenDurable(lsn);
        this.markDurable(seq);
        this.condenseSpaceMap = true;
        await this.checkpoint();
        await this.checkpoint();
        if (this.pager.space.pageCount >= before) break;
      }
    } finally {
      this.compacting = false;
    }
  }

  // ---- lifecycle ----

  private checkOpen(): void {
    if (this.closed) throw new SqlError(SqlState.objectNotInPrerequisiteState, 'the storage engine is closed');
    const failure = this.failure ?? this.wal.failure;
    if (failure !== undefined) {
      throw new SqlError(SqlState.ioError, `the storage engine stopped after an I/O failure: ${(failure as Error).message ?? String(failure)}`);
    }
  }
  private fail(error: unknown): void {
    if (this.failure === undefined) this.failure = error;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    await this.compaction?.catch(() => undefined);
    try {
      if (this.failure === undefined && this.wal.failure === undefined) {
        await this.wal.whenDurable(this.wal.nextLsn);
        if (this.applied.seq !== this.meta.checkpointSeq) await this.checkpoint();
      }
    } finally {
      this.closed = true;
      this.wal.close();
      this.file.closeSync();
      this.unlock();
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
    states.set(this.previousMeta.catalogRoot, this.previousMeta.checkpointSeq);
    if (this.checkpointState) states.set(this.checkpointState.catalogRoot, this.checkpointState.seq);
    for (const entry of this.retained.values()) states.set(entry.catalogRoot, 0);
    for (const pinned of this.viewPins.values()) states.set(pinned.catalogRoot, 0);
    return checkEngine(this.pager, [...states.keys()], [this.applied.retainedRoot, this.meta.retainedRoot, this.previousMeta.retainedRoot, this.checkpointState?.retainedRoot ?? 0], [...this.spaceMapChain, ...this.previousSpaceMapChain, ...this.pendingSpaceMapChain]);
  }

  /** The data and WAL paths (for tools and tests). */
  get paths(): { data: string; walDir: string } {
    return { data: join(this.dir, dataFileName), walDir: join(this.dir, walDirName) };
  }
  get vfsInUse(): Vfs {
    return this.vfs;
  }
}

function chainOf(pager: Pager, head: number): number[] {
  const chain: number[] = [];
  for (let id = head; id !== 0 && chain.length < 1_000_000; id = nextPage(pager.read(id))) chain.push(id);
  return chain.reverse();
}

function loadRetainedInto(pager: Pager, retainedRoot: number, into: Map<number, RetainedEntry>): void {
  if (retainedRoot === 0) return;
  const cursor = new TreeCursor(pager, retainedRoot, {}, false);
  while (cursor.next()) into.set(seqOfKey(cursor.key), decodeRetained(cursor.value));
}

export { treeGet };
