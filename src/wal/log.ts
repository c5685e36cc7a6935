// The write-ahead log: append-only segment files named by their first LSN. Commits are encoded
// into memory synchronously; a flush writes everything pending and fdatasyncs once, so every
// commit applied while one fsync is in flight shares the next one (group commit).
import { join } from 'node:path';
import type { Vfs, VfsFile } from '../vfs/index.js';
import { limits } from '../util/limits.js';
import { assert } from '../util/assert.js';
import { checkRecord, recordHeaderBytes, writeRecordHeader } from './record.js';
import { commitPayloadBytes, opPayloadBytes, readPayload, treeIdsPayloadBytes, writeCommitPayload, writeOpPayload, writeTreeIdsPayload, type TreeOp, type WalEntry } from './ops.js';

const segmentPattern = /^wal-([0-9a-f]{16})\.log$/;
const segmentName = (startLsn: number) => `wal-${startLsn.toString(16).padStart(16, '0')}.log`;
/** A record larger than this is corruption, not data. */
const recordPayloadBytesMax = limits.walSegmentBytesMax;

export interface Segment {
  startLsn: number;
  path: string;
}

export function listSegments(vfs: Vfs, dir: string): Segment[] {
  return vfs
    .list(dir)
    .map((name) => segmentPattern.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ startLsn: parseInt(match[1]!, 16), path: join(dir, match[0]) }))
    .sort((a, b) => a.startLsn - b.startLsn);
}

export interface ReplayResult {
  /** LSN just after the last whole commit: where appending resumes. */
  endLsn: number;
  commits: number;
  /** Why replay stopped before the end of the log, if it did (a torn tail is normal). */
  stoppedBecause?: string;
  nextTreeId: number;
}

/**
 * Replays whole commits from `fromLsn`, stopping at the first torn or corrupt record, and cuts
 * the log there (truncating that segment, removing later ones) so appends continue cleanly.
 */
export function replayLog(vfs: Vfs, dir: string, fromLsn: number, apply: (seq: number, ops: TreeOp[]) => void): ReplayResult {
  const segments = listSegments(vfs, dir);
  let lsn = fromLsn;
  let endLsn = fromLsn;
  let commits = 0;
  let nextTreeId = 0;
  let stoppedBecause: string | undefined;
  let pending: TreeOp[] = [];
  let cut: { segment: Segment; offset: number } | undefined;
  for (let i = 0; i < segments.length && stoppedBecause === undefined; i++) {
    const segment = segments[i]!;
    const segmentEnd = segments[i + 1]?.startLsn ?? Infinity;
    if (segmentEnd <= fromLsn) continue;
    if (segment.startLsn > lsn) {
      stoppedBecause = `gap before segment at LSN ${segment.startLsn}`;
      cut = { segment, offset: 0 };
      break;
    }
    const file = vfs.open(segment.path, false);
    const bytes = Buffer.alloc(file.size());
    file.readSync(bytes, 0);
    file.closeSync();
    let at = lsn - segment.startLsn;
    while (at < bytes.length) {
      const check = checkRecord(bytes, at, lsn, recordPayloadBytesMax);
      if (!check.ok) {
        stoppedBecause = `${check.why} at LSN ${lsn}`;
        break;
      }
      const entry: WalEntry | undefined = readPayload(bytes, at + recordHeaderBytes, check.payloadLength);
      if (entry === undefined) {
        stoppedBecause = `undecodable record at LSN ${lsn}`;
        break;
      }
      at += recordHeaderBytes + check.payloadLength;
      lsn += recordHeaderBytes + check.payloadLength;
      if (entry.kind === 'op') pending.push(entry.op);
      else if (entry.kind === 'treeIds') {
        nextTreeId = Math.max(nextTreeId, entry.nextTreeId);
        if (pending.length === 0) endLsn = lsn;
      } else {
        apply(entry.seq, pending);
        pending = [];
        commits++;
        endLsn = lsn;
      }
    }
    if (stoppedBecause === undefined && segmentEnd !== Infinity && lsn !== segmentEnd) {
      stoppedBecause = `segment ends at LSN ${lsn}, next starts at ${segmentEnd}`;
    }
    if (stoppedBecause !== undefined) cut = { segment, offset: endLsn - segment.startLsn };
  }
  if (!cut && lsn !== endLsn) {
    // Whole records of a commit whose commit record never made it: drop them too.
    const segment = [...segments].reverse().find((candidate) => candidate.startLsn <= endLsn);
    if (segment) cut = { segment, offset: endLsn - segment.startLsn };
  }
  if (cut) {
    const keep = cut.offset > 0 || cut.segment.startLsn < fromLsn;
    for (const segment of segments) {
      if (segment.startLsn > cut.segment.startLsn || (segment === cut.segment && !keep)) vfs.remove(segment.path);
    }
    if (keep) {
      const file = vfs.open(cut.segment.path, false);
      file.truncateSync(Math.max(0, cut.offset));
      file.closeSync();
    }
  }
  return { endLsn, commits, stoppedBecause, nextTreeId };
}

