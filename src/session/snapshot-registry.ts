// Named snapshots (issue 9). A snapshot is a retained engine commit: CREATE SNAPSHOT commits the
// snapshot's record together with a `retain` op, so the commit that carries the record is the
// snapshot itself, and making one costs O(1) whatever the data size. Records live in the
// sequences system tree under keys starting with 0xFF 'S' (sequence keys are 4-byte OIDs, never
// 0xFF…), value = JSON. Expired snapshots are unretained by a timer but keep a tombstone record,
// so reading them answers 72000 "snapshot too old" rather than 42704.
import { Catalog, loadCatalog, type CatalogReader } from '../catalog/index.js';
import type { CommitSeq, Engine, ReadView, TreeOp } from '../engine/api.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { AsOfTarget } from '../parser/index.js';

export interface SnapshotRecord {
  name: string;
  seq: CommitSeq;
  /** Milliseconds since the Unix epoch. */
  createdAt: number;
  /** Null: kept until dropped. */
  retentionMs: number | null;
  /** Expired and unretained (its pages may be reused): reads answer 72000. */
  collected?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const keyPrefix = Uint8Array.of(0xff, 0x53);
const catalogTree = 1;
/** How often the retention timer looks for expired snapshots. */
const expiryIntervalMs = 1000;

function recordKey(name: string): Uint8Array {
  const bytes = encoder.encode(name);
  const key = new Uint8Array(keyPrefix.length + bytes.length);
  key.set(keyPrefix, 0);
  key.set(bytes, keyPrefix.length);
  return key;
}

export function expiresAt(record: SnapshotRecord): number | null {
  return record.retentionMs === null ? null : record.createdAt + record.retentionMs;
}

/** '7 days', '90 minutes', '1 hour 30 min', '500 ms', '2 weeks' → milliseconds. */
export function parseRetention(text: string): number {
  const units: Record<string, number> = {
    ms: 1, millisecond: 1, milliseconds: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
    m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000, h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
    d: 86_400_000, day: 86_400_000, days: 86_400_000, w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
  };
  const pattern = /\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*/gy;
  let total = 0;
  let matched = 0;
  let consumed = 0;
  const lower = text.trim().toLowerCase();
  for (let match = pattern.exec(lower); match; match = pattern.exec(lower)) {
    const unit = units[match[2]!];
    if (unit === undefined) break;
    total += Number(match[1]) * unit;
    matched++;
    consumed = pattern.lastIndex;
  }
  if (matched === 0 || consumed !== lower.length || !(total > 0)) {
    throw new SqlError(SqlState.invalidParameterValue, `invalid value for snapshot option "retention": "${text}"`);
  }
  return Math.round(total);
}

function viewReader(view: ReadView): CatalogReader {
  return {
    get: (tree, key) => view.get(tree, key),
    scan: (tree) => {
      const cursor = view.cursor(tree);
      return {
        next: () => (cursor.next() ? { key: cursor.key.slice(), value: cursor.value.slice() } : undefined),
        close: () => cursor.close(),
      };
    },
  };
}

export class SnapshotRegistry {
  private readonly catalogs = new Map<CommitSeq, Catalog>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly engine: Engine, private readonly tree: number, private readonly now: () => number = Date.now) {
    this.timer = setInterval(() => this.collectExpired(), expiryIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Every record, collected ones included, by name. */
  list(): SnapshotRecord[] {
    const view = this.engine.view();
    const records: SnapshotRecord[] = [];
    try {
      if (!view.hasTree(this.tree)) return records;
      const upper = Uint8Array.of(0xff, 0x54);
      const cursor = view.cursor(this.tree, { lower: keyPrefix, upper });
      try {
        while (cursor.next()) records.push(JSON.parse(decoder.decode(cursor.value)) as SnapshotRecord);
      } finally {
        cursor.close();
      }
    } finally {
      view.release();
    }
    return records;
  }

  get(name: string): SnapshotRecord | undefined {
    const view = this.engine.view();
    try {
      const value = view.hasTree(this.tree) ? view.get(this.tree, recordKey(name)) : undefined;
      return value ? (JSON.parse(decoder.decode(value)) as SnapshotRecord) : undefined;
    } finally {
      view.release();
    }
  }

  private async commit(ops: TreeOp[]): Promise<CommitSeq> {
    const receipt = this.engine.commit(ops);
    await receipt.durable;
    return receipt.commitSeq;
  }

  private putOp(record: SnapshotRecord): TreeOp {
    return { kind: 'put', tree: this.tree, key: recordKey(record.name), value: encoder.encode(JSON.stringify(record)) };
  }

  /** O(1): one small record plus a retain op in one commit, which is the snapshot. */
  async create(name: string, retentionMs: number | null): Promise<SnapshotRecord> {
    const existing = this.get(name);
    if (existing && !existing.collected) throw new SqlError(SqlState.duplicateObject, `snapshot "${name}" already exists`);
    // Commits apply synchronously, so the next seq is known before committing and the record
    // can name the commit that carries it.
    const record: SnapshotRecord = { name, seq: this.engine.appliedSeq + 1, createdAt: this.now(), retentionMs };
    const seq = await this.commit([this.putOp(record), { kind: 'retain' }]);
    if (seq !== record.seq) throw new SqlError(SqlState.internalError, `snapshot commit ${seq} differs from the expected ${record.seq}`);
    return record;
  }

  async drop(name: string, ifExists: boolean): Promise<boolean> {
    const record = this.get(name);
    if (!record) {
      if (ifExists) return false;
      throw new SqlError(SqlState.undefinedObject, `snapshot "${name}" does not exist`);
    }
    const ops: TreeOp[] = [{ kind: 'delete', tree: this.tree, key: recordKey(name) }];
    if (!record.collected) ops.push({ kind: 'unretain', seq: record.seq });
    await this.commit(ops);
    this.catalogs.delete(record.seq);
    return true;
  }

  async alter(name: string, retentionMs: number | null): Promise<void> {
    const record = this.live(name);
    await this.commit([this.putOp({ ...record, retentionMs })]);
  }

  /** A snapshot that can still be read: 42704 when unknown, 72000 when expired or collected. */
  live(name: string): SnapshotRecord {
    const record = this.get(name);
    if (!record) throw new SqlError(SqlState.undefinedObject, `snapshot "${name}" does not exist`);
    const expiry = expiresAt(record);
    if (record.collected || (expiry !== null && expiry <= this.now())) {
      throw new SqlError(SqlState.snapshotTooOld, 'snapshot too old', { detail: `Snapshot "${name}" expired and was collected.` });
    }
    return record;
  }

  /**
   * SET TRANSACTION SNAPSHOT 'id': a snapshot name, or the id pg_export_snapshot() returned
   * ('cambium-<commit>'). 22023 "invalid snapshot identifier" for anything else.
   */
  importable(id: string): CommitSeq {
    const exported = /^cambium-(\d+)$/.exec(id);
    if (exported) return this.resolve({ commit: Number(exported[1]) });
    if (!this.get(id)) throw new SqlError(SqlState.invalidParameterValue, `invalid snapshot identifier: "${id}"`);
    return this.live(id).seq;
  }

  /** The retained commit an AS OF clause names. */
  resolve(target: AsOfTarget): CommitSeq {
    if ('snapshot' in target) return this.live(target.snapshot).seq;
    if ('commit' in target) {
      if (!this.engine.retainedSeqs().includes(target.commit)) throw new SqlError(SqlState.snapshotTooOld, 'snapshot too old', { detail: `Commit ${target.commit} is not retained by any snapshot.` });
      return target.commit;
    }
    const at = Date.parse(target.timestamp);
    if (Number.isNaN(at)) throw new SqlError(SqlState.invalidDatetimeFormat, `invalid input syntax for type timestamp with time zone: "${target.timestamp}"`);
    let best: SnapshotRecord | undefined;
    for (const record of this.list()) {
      const expiry = expiresAt(record);
      if (record.collected || (expiry !== null && expiry <= this.now()) || record.createdAt > at) continue;
      if (!best || record.createdAt > best.createdAt) best = record;
    }
    if (!best) throw new SqlError(SqlState.snapshotTooOld, 'snapshot too old', { detail: `No retained snapshot was taken at or before ${target.timestamp}.` });
    return best.seq;
  }

  /** The catalog as it was in a retained commit (cached per commit). */
  catalogAt(seq: CommitSeq, view: ReadView): Catalog {
    let catalog = this.catalogs.get(seq);
    if (!catalog) {
      catalog = loadCatalog(viewReader(view), catalogTree);
      this.catalogs.set(seq, catalog);
    }
    return catalog;
  }

  /** Unretains expired snapshots, keeping their records as tombstones (reads then answer 72000). */
  async collectExpired(): Promise<number> {
    const now = this.now();
    const ops: TreeOp[] = [];
    for (const record of this.list()) {
      const expiry = expiresAt(record);
      if (record.collected || expiry === null || expiry > now) continue;
      ops.push(this.putOp({ ...record, collected: true }), { kind: 'unretain', seq: record.seq });
      this.catalogs.delete(record.seq);
    }
    if (ops.length > 0) {
      try {
        await this.commit(ops);
      } catch {
        return 0; // shutting down; the next start collects them
      }
    }
    return ops.length / 2;
  }
}
