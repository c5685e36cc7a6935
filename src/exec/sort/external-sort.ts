// Sorting with bounded memory, as PostgreSQL's tuplesort does: rows collect in memory until the
// work_mem budget is spent, then the buffer is sorted and written as a run to a temp file; at the
// end the runs are k-way merged (in several passes when there are more than the fan-in).
// With a LIMIT the sort keeps only the best N rows in a heap ("top-N heapsort") and never spills.
import { assert } from '../../util/assert.js';
import { limits } from '../../util/limits.js';
import { SpillDirectory, type SpillFile, type SpillReader } from '../spill/temp-file.js';
import { BinaryHeap } from './binary-heap.js';

export interface RowCodec<Row> {
  encode(row: Row): Uint8Array;
  decode(bytes: Uint8Array): Row;
}

export interface SortOptions<Row> {
  compare(a: Row, b: Row): number;
  codec: RowCodec<Row>;
  /** Memory budget in bytes (work_mem). */
  memoryBytes?: number;
  /** Approximate in-memory size of a row. */
  rowBytes(row: Row): number;
  /** Keep only the first `limit` rows of the order (ORDER BY … LIMIT). */
  limit?: number;
  /** Parent of the temp directory (os.tmpdir() by default). */
  tempDirectory?: string;
  mergeFanIn?: number;
}

/** What EXPLAIN ANALYZE shows for a Sort node. */
export interface SortStatistics {
  method: 'quicksort' | 'top-N heapsort' | 'external merge';
  /** Peak memory held by rows, in bytes. */
  memoryBytes: number;
  /** Bytes written to temp files. */
  diskBytes: number;
  runs: number;
  mergePasses: number;
}

export class ExternalSort<Row> {
  private readonly options: SortOptions<Row>;
  private readonly budget: number;
  private buffer: Row[] = [];
  private bufferBytes = 0;
  private peakBytes = 0;
  private runs: SpillFile[] = [];
  private directory: SpillDirectory | undefined;
  private topN: BinaryHeap<Row> | undefined;
  private finished = false;
  private mergePasses = 0;

  constructor(options: SortOptions<Row>) {
    this.options = options;
    this.budget = options.memoryBytes ?? limits.workMemBytesDefault;
    if (options.limit !== undefined) {
      assert(options.limit >= 0, 'sort limit must not be negative');
      // A max-heap by sort order: its top is the worst row kept, evicted by any better one.
      this.topN = new BinaryHeap<Row>((a, b) => options.compare(b, a));
    }
  }

  add(row: Row): void {
    assert(!this.finished, 'row added to a finished sort');
    if (this.topN) {
      const limit = this.options.limit!;
      if (limit === 0) return;
      if (this.topN.size < limit) {
        this.topN.push(row);
        this.trackBytes(this.options.rowBytes(row));
      } else if (this.options.compare(row, this.topN.peek()!) < 0) {
        this.topN.replaceTop(row);
      }
      return;
    }
    this.buffer.push(row);
    this.trackBytes(this.options.rowBytes(row));
    if (this.bufferBytes > this.budget && this.buffer.length > 1) this.spillBuffer();
  }

  /** The rows in order. Call once, after the last add(). */
  *sorted(): Generator<Row, void, void> {
    assert(!this.finished, 'sorted() called twice');
    this.finished = true;
    try {
      if (this.topN) {
        const rows = this.topN.drain();
        rows.sort(this.options.compare);
        yield* rows;
        return;
      }
      if (this.runs.length === 0) {
        this.buffer.sort(this.options.compare);
        const rows = this.buffer;
        this.buffer = [];
        yield* rows;
        return;
      }
      if (this.buffer.length > 0) this.spillBuffer();
      const fanIn = Math.max(2, this.options.mergeFanIn ?? limits.sortMergeFanInMax);
      while (this.runs.length > fanIn) {
        this.mergePasses++;
        const next: SpillFile[] = [];
        for (let start = 0; start < this.runs.length; start += fanIn) {
          const group = this.runs.slice(start, start + fanIn);
          if (group.length === 1) {
            next.push(group[0]!);
            continue;
          }
          const writer = this.directory!.newWriter();
          for (const bytes of this.mergeEncoded(group)) writer.write(bytes);
          next.push(writer.finish());
          for (const run of group) run.delete();
        }
        this.runs = next;
      }
      this.mergePasses++;
      for (const bytes of this.mergeEncoded(this.runs)) yield this.options.codec.decode(bytes);
    } finally {
      this.close();
    }
  }

  statistics(): SortStatistics {
    return {
      method: this.topN ? 'top-N heapsort' : this.runs.length > 0 || this.directory ? 'external merge' : 'quicksort',
      memoryBytes: this.peakBytes,
      diskBytes: this.directory?.bytesWritten ?? 0,
      runs: this.directory?.filesCreated ?? 0,
      mergePasses: this.mergePasses,
    };
  }

  /** Removes temp files (also done when sorted() completes or its generator is returned early). */
  close(): void {
    this.buffer = [];
    this.directory?.remove();
  }

  private trackBytes(bytes: number): void {
    this.bufferBytes += bytes;
    if (this.bufferBytes > this.peakBytes) this.peakBytes = this.bufferBytes;
  }

  private spillBuffer(): void {
    this.directory ??= new SpillDirectory(this.options.tempDirectory);
    this.buffer.sort(this.options.compare);
    const writer = this.directory.newWriter();
    for (const row of this.buffer) writer.write(this.options.codec.encode(row));
    this.runs.push(writer.finish());
    this.buffer = [];
    this.bufferBytes = 0;
  }

  /** K-way merge of runs, yielding encoded rows (decoded once for comparison). */
  private *mergeEncoded(runs: SpillFile[]): Generator<Uint8Array, void, void> {
    interface Head {
      row: Row;
      bytes: Uint8Array;
      reader: SpillReader;
    }
    const heap = new BinaryHeap<Head>((a, b) => this.options.compare(a.row, b.row));
    const readers: SpillReader[] = [];
    try {
      for (const run of runs) {
        const reader = run.reader();
        readers.push(reader);
        const bytes = reader.next();
        if (bytes) heap.push({ row: this.options.codec.decode(bytes), bytes, reader });
      }
      while (heap.size > 0) {
        const head = heap.peek()!;
        yield head.bytes;
        const bytes = head.reader.next();
        if (bytes) heap.replaceTop({ row: this.options.codec.decode(bytes), bytes, reader: head.reader });
        else heap.pop();
      }
    } finally {
      for (const reader of readers) reader.close();
    }
  }
}
