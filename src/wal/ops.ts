// Payloads of WAL records: the logical changes of a commit, then its commit record.
import { unreachable } from '../util/assert.js';

/** A logical change, structurally the engine's TreeOp (the WAL sits below the engine layer). */
export type TreeOp =
  | { kind: 'put'; tree: number; key: Uint8Array; value: Uint8Array }
  | { kind: 'delete'; tree: number; key: Uint8Array }
  | { kind: 'createTree'; tree: number }
  | { kind: 'dropTree'; tree: number }
  | { kind: 'clearTree'; tree: number }
  | { kind: 'cloneTree'; tree: number; source: number; sourceSeq: number }
  | { kind: 'retain' }
  | { kind: 'unretain'; seq: number };

export const RecordKind = {
  put: 1,
  delete: 2,
  createTree: 3,
  dropTree: 4,
  clearTree: 5,
  cloneTree: 6,
  retain: 7,
  unretain: 8,
  commit: 9,
  treeIds: 10,
} as const;

const twoTo32 = 0x1_0000_0000;

export type WalEntry = { kind: 'op'; op: TreeOp } | { kind: 'commit'; seq: number } | { kind: 'treeIds'; nextTreeId: number };

/** Bytes the payload of `op` takes. */
export function opPayloadBytes(op: TreeOp): number {
  switch (op.kind) {
    case 'put':
      return 11 + op.key.length + op.value.length;
    case 'delete':
      return 7 + op.key.length;
    case 'createTree':
    case 'dropTree':
    case 'clearTree':
      return 5;
    case 'cloneTree':
      return 17;
    case 'retain':
      return 1;
    case 'unretain':
      return 9;
    default:
      return unreachable(op);
  }
}

function writeU64(target: Buffer, value: number, at: number): void {
  target.writeUInt32LE(value % twoTo32, at);
  target.writeUInt32LE(Math.floor(value / twoTo32), at + 4);
}
function readU64(source: Buffer, at: number): number {
  return source.readUInt32LE(at) + source.readUInt32LE(at + 4) * twoTo32;
}

export function writeOpPayload(target: Buffer, at: number, op: TreeOp): void {
  switch (op.kind) {
    case 'put':
      target[at] = RecordKind.put;
      target.writeUInt32LE(op.tree, at + 1);
      target.writeUInt16LE(op.key.length, at + 5);
      target.writeUInt32LE(op.value.length, at + 7);
      target.set(op.key, at + 11);
      target.set(op.value, at + 11 + op.key.length);
      return;
    case 'delete':
      target[at] = RecordKind.delete;
      target.writeUInt32LE(op.tree, at + 1);
      target.writeUInt16LE(op.key.length, at + 5);
      target.set(op.key, at + 7);
      return;
    case 'createTree':
    case 'dropTree':
    case 'clearTree':
      target[at] = RecordKind[op.kind];
      target.writeUInt32LE(op.tree, at + 1);
      return;
    case 'cloneTree':
      target[at] = RecordKind.cloneTree;
      target.writeUInt32LE(op.tree, at + 1);
      target.writeUInt32LE(op.source, at + 5);
      writeU64(target, op.sourceSeq, at + 9);
      return;
    case 'retain':
      target[at] = RecordKind.retain;
      return;
    case 'unretain':
      target[at] = RecordKind.unretain;
      writeU64(target, op.seq, at + 1);
      return;
    default:
      unreachable(op);
  }
}

export function writeCommitPayload(target: Buffer, at: number, seq: number): void {
  target[at] = RecordKind.commit;
  writeU64(target, seq, at + 1);
}
export const commitPayloadBytes = 9;
export function writeTreeIdsPayload(target: Buffer, at: number, nextTreeId: number): void {
  target[at] = RecordKind.treeIds;
  writeU64(target, nextTreeId, at + 1);
}
export const treeIdsPayloadBytes = 9;

/** Decodes one payload; keys and values are copied out of the segment buffer. undefined: unknown kind. */
export function readPayload(source: Buffer, at: number, length: number): WalEntry | undefined {
  const kind = source[at];
  switch (kind) {
    case RecordKind.put: {
      const keyLength = source.readUInt16LE(at + 5);
      const valueLength = source.readUInt32LE(at + 7);
      if (11 + keyLength + valueLength !== length) return undefined;
      const key = Uint8Array.prototype.slice.call(source, at + 11, at + 11 + keyLength);
      const value = Uint8Array.prototype.slice.call(source, at + 11 + keyLength, at + 11 + keyLength + valueLength);
      return { kind: 'op', op: { kind: 'put', tree: source.readUInt32LE(at + 1), key, value } };
    }
    case RecordKind.delete: {
      const keyLength = source.readUInt16LE(at + 5);
      if (7 + keyLength !== length) return undefined;
      const key = Uint8Array.prototype.slice.call(source, at + 7, at + 7 + keyLength);
      return { kind: 'op', op: { kind: 'delete', tree: source.readUInt32LE(at + 1), key } };
    }
    case RecordKind.createTree:
      return { kind: 'op', op: { kind: 'createTree', tree: source.readUInt32LE(at + 1) } };
    case RecordKind.dropTree:
      return { kind: 'op', op: { kind: 'dropTree', tree: source.readUInt32LE(at + 1) } };
    case RecordKind.clearTree:
      return { kind: 'op', op: { kind: 'clearTree', tree: source.readUInt32LE(at + 1) } };
    case RecordKind.cloneTree:
      return { kind: 'op', op: { kind: 'cloneTree', tree: source.readUInt32LE(at + 1), source: source.readUInt32LE(at + 5), sourceSeq: readU64(source, at + 9) } };
    case RecordKind.retain:
      return { kind: 'op', op: { kind: 'retain' } };
    case RecordKind.unretain:
      return { kind: 'op', op: { kind: 'unretain', seq: readU64(source, at + 1) } };
    case RecordKind.commit:
      return { kind: 'commit', seq: readU64(source, at + 1) };
    case RecordKind.treeIds:
      return { kind: 'treeIds', nextTreeId: readU64(source, at + 1) };
    default:
      return undefined;
  }
}
