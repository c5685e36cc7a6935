// A transaction's buffered writes: per tree, the newest write of each key (a put, or a delete
// as a tombstone), readable in key order for scans; structural ops (create/drop/clear tree) in
// the order issued. Savepoints are marks in an undo log, so rolling back to one is proportional
// to the work being undone.
import type { TreeId, TreeOp } from '../engine/api.js';
import { SqlError } from '../util/errors.js';
import { assert } from '../util/assert.js';
import type { KeyString } from './keys.js';
import { OrderedKeys } from './ordered-keys.js';

/**
 * One buffered write; immutable. `writeNumber` orders writes within the transaction, and
 * `previous` keeps the version it replaced while a scan that started earlier may still need it,
 * so a scan sees the buffer as it was when it started (no Halloween problem).
 */
export interface BufferedWrite {
  readonly key: KeyString;
  readonly keyBytes: Uint8Array;
  /** undefined: a delete (tombstone). */
  readonly value: Uint8Array | undefined;
  /** The oldest snapshot a write of this key was based on (READ COMMITTED's unlocked-write check). */
  readonly basedOnSeq: number;
  readonly writeNumber: number;
  readonly previous: BufferedWrite | undefined;
}

export class TreeBuffer {
  readonly entries = new Map<KeyString, BufferedWrite>();
  readonly keys = new OrderedKeys();

  /**
   * @param baseHidden the snapshot's contents of the tree are invisible (tree created, cleared
   *   or dropped in this transaction)
   */
  constructor(
    readonly baseHidden: boolean,
    readonly dropped: boolean,
  ) {}

  set(write: BufferedWrite): void {
    if (!this.entries.has(write.key)) this.keys.insert(write.key);
    this.entries.set(write.key, write);
  }

  restore(key: KeyString, previous: BufferedWrite | undefined): void {
    if (previous === undefined) {
      this.entries.delete(key);
      this.keys.delete(key);
    } else {
      this.entries.set(key, previous);
    }
  }

  /** The version of `key` a scan that started after write number `through` sees. */
  visible(key: KeyString, through: number): BufferedWrite | undefined {
    let write = this.entries.get(key);
    while (write !== undefined && write.writeNumber > through) write = write.previous;
    return write;
  }

  /** The buffered writes in key order. */
  sorted(): BufferedWrite[] {
    const writes: BufferedWrite[] = [];
    for (const key of this.keys) writes.push(this.entries.get(key)!);
    return writes;
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
  private writeCount = 0;
  private openScanCount = 0;

  /** A scan starts: it sees writes up to the returned number. */
  scanStarted(): number {
    this.openScanCount++;
    return this.writeCount;
  }

  scanEnded(): void {
    assert(this.openScanCount > 0, 'scan ended once');
    this.openScanCount--;
  }

  get isEmpty(): boolean {
    return this.structuralOps.length === 0 && [...this.trees.values()].every((tree) => tree.entries.size === 0);
  }

  tree(tree: TreeId): TreeBuffer | undefined {
    return this.trees.get(tree);
  }

  put(tree: TreeId, key: KeyString, keyBytes: Uint8Array, value: Uint8Array | undefined, basedOnSeq: number): void {
    // Undo entries matter only to a later ROLLBACK TO; with no savepoint there is none to keep.
    const undoing = this.savepoints.length > 0;
    let buffer = this.trees.get(tree);
    if (buffer === undefined) {
      buffer = new TreeBuffer(false, false);
      this.trees.set(tree, buffer);
      if (undoing) this.undo.push({ kind: 'tree', tree, previous: undefined });
    }
    if (buffer.dropped) {
      throw new SqlError('42P01', `relation with tree id ${tree} was dropped in this transaction`);
    }
    const previous = buffer.entries.get(key);
    if (undoing) this.undo.push({ kind: 'key', buffer, key, previous });
    buffer.set({
      key,
      keyBytes,
      value,
      basedOnSeq: previous === undefined ? basedOnSeq : Math.min(previous.basedOnSeq, basedOnSeq),
      writeNumber: ++this.writeCount,
      // Only an open scan can still need the replaced version.
      previous: this.openScanCount > 0 ? previous : undefined,
    });
  }

  structural(op: TreeOp & { kind: 'createTree' | 'dropTree' | 'clearTree' }): void {
    if (this.savepoints.length > 0) this.undo.push({ kind: 'tree', tree: op.tree, previous: this.trees.get(op.tree) });
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
    if (index === 0) this.undo.length = 0;
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

  /** Every buffered key write of trees not dropped. */
  *writes(): Generator<[TreeId, BufferedWrite]> {
    for (const [tree, buffer] of this.trees) {
      if (buffer.dropped) continue;
      for (const write of buffer.entries.values()) yield [tree, write];
    }
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
