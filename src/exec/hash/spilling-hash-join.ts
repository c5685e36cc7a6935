// Hash join with bounded memory (a hybrid of the classic and Grace hash joins): the build side
// goes into an in-memory table until work_mem is spent; then every build row, held and incoming,
// is written to one of N partition files by hash, the probe side is partitioned the same way, and
// each partition pair is joined in memory (re-partitioned with another hash mix if still too big).
// The caller sees the same events either way: each probe row with its matching build rows, and,
// when asked, the build rows that no probe row matched (RIGHT/FULL joins).
import { limits } from '../../util/limits.js';
import type { RowCodec } from '../sort/external-sort.js';
import { SpillDirectory, type SpillFile, type SpillWriter } from '../spill/temp-file.js';
import { KeyedTable, keyHasNull, partitionOf, type Key, type KeyFunctions } from './hash-table.js';

export interface BuildEntry<Build> {
  readonly row: Build;
  /** Set by the caller when the row joined (non-key join quals may still reject a match). */
  matched: boolean;
}

export type JoinEvent<Build, Probe> =
  | { kind: 'probe'; row: Probe; matches: ReadonlyArray<BuildEntry<Build>> }
  | { kind: 'unmatchedBuild'; row: Build };

export interface HashJoinOptions<Build, Probe> {
  buildKey(row: Build): Key;
  probeKey(row: Probe): Key;
  keys: KeyFunctions;
  buildCodec: RowCodec<Build>;
  probeCodec: RowCodec<Probe>;
  buildRowBytes(row: Build): number;
  /** Emit build rows left unmatched after all probes (RIGHT and FULL joins). */
  emitUnmatchedBuild: boolean;
  memoryBytes?: number;
  partitions?: number;
  tempDirectory?: string;
}

export interface HashJoinStatistics {
  buckets: number;
  batches: number;
  memoryBytesPeak: number;
  diskBytes: number;
}

const noMatches: ReadonlyArray<never> = Object.freeze([]);

export class SpillingHashJoin<Build, Probe> {
  private readonly options: HashJoinOptions<Build, Probe>;
  private readonly budget: number;
  private readonly partitionCount: number;
  private table: KeyedTable<Array<BuildEntry<Build>>>;
  /** Build rows with a NULL key: they can never match but RIGHT/FULL joins must emit them. */
  private nullKeyed: Build[] = [];
  private tableBytes = 0;
  private buildPartitions: SpillWriter[] | undefined;
  private directory: SpillDirectory | undefined;
  private readonly stats: HashJoinStatistics = { buckets: 0, batches: 1, memoryBytesPeak: 0, diskBytes: 0 };

  constructor(options: HashJoinOptions<Build, Probe>) {
    this.options = options;
    this.budget = options.memoryBytes ?? limits.workMemBytesDefault;
    this.partitionCount = options.partitions ?? limits.hashSpillPartitions;
    this.table = new KeyedTable(options.keys);
  }

  get spilled(): boolean {
    return this.buildPartitions !== undefined;
  }

  addBuild(row: Build): void {
    const key = this.options.buildKey(row);
    if (keyHasNull(key)) {
      if (this.options.emitUnmatchedBuild) this.nullKeyed.push(row);
      return;
    }
    if (this.buildPartitions) {
      this.buildPartitions[partitionOf(this.options.keys.hash(key), 0, this.partitionCount)]!.write(this.options.buildCodec.encode(row));
      return;
    }
    this.insert(this.table, key, row);
    this.tableBytes += this.options.buildRowBytes(row);
    this.stats.memoryBytesPeak = Math.max(this.stats.memoryBytesPeak, this.tableBytes);
    if (this.tableBytes > this.budget) this.spillBuildTable();
  }

  /** Probes every row; yields one event per probe row, then unmatched build rows if asked. */
  *join(probeRows: Iterable<Probe>): Generator<JoinEvent<Build, Probe>, void, void> {
    try {
      if (!this.buildPartitions) {
        this.stats.buckets = this.table.size;
        for (const row of probeRows) yield { kind: 'probe', row, matches: this.lookup(this.table, row) };
        yield* this.unmatched(this.table);
      } else {
        const probePartitions = Array.from({ length: this.partitionCount }, () => this.directory!.newWriter());
        for (const row of probeRows) {
          const key = this.options.probeKey(row);
          if (keyHasNull(key)) yield { kind: 'probe', row, matches: noMatches };
          else probePartitions[partitionOf(this.options.keys.hash(key), 0, this.partitionCount)]!.write(this.options.probeCodec.encode(row));
        }
        const builds = this.buildPartitions.map((writer) => writer.finish());
        const probes = probePartitions.map((writer) => writer.finish());
        this.buildPartitions = undefined;
        for (let index = 0; index < builds.length; index++) yield* this.joinPartition(builds[index]!, probes[index]!, 1);
      }
      if (this.options.emitUnmatchedBuild) for (const row of this.nullKeyed) yield { kind: 'unmatchedBuild', row };
    } finally {
      this.close();
    }
  }

