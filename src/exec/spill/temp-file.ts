// Temp files for spilling operators: a buffered writer of length-prefixed records and a buffered
// sequential reader. Files live in a per-query temp directory that is removed when the operator
// closes (and on process exit, best effort). Synchronous I/O on 64 KiB buffers: each call is
// short, and the executor yields between batches.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert } from '../../util/assert.js';
import { limits } from '../../util/limits.js';

/** A directory for one operator's temp files. */
export class SpillDirectory {
  readonly path: string;
  private nextFile = 0;
  private removed = false;
  bytesWritten = 0;
  filesCreated = 0;

  constructor(parent: string = tmpdir()) {
    this.path = mkdtempSync(join(parent, 'cambium-spill-'));
    liveDirectories.add(this);
  }

  newWriter(): SpillWriter {
    assert(!this.removed, 'spill directory used after removal');
    this.filesCreated++;
    return new SpillWriter(join(this.path, `run-${this.nextFile++}`), this);
  }

  remove(): void {
    if (this.removed) return;
    this.removed = true;
    liveDirectories.delete(this);
    rmSync(this.path, { recursive: true, force: true });
  }
}

const liveDirectories = new Set<SpillDirectory>();
process.once('exit', () => {
  for (const directory of liveDirectories) directory.remove();
});

/** Appends [u32 length][bytes] records. */
export class SpillWriter {
  readonly path: string;
  private readonly directory: SpillDirectory;
  private fd: number;
  private buffer = Buffer.allocUnsafe(limits.spillFileBufferBytes);
  private used = 0;
  records = 0;

  constructor(path: string, directory: SpillDirectory) {
    this.path = path;
    this.directory = directory;
    this.fd = openSync(path, 'w');
  }

  write(record: Uint8Array): void {
    const needed = 4 + record.length;
    if (this.used + needed > this.buffer.length) {
      this.flush();
      if (needed > this.buffer.length) this.buffer = Buffer.allocUnsafe(needed);
    }
    this.buffer.writeUInt32LE(record.length, this.used);
    this.buffer.set(record, this.used + 4);
    this.used += needed;
    this.records++;
  }

  private flush(): void {
    let offset = 0;
    while (offset < this.used) offset += writeSync(this.fd, this.buffer, offset, this.used - offset);
    this.directory.bytesWritten += this.used;
    this.used = 0;
  }

  /** Flushes and closes; returns a reader over what was written. */
  finish(): SpillFile {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    return new SpillFile(this.path, this.records);
  }
}

/** A finished temp file: read it once, in order, then delete it. */
export class SpillFile {
  constructor(
    readonly path: string,
    readonly records: number,
  ) {}

  reader(): SpillReader {
    return new SpillReader(this.path);
  }

  delete(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // already removed with its directory
    }
  }
}

export class SpillReader {
  private fd: number;
  private buffer = Buffer.allocUnsafe(limits.spillFileBufferBytes);
  private start = 0;
  private end = 0;
  private eof = false;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
  }

  /** The next record, or undefined at the end (the file is then closed). */
  next(): Uint8Array | undefined {
    if (!this.ensure(4)) return undefined;
    const length = this.buffer.readUInt32LE(this.start);
    assert(this.ensure(4 + length), 'spill file truncated inside a record');
    const record = Uint8Array.prototype.slice.call(this.buffer, this.start + 4, this.start + 4 + length);
    this.start += 4 + length;
    return record;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** Makes `count` bytes available at `start`; false at a clean end of file. */
  private ensure(count: number): boolean {
    if (this.end - this.start >= count) return true;
    if (this.eof && this.end === this.start) {
      this.close();
      return false;
    }
    if (count > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(count);
      this.buffer.copy(bigger, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
      this.buffer = bigger;
    } else if (this.start > 0) {
      this.buffer.copy(this.buffer, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    while (this.end - this.start < count && !this.eof) {
      const read = readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, null);
      if (read === 0) this.eof = true;
      this.end += read;
    }
    if (this.end - this.start >= count) return true;
    assert(this.end === this.start, 'spill file ends inside a record');
    this.close();
    return false;
  }
}
