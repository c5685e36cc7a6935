// The two meta pages (pages 0 and 1), written alternately at each checkpoint (LMDB/bbolt style):
// generation g goes to page g % 2, and open picks the newest one whose checksum holds.
import { crc32c } from '@node-rs/crc32';
import type { VfsFile } from '../vfs/index.js';
import { PageType, initPage, sealPage } from './page.js';

export const formatVersion = 1;
const magic = Buffer.from('CAMBIUM\0', 'latin1');
const twoTo32 = 0x1_0000_0000;

export interface Meta {
  generation: number;
  pageSize: number;
  /** The commit whose state this checkpoint holds. */
  checkpointSeq: number;
  /** WAL position right after that commit: replay starts here. */
  checkpointLsn: number;
  /** Root of the tree of trees (tree id → root page) of that state; 0 when empty. */
  catalogRoot: number;
  /** Root of the tree of retained commits (seq → catalog root); 0 when empty. */
  retainedRoot: number;
  nextTreeId: number;
  pageCount: number;
  /** Newest page of the space-map chain (0: none). */
  spaceMapHead: number;
}

const field = {
  magic: 32,
  version: 40,
  pageSize: 44,
  generation: 48,
  checkpointSeq: 56,
  checkpointLsn: 64,
  catalogRoot: 72,
  retainedRoot: 76,
  nextTreeId: 80,
  pageCount: 88,
  spaceMapHead: 92,
  headerChecksum: 96,
} as const;

function writeU64(page: Buffer, value: number, offset: number): void {
  page.writeUInt32LE(value % twoTo32, offset);
  page.writeUInt32LE(Math.floor(value / twoTo32), offset + 4);
}
function readU64(page: Buffer, offset: number): number {
  return page.readUInt32LE(offset) + page.readUInt32LE(offset + 4) * twoTo32;
}

export function encodeMeta(meta: Meta): Buffer {
  const page = Buffer.alloc(meta.pageSize);
  initPage(page, meta.generation % 2, PageType.meta, meta.checkpointSeq);
  magic.copy(page, field.magic);
  page.writeUInt32LE(formatVersion, field.version);
  page.writeUInt32LE(meta.pageSize, field.pageSize);
  writeU64(page, meta.generation, field.generation);
  writeU64(page, meta.checkpointSeq, field.checkpointSeq);
  writeU64(page, meta.checkpointLsn, field.checkpointLsn);
  page.writeUInt32LE(meta.catalogRoot, field.catalogRoot);
  page.writeUInt32LE(meta.retainedRoot, field.retainedRoot);
  writeU64(page, meta.nextTreeId, field.nextTreeId);
  page.writeUInt32LE(meta.pageCount, field.pageCount);
  page.writeUInt32LE(meta.spaceMapHead, field.spaceMapHead);
  // A checksum over the fixed fields alone lets open read the page size before knowing it.
  page.writeUInt32LE(crc32c(page.subarray(field.magic, field.headerChecksum)), field.headerChecksum);
  sealPage(page);
  return page;
}

/** Decodes one meta slot; undefined when it is absent, torn or corrupt. */
export function decodeMeta(file: VfsFile, slot: 0 | 1, pageSizeHint: number): Meta | undefined {
  const head = Buffer.alloc(128);
  const probe = (pageSize: number): Meta | undefined => {
    if (file.readSync(head, slot * pageSize) !== head.length) return undefined;
    if (!head.subarray(field.magic, field.magic + 8).equals(magic)) return undefined;
    if (head.readUInt32LE(field.headerChecksum) !== crc32c(head.subarray(field.magic, field.headerChecksum))) return undefined;
    const storedPageSize = head.readUInt32LE(field.pageSize);
    if (storedPageSize !== pageSize) return undefined;
    const page = Buffer.alloc(pageSize);
    if (file.readSync(page, slot * pageSize) !== pageSize) return undefined;
    if (page.readUInt32LE(0) !== crc32c(page.subarray(4))) return undefined;
    if (page.readUInt32LE(field.version) !== formatVersion) return undefined;
    return {
      generation: readU64(page, field.generation),
      pageSize,
      checkpointSeq: readU64(page, field.checkpointSeq),
      checkpointLsn: readU64(page, field.checkpointLsn),
      catalogRoot: page.readUInt32LE(field.catalogRoot),
      retainedRoot: page.readUInt32LE(field.retainedRoot),
      nextTreeId: readU64(page, field.nextTreeId),
      pageCount: page.readUInt32LE(field.pageCount),
      spaceMapHead: page.readUInt32LE(field.spaceMapHead),
    };
  };
  // Slot 0 sits at offset 0 whatever the page size; slot 1 needs the size, so try the known ones.
  if (slot === 0) {
    if (file.readSync(head, 0) !== head.length) return undefined;
    return probe(head.readUInt32LE(field.pageSize));
  }
  for (let size = 4096; size <= 65536; size *= 2) {
    const meta = probe(size);
    if (meta) return meta;
  }
  return pageSizeHint ? probe(pageSizeHint) : undefined;
}

/** Reads both meta pages and returns the valid ones, newest first. */
export function readMetas(file: VfsFile, pageSizeHint: number): Meta[] {
  const metas = [decodeMeta(file, 0, pageSizeHint), decodeMeta(file, 1, pageSizeHint)].filter((meta): meta is Meta => meta !== undefined);
  return metas.sort((a, b) => b.generation - a.generation);
}