  statistics(): HashJoinStatistics {
    return { ...this.stats, diskBytes: this.directory?.bytesWritten ?? 0 };
  }

  close(): void {
    this.directory?.remove();
  }

  private insert(table: KeyedTable<Array<BuildEntry<Build>>>, key: Key, row: Build): void {
    const hash = this.options.keys.hash(key);
    const entries = table.get(key, hash);
    if (entries) entries.push({ row, matched: false });
    else table.set(key, [{ row, matched: false }], hash);
  }

  private lookup(table: KeyedTable<Array<BuildEntry<Build>>>, row: Probe): ReadonlyArray<BuildEntry<Build>> {
    const key = this.options.probeKey(row);
    if (keyHasNull(key)) return noMatches;
    return table.get(key) ?? noMatches;
  }

  private *unmatched(table: KeyedTable<Array<BuildEntry<Build>>>): Generator<JoinEvent<Build, Probe>, void, void> {
    if (!this.options.emitUnmatchedBuild) return;
    for (const [, entries] of table.entries()) for (const entry of entries) if (!entry.matched) yield { kind: 'unmatchedBuild', row: entry.row };
  }

  private spillBuildTable(): void {
    this.directory ??= new SpillDirectory(this.options.tempDirectory);
    this.buildPartitions = Array.from({ length: this.partitionCount }, () => this.directory!.newWriter());
    for (const [key, entries] of this.table.entries()) {
      const partition = this.buildPartitions[partitionOf(this.options.keys.hash(key), 0, this.partitionCount)]!;
      for (const entry of entries) partition.write(this.options.buildCodec.encode(entry.row));
    }
    this.table.clear();
    this.tableBytes = 0;
  }

  private *joinPartition(build: SpillFile, probe: SpillFile, depth: number): Generator<JoinEvent<Build, Probe>, void, void> {
    if (build.records === 0 && !(probe.records > 0)) {
      build.delete();
      probe.delete();
      return;
    }
    this.stats.batches++;
    const table = new KeyedTable<Array<BuildEntry<Build>>>(this.options.keys);
    let bytes = 0;
    let overflow: SpillWriter[] | undefined;
    const reader = build.reader();
    for (let record = reader.next(); record; record = reader.next()) {
      const row = this.options.buildCodec.decode(record);
      const key = this.options.buildKey(row);
      if (overflow) {
        overflow[partitionOf(this.options.keys.hash(key), depth, this.partitionCount)]!.write(record);
        continue;
      }
      this.insert(table, key, row);
      bytes += this.options.buildRowBytes(row);
      this.stats.memoryBytesPeak = Math.max(this.stats.memoryBytesPeak, bytes);
      if (bytes > this.budget && depth < limits.hashSpillDepthMax) {
        // Still too big: split this partition again with the next level's hash mix.
        overflow = Array.from({ length: this.partitionCount }, () => this.directory!.newWriter());
        for (const [heldKey, entries] of table.entries()) {
          for (const entry of entries) overflow[partitionOf(this.options.keys.hash(heldKey), depth, this.partitionCount)]!.write(this.options.buildCodec.encode(entry.row));
        }
        table.clear();
      }
    }
    build.delete();
    if (overflow) {
      const probeOverflow = Array.from({ length: this.partitionCount }, () => this.directory!.newWriter());
      const probeReader = probe.reader();
      for (let record = probeReader.next(); record; record = probeReader.next()) {
        const key = this.options.probeKey(this.options.probeCodec.decode(record));
        probeOverflow[partitionOf(this.options.keys.hash(key), depth, this.partitionCount)]!.write(record);
      }
      probe.delete();
      const builds = overflow.map((writer) => writer.finish());
      const probes = probeOverflow.map((writer) => writer.finish());
      for (let index = 0; index < builds.length; index++) yield* this.joinPartition(builds[index]!, probes[index]!, depth + 1);
      return;
    }
    const probeReader = probe.reader();
    for (let record = probeReader.next(); record; record = probeReader.next()) {
      const row = this.options.probeCodec.decode(record);
      yield { kind: 'probe', row, matches: this.lookup(table, row) };
    }
    probe.delete();
    yield* this.unmatched(table);
  }
}
