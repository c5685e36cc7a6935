// Hash aggregation with bounded memory, the way PostgreSQL 13+ does it: groups live in an
// in-memory table until work_mem is spent; after that, rows of groups already in memory still
// update them, and rows of new groups are written to one of N partition files by hash. When the
// input ends, the in-memory groups are emitted, then each partition is aggregated the same way
// (recursing with a different hash mix when a partition is itself too big).
import { limits } from '../../util/limits.js';
import type { RowCodec } from '../sort/external-sort.js';
import { SpillDirectory, type SpillFile, type SpillWriter } from '../spill/temp-file.js';
import { KeyedTable, partitionOf, type Key, type KeyFunctions } from './hash-table.js';

export interface HashAggregateOptions<Row, State> {
  /** The grouping key of a row (NULLs group together, so keys.hash/equals must accept NULL). */
  groupKey(row: Row): Key;
  keys: KeyFunctions;
  createState(key: Key): State;
  update(state: State, row: Row): void;
  codec: RowCodec<Row>;
  /** Approximate memory of one group (key + state). */
  groupBytes: number;
  memoryBytes?: number;
  partitions?: number;
  tempDirectory?: string;
}

export interface HashAggregateStatistics {
  groupsInMemoryPeak: number;
  memoryBytesPeak: number;
  /** Rows written to partition files (a row may be written again at deeper levels). */
  spilledRows: number;
  diskBytes: number;
  batches: number;
}

export class SpillingHashAggregate<Row, State> {
  private readonly options: HashAggregateOptions<Row, State>;
  private readonly budget: number;
  private readonly partitionCount: number;
  private table: KeyedTable<State>;
  private partitions: SpillWriter[] | undefined;
  private directory: SpillDirectory | undefined;
  private readonly stats: HashAggregateStatistics = { groupsInMemoryPeak: 0, memoryBytesPeak: 0, spilledRows: 0, diskBytes: 0, batches: 1 };

  constructor(options: HashAggregateOptions<Row, State>) {
    this.options = options;
    this.budget = options.memoryBytes ?? limits.workMemBytesDefault;
    this.partitionCount = options.partitions ?? limits.hashSpillPartitions;
    this.table = new KeyedTable<State>(options.keys);
  }

  add(row: Row): void {
    this.addAtDepth(row, 0);
  }

  /** Every group with its final state; call once after the last add(). */
  *groups(): Generator<[Key, State], void, void> {
    try {
      yield* this.drainLevel(0);
    } finally {
      this.close();
    }
  }

  statistics(): HashAggregateStatistics {
    return { ...this.stats, diskBytes: this.directory?.bytesWritten ?? 0 };
  }

  close(): void {
    this.directory?.remove();
  }

  private addAtDepth(row: Row, depth: number): void {
    const key = this.options.groupKey(row);
    const hash = this.options.keys.hash(key);
    const state = this.table.get(key, hash);
    if (state !== undefined) {
      this.options.update(state, row);
      return;
    }
    if (this.partitions === undefined && (this.table.size + 1) * this.options.groupBytes > this.budget && depth < limits.hashSpillDepthMax) {
      this.directory ??= new SpillDirectory(this.options.tempDirectory);
      this.partitions = Array.from({ length: this.partitionCount }, () => this.directory!.newWriter());
    }
    if (this.partitions !== undefined) {
      this.partitions[partitionOf(hash, depth, this.partitionCount)]!.write(this.options.codec.encode(row));
      this.stats.spilledRows++;
      return;
    }
    const created = this.options.createState(key);
    this.options.update(created, row);
    this.table.set(key, created, hash);
    if (this.table.size > this.stats.groupsInMemoryPeak) {
      this.stats.groupsInMemoryPeak = this.table.size;
      this.stats.memoryBytesPeak = this.table.size * this.options.groupBytes;
    }
  }

  private *drainLevel(depth: number): Generator<[Key, State], void, void> {
    const table = this.table;
    const spilled = this.partitions?.map((writer) => writer.finish());
    this.partitions = undefined;
    yield* table.entries();
    table.clear();
    if (!spilled) return;
    for (const file of spilled) yield* this.aggregatePartition(file, depth + 1);
  }

  private *aggregatePartition(file: SpillFile, depth: number): Generator<[Key, State], void, void> {
    if (file.records === 0) {
      file.delete();
      return;
    }
    this.stats.batches++;
    this.table = new KeyedTable<State>(this.options.keys);
    const reader = file.reader();
    for (let bytes = reader.next(); bytes; bytes = reader.next()) this.addAtDepth(this.options.codec.decode(bytes), depth);
    file.delete();
    yield* this.drainLevel(depth);
  }
}
