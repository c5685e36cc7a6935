// A transaction's buffered writes: per tree, the newest write of each key (a put, or a delete
// as a tombstone), readable in key order for scans; structural ops (create/drop/clear tree) in
// the order issued. Savepoints are marks in an undo log, so rolling back to one is proportional
// to the work being undone.
import type { TreeId, TreeOp } from '../engine/api.js';
import { SqlError } from '../util/errors.js';
import { assert } from '../util/assert.js';
import type { KeyString } from './keys.js';

/** One buffered write; immutable, so a scan holding a sorted array keeps a stable picture. */
export interface BufferedWrite {
  readonly key: KeyString;
  readonly keyBytes: Uint8Array;
  /** undefined: a delete (tombstone). */
  readonly value: Uint8Array | undefined;
}

export class TreeBuffer {
  readonly entries = new Map<KeyString, BufferedWrite>();
  private sortedCache: readonly BufferedWrite[] | undefined;

  /**
   * @param baseHidden the snapshot's contents of the tree are invisible (tree created, cleared
   *   or dropped in this transaction)
   */
  constructor(
    readonly baseHidden: boolean,
    readonly dropped: boolean,
  ) {}

  set(write: BufferedWrite): void {
    this.entries.set(write.key, write);
    this.sortedCache = undefined;
  }

  restore(key: KeyString, previous: BufferedWrite | undefined): void {
    if (previous === undefined) this.entries.delete(key);
    else this.entries.set(key, previous);
    this.sortedCache = undefined;
  }

  /** The buffered writes in key order. The array is never mutated afterwards. */
  sorted(): readonly BufferedWrite[] {
    if (this.sortedCache === undefined) {
      const writes = [...this.entries.values()];
      writes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      this.sortedCache = writes;
    }
    return this.sortedCache;
  }
}

type UndoEntry =
  | { kind: 'key'; buffer: TreeBuffer; key: KeyString; previous: BufferedWrite | undefined }
  | { kind: 'tree'; tree: TreeId; previous: TreeBuffer | undefined };

interface SavepointMark {
  name: string;
  undoLength: number;
  structuralLength: number;
}

/** What a commit wrote, for first-committer-wins and SERIALIZABLE validation. */
export interface WriteSet {
  /** Written keys per tree. */
  keys: Map<TreeId, KeyString[]>;
  /** Trees created, cleared or dropped: every key of theirs counts as written. */
  wholeTrees: TreeId[];
}

export class WriteBuffer {
  private readonly trees = new Map<TreeId, TreeBuffer>();
  private readonly structuralOps: TreeOp[] = [];
  private readonly undo: UndoEntry[] = [];
  private readonly savepoints: SavepointMark[] = [];

  get isEmpty(): boolean {
    return this.structuralOps.length === 0 && [...this.trees.values()].every((tree) => tree.entries.size === 0);
  }

  tree(tree: TreeId): TreeBuffer | undefined {
    return this.trees.get(tree);
  }

  put(tree: TreeId, key: KeyString, keyBytes: Uint8Array, value: Uint8Array | undefined): void {
    let buffer = this.trees.get(tree);
    if (buffer === undefined) {
      buffer = new TreeBuffer(false, false);
      this.trees.set(tree, buffer);
      this.undo.push({ kind: 'tree', tree, previous: undefined });
    }
    if (buffer.dropped) {
      throw new SqlError('42P01', `relation with tree id ${tree} was dropped in this transaction`);
    }
    this.undo.push({ kind: 'key', buffer, key, previous: buffer.entries.get(key) });
    buffer.set({ key, keyBytes, value });
  }

  structural(op: TreeOp & { kind: 'createTree' | 'dropTree' | 'clearTree' }): void {
    this.undo.push({ kind: 'tree', tree: op.tree, previous: this.trees.get(op.tree) });
    this.trees.set(op.tree, new TreeBuffer(true, op.kind === 'dropTree'));
    this.structuralOps.push(op);
  }

  savepoint(name: string): void {
    this.savepoints.push({ name, undoLength: this.undo.length, structuralLength: this.structuralOps.length });
  }

  /** RELEASE: forgets the named savepoint and every later one; keeps their writes. */
  release(name: string): void {
    const index = this.findSavepoint(name);
    this.savepoints.length = index;
  }

  /** ROLLBACK TO: undoes every write since the named savepoint, which stays defined. */
  rollbackTo(name: string): void {
    const index = this.findSavepoint(name);
    const mark = this.savepoints[index]!;
    this.savepoints.length = index + 1;
    while (this.undo.length > mark.undoLength) {
      const entry = this.undo.pop()!;
      if (entry.kind === 'key') entry.buffer.restore(entry.key, entry.previous);
      else if (entry.previous === undefined) this.trees.delete(entry.tree);
      else this.trees.set(entry.tree, entry.previous);
    }
    this.structuralOps.length = mark.structuralLength;
  }

  hasSavepoint(name: string): boolean {
    return this.savepoints.some((mark) => mark.name === name);
  }

  private findSavepoint(name: string): number {
    for (let index = this.savepoints.length - 1; index >= 0; index--) {
      if (this.savepoints[index]!.name === name) return index;
    }
    throw new SqlError('3B001', `savepoint "${name}" does not exist`);
  }

  /** The engine ops that publish this buffer: structural ops in order, then the key writes. */
  ops(): TreeOp[] {
    const ops: TreeOp[] = [...this.structuralOps];
    for (const [tree, buffer] of this.trees) {
      if (buffer.dropped) continue;
      for (const write of buffer.sorted()) {
        if (write.value !== undefined) ops.push({ kind: 'put', tree, key: write.keyBytes, value: write.value });
        else if (!buffer.baseHidden) ops.push({ kind: 'delete', tree, key: write.keyBytes });
      }
    }
    return ops;
  }

  writeSet(): WriteSet {
    const keys = new Map<TreeId, KeyString[]>();
    const wholeTrees = new Set<TreeId>();
    for (const op of this.structuralOps) {
      assert(op.kind === 'createTree' || op.kind === 'dropTree' || op.kind === 'clearTree', 'structural op kind');
      wholeTrees.add(op.tree);
    }
    for (const [tree, buffer] of this.trees) {
      if (buffer.entries.size > 0) keys.set(tree, [...buffer.entries.keys()]);
    }
    return { keys, wholeTrees: [...wholeTrees] };
  }
}