interface Waiter {
  lsn: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class WalWriter {
  private chunks: Buffer[] = [];
  private pendingBytes = 0;
  /** LSN of the next byte appended. */
  nextLsn: number;
  /** Everything before this LSN is on disk and synced. */
  durableLsn: number;
  private segment: { startLsn: number; file: VfsFile; size: number; needsDirSync: boolean } | undefined;
  private flushing = false;
  private flushScheduled = false;
  private waiters: Waiter[] = [];
  private rotateRequested = false;
  failure: unknown;
  records = 0;
  fsyncs = 0;
  bytesWritten = 0;

  constructor(
    private readonly vfs: Vfs,
    private readonly dir: string,
    startLsn: number,
  ) {
    this.nextLsn = startLsn;
    this.durableLsn = startLsn;
    const last = listSegments(vfs, dir).at(-1);
    if (last && last.startLsn <= startLsn) {
      const file = vfs.open(last.path, false);
      const size = file.size();
      // Otherwise the next flush starts a fresh segment at startLsn.
      if (last.startLsn + size === startLsn) this.segment = { startLsn: last.startLsn, file, size, needsDirSync: false };
      else file.closeSync();
    }
  }

  private reserve(payloadBytes: number): { buffer: Buffer; at: number } {
    const buffer = Buffer.allocUnsafe(recordHeaderBytes + payloadBytes);
    return { buffer, at: recordHeaderBytes };
  }
  private push(buffer: Buffer): void {
    writeRecordHeader(buffer, 0, this.nextLsn, buffer.length - recordHeaderBytes);
    this.chunks.push(buffer);
    this.pendingBytes += buffer.length;
    this.nextLsn += buffer.length;
    this.records++;
  }

  /** Encodes a commit's records; returns the LSN just after its commit record. */
  appendCommit(seq: number, ops: readonly TreeOp[]): number {
    let total = 0;
    for (const op of ops) total += recordHeaderBytes + opPayloadBytes(op);
    total += recordHeaderBytes + commitPayloadBytes;
    const buffer = Buffer.allocUnsafe(total);
    let at = 0;
    for (const op of ops) {
      const length = opPayloadBytes(op);
      writeOpPayload(buffer, at + recordHeaderBytes, op);
      writeRecordHeader(buffer, at, this.nextLsn + at, length);
      at += recordHeaderBytes + length;
      this.records++;
    }
    writeCommitPayload(buffer, at + recordHeaderBytes, seq);
    writeRecordHeader(buffer, at, this.nextLsn + at, commitPayloadBytes);
    this.records++;
    this.chunks.push(buffer);
    this.pendingBytes += buffer.length;
    this.nextLsn += buffer.length;
    return this.nextLsn;
  }
  appendTreeIds(nextTreeId: number): void {
    const { buffer, at } = this.reserve(treeIdsPayloadBytes);
    writeTreeIdsPayload(buffer, at, nextTreeId);
    this.push(buffer);
  }

  /** Resolves once everything up to `lsn` is durable. */
  whenDurable(lsn: number): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (lsn <= this.durableLsn) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ lsn, resolve, reject });
      this.scheduleFlush();
    });
  }
  /** Starts the next segment at the next flush (so a checkpoint can retire the older ones). */
  requestRotation(): void {
    this.rotateRequested = true;
  }
  scheduleFlush(): void {
    if (this.flushing || this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate lets every commit applied in this turn of the event loop join the batch.
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.failure !== undefined) return;
    if (this.pendingBytes === 0) return this.settle();
    this.flushing = true;
    try {
      const chunks = this.chunks;
      const endLsn = this.nextLsn;
      const startLsn = endLsn - this.pendingBytes;
      this.chunks = [];
      this.pendingBytes = 0;
      const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      let segment = this.segment;
      if (!segment || this.rotateRequested || segment.size + data.length > limits.walSegmentBytesMax) {
        segment?.file.closeSync();
        const path = join(this.dir, segmentName(startLsn));
        segment = { startLsn, file: this.vfs.open(path, true), size: 0, needsDirSync: true };
        segment.file.truncateSync(0);
        this.segment = segment;
        this.rotateRequested = false;
      }
      assert(segment.startLsn + segment.size === startLsn, 'WAL segment out of step with LSNs');
      segment.file.writeSync(data, segment.size);
      segment.size += data.length;
      this.bytesWritten += data.length;
      await segment.file.sync();
      this.fsyncs++;
      if (segment.needsDirSync) {
        await this.vfs.syncDir(this.dir);
        segment.needsDirSync = false;
      }
      this.durableLsn = endLsn;
      this.flushing = false;
      this.settle();
    } catch (error) {
      this.flushing = false;
      this.fail(error);
    }
  }
  private settle(): void {
    const ready = this.waiters.filter((waiter) => waiter.lsn <= this.durableLsn);
    this.waiters = this.waiters.filter((waiter) => waiter.lsn > this.durableLsn);
    for (const waiter of ready) waiter.resolve();
    if (this.waiters.length > 0 || this.pendingBytes > 0) this.scheduleFlush();
  }
  /** A failed write or fsync leaves the log in an unknown state: nothing more is acknowledged. */
  private fail(error: unknown): void {
    this.failure = error;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  /** Removes segments that hold only records before `lsn`. */
  retireBefore(lsn: number): void {
    const segments = listSegments(this.vfs, this.dir);
    for (let i = 0; i + 1 < segments.length; i++) {
      if (segments[i + 1]!.startLsn <= lsn && segments[i]!.startLsn !== this.segment?.startLsn) this.vfs.remove(segments[i]!.path);
    }
  }
  get unflushedBytes(): number {
    return this.pendingBytes;
  }
  get bytesSinceStart(): number {
    return this.nextLsn;
  }
  close(): void {
    this.segment?.file.closeSync();
    this.segment = undefined;
  }
}
