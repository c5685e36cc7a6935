// Files in memory, with a model of what survives a power loss: each file keeps its last synced
// image and the writes since; `powerLoss` keeps the synced image plus, optionally, an arbitrary
// subset of the unsynced writes (possibly torn), as a disk with a volatile cache may.
import type { Vfs, VfsFile } from './types.js';

type PendingWrite = { position: number; data: Buffer } | { truncate: number };

const tornWriteUnitBytes = 512;

class MemoryNode {
  data = Buffer.alloc(0);
  length = 0;
  durableData = Buffer.alloc(0);
  pending: PendingWrite[] = [];
  /** The directory entry survives a power loss (created and synced). */
  entryDurable = false;

  ensureCapacity(length: number): void {
    if (length <= this.data.length) return;
    const grown = Buffer.alloc(Math.max(length, this.data.length * 2, 4096));
    this.data.copy(grown, 0, 0, this.length);
    this.data = grown;
  }
  applyWrite(position: number, source: Uint8Array): void {
    this.ensureCapacity(position + source.length);
    if (position > this.length) this.data.fill(0, this.length, position);
    this.data.set(source, position);
    this.length = Math.max(this.length, position + source.length);
  }
  applyTruncate(length: number): void {
    this.ensureCapacity(length);
    if (length > this.length) this.data.fill(0, this.length, length);
    this.length = length;
  }
  markSynced(): void {
    this.durableData = Buffer.from(this.data.subarray(0, this.length));
    this.pending = [];
    this.entryDurable = true;
  }
  /** Reverts to the synced image, replaying the unsynced writes that `keep` chooses. */
  loseUnsynced(keep?: (index: number) => 'drop' | 'keep' | 'torn', random?: () => number): void {
    const pending = this.pending;
    this.data = Buffer.from(this.durableData);
    this.length = this.durableData.length;
    pending.forEach((write, index) => {
      const fate = keep ? keep(index) : 'drop';
      if (fate === 'drop') return;
      if ('truncate' in write) return this.applyTruncate(write.truncate);
      if (fate === 'keep') return this.applyWrite(write.position, write.data);
      const units = Math.ceil(write.data.length / tornWriteUnitBytes);
      const kept = Math.floor((random ?? Math.random)() * units);
      this.applyWrite(write.position, write.data.subarray(0, kept * tornWriteUnitBytes));
    });
    this.pending = [];
    this.durableData = Buffer.from(this.data.subarray(0, this.length));
  }
}

class MemoryFile implements VfsFile {
  constructor(readonly path: string, private readonly node: MemoryNode, private readonly owner: MemoryVfs) {}
  size(): number {
    return this.node.length;
  }
  readSync(target: Uint8Array, position: number): number {
    this.owner.beforeOperation('read', this.path);
    const count = Math.max(0, Math.min(target.length, this.node.length - position));
    target.set(this.node.data.subarray(position, position + count));
    return count;
  }
  writeSync(source: Uint8Array, position: number): void {
    this.owner.beforeOperation('write', this.path);
    this.node.applyWrite(position, source);
    this.node.pending.push({ position, data: Buffer.from(source) });
  }
  async write(source: Uint8Array, position: number): Promise<void> {
    // Like real asynchronous I/O, other work runs before the write lands.
    await new Promise((resolve) => setImmediate(resolve));
    this.writeSync(source, position);
  }
  truncateSync(length: number): void {
    this.owner.beforeOperation('write', this.path);
    this.node.applyTruncate(length);
    this.node.pending.push({ truncate: length });
  }
  async sync(): Promise<void> {
    this.owner.beforeOperation('sync', this.path);
    await Promise.resolve();
    this.node.markSynced();
  }
  closeSync(): void {}
}

export type VfsOperation = 'read' | 'write' | 'sync';

export class MemoryVfs implements Vfs {
  private readonly nodes = new Map<string, MemoryNode>();
  /** Removed entries whose removal is not yet durable: a power loss brings them back. */
  private readonly removedUnsynced = new Map<string, MemoryNode>();
  /** Hook for fault injection (see FaultVfs); may throw. */
  onOperation: ((operation: VfsOperation, path: string) => void) | undefined;

  beforeOperation(operation: VfsOperation, path: string): void {
    this.onOperation?.(operation, path);
  }
  mkdirp(): void {}
  exists(path: string): boolean {
    return this.nodes.has(path) || [...this.nodes.keys()].some((name) => name.startsWith(path + '/'));
  }
  list(dir: string): string[] {
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    return [...this.nodes.keys()]
      .filter((path) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/'))
      .map((path) => path.slice(prefix.length));
  }
  open(path: string, create: boolean): VfsFile {
    let node = this.nodes.get(path);
    if (!node) {
      if (!create) throw Object.assign(new Error(`ENOENT: no such file '${path}'`), { code: 'ENOENT' });
      node = new MemoryNode();
      this.nodes.set(path, node);
    }
    return new MemoryFile(path, node, this);
  }
  remove(path: string): void {
    const node = this.nodes.get(path);
    if (!node) return;
    this.nodes.delete(path);
    if (node.entryDurable) this.removedUnsynced.set(path, node);
  }
  async syncDir(dir: string): Promise<void> {
    this.beforeOperation('sync', dir);
    await Promise.resolve();
    for (const path of [...this.removedUnsynced.keys()]) if (path.startsWith(dir)) this.removedUnsynced.delete(path);
    for (const [path, node] of this.nodes) if (path.startsWith(dir)) node.entryDurable = true;
  }
  /**
   * Simulates a power cut: unsynced writes are dropped, or, given `random`, each is kept, dropped
   * or torn at random; entries created but never synced vanish, unsynced removals come back.
   */
  powerLoss(random?: () => number): void {
    for (const [path, node] of [...this.nodes]) if (!node.entryDurable) this.nodes.delete(path);
    for (const [path, node] of this.removedUnsynced) this.nodes.set(path, node);
    this.removedUnsynced.clear();
    for (const node of this.nodes.values()) {
      if (!random) node.loseUnsynced();
      else {
        node.loseUnsynced(() => {
          const roll = random();
          return roll < 0.4 ? 'drop' : roll < 0.8 ? 'keep' : 'torn';
        }, random);
      }
    }
  }
  /** A new file system holding what this one holds now (for a machine restarted after a power cut). */
  survivor(): MemoryVfs {
    const copy = new MemoryVfs();
    for (const [path, node] of this.nodes) {
      const twin = new MemoryNode();
      twin.data = Buffer.from(node.data.subarray(0, node.length));
      twin.length = node.length;
      twin.durableData = Buffer.from(node.durableData);
      twin.entryDurable = node.entryDurable;
      copy.nodes.set(path, twin);
    }
    return copy;
  }
  /** Direct access to a file's bytes, for corruption tests. */
  bytes(path: string): Buffer {
    const node = this.nodes.get(path);
    if (!node) throw new Error(`no such file '${path}'`);
    return node.data.subarray(0, node.length);
  }
}
