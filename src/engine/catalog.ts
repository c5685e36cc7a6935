// The two system trees every state carries:
//   the catalog (tree of trees): tree id (u32 big-endian) → root page u32 | origin count u32 | origins u64…
//   the retained tree: commit seq (u64 big-endian) → catalog root u32 | flags u8 (1: user retain)
// A tree's origins are the retained commits it was cloned from (directly or through its source);
// they stay kept while the clone exists, and pages born at or before the newest origin belong to
// the source tree's timeline, never freed by the clone.
const twoTo32 = 0x1_0000_0000;

export interface TreeEntry {
  root: number;
  origins: number[];
}

export function treeKey(tree: number): Uint8Array {
  const key = Buffer.allocUnsafe(4);
  key.writeUInt32BE(tree, 0);
  return key;
}
export function treeIdOfKey(key: Uint8Array): number {
  return ((key[0]! << 24) >>> 0) + (key[1]! << 16) + (key[2]! << 8) + key[3]!;
}
export function encodeTreeEntry(entry: TreeEntry): Uint8Array {
  const value = Buffer.allocUnsafe(8 + 8 * entry.origins.length);
  value.writeUInt32LE(entry.root, 0);
  value.writeUInt32LE(entry.origins.length, 4);
  entry.origins.forEach((origin, index) => {
    value.writeUInt32LE(origin % twoTo32, 8 + 8 * index);
    value.writeUInt32LE(Math.floor(origin / twoTo32), 12 + 8 * index);
  });
  return value;
}
export function decodeTreeEntry(value: Uint8Array): TreeEntry {
  const view = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const count = view.readUInt32LE(4);
  const origins: number[] = [];
  for (let i = 0; i < count; i++) origins.push(view.readUInt32LE(8 + 8 * i) + view.readUInt32LE(12 + 8 * i) * twoTo32);
  return { root: view.readUInt32LE(0), origins };
}
/** The root page alone, without decoding origins (the read path). */
export function rootOfTreeEntry(value: Uint8Array): number {
  return (value[0]! | (value[1]! << 8) | (value[2]! << 16)) + value[3]! * 0x100_0000;
}
export function ownedAfter(entry: TreeEntry): number {
  return entry.origins.length === 0 ? 0 : Math.max(...entry.origins);
}

export interface RetainedEntry {
  catalogRoot: number;
  /** Kept because a user retained it (otherwise only as some clone's origin). */
  user: boolean;
}
export function seqKey(seq: number): Uint8Array {
  const key = Buffer.allocUnsafe(8);
  key.writeUInt32BE(Math.floor(seq / twoTo32), 0);
  key.writeUInt32BE(seq % twoTo32, 4);
  return key;
}
export function seqOfKey(key: Uint8Array): number {
  const view = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return view.readUInt32BE(0) * twoTo32 + view.readUInt32BE(4);
}
export function encodeRetained(entry: RetainedEntry): Uint8Array {
  const value = Buffer.allocUnsafe(5);
  value.writeUInt32LE(entry.catalogRoot, 0);
  value[4] = entry.user ? 1 : 0;
  return value;
}
export function decodeRetained(value: Uint8Array): RetainedEntry {
  const view = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return { catalogRoot: view.readUInt32LE(0), user: view[4] === 1 };
}
