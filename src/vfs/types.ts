// The file-system seam (SQLite's VFS idea): every byte the storage engine reads or writes goes
// through these two interfaces, so tests can swap in memory files or inject power loss.

/** One open file. Reads and writes are positional (pread/pwrite); only `sync` is asynchronous. */
export interface VfsFile {
  readonly path: string;
  /** Current length in bytes. */
  size(): number;
  /** Reads up to `target.length` bytes at `position`; returns the count (short at end of file). */
  readSync(target: Uint8Array, position: number): number;
  writeSync(source: Uint8Array, position: number): void;
  /** Asynchronous write, for bulk page writes that must not stall the event loop. */
  write(source: Uint8Array, position: number): Promise<void>;
  truncateSync(length: number): void;
  /** fdatasync: resolves once every write before the call is durable. Never blocks the event loop. */
  sync(): Promise<void>;
  closeSync(): void;
}

export interface Vfs {
  mkdirp(dir: string): void;
  exists(path: string): boolean;
  /** File names (not paths) in `dir`. */
  list(dir: string): string[];
  /** Opens (and with `create`, creates) a file for reading and writing. */
  open(path: string, create: boolean): VfsFile;
  remove(path: string): void;
  /** Makes creations and removals of entries in `dir` durable. */
  syncDir(dir: string): Promise<void>;
}
