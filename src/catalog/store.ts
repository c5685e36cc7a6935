// The catalog's storage: one system B-tree, key = 4-byte big-endian OID, value = the object's
// JSON. Key 0 holds the catalog version. Reads and writes go through the caller's transaction,
// so DDL is transactional and covered by snapshots.
import type { RowIterator } from '../txn/api.js';
import { Catalog } from './catalog.js';
import { deserializeObject, serializeObject, type CatalogObject } from './model.js';

export interface CatalogReader {
  get(tree: number, key: Uint8Array): Uint8Array | undefined;
  scan(tree: number): RowIterator;
}

export interface CatalogWriter {
  put(tree: number, key: Uint8Array, value: Uint8Array): void;
  delete(tree: number, key: Uint8Array): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function oidKey(oid: number): Uint8Array {
  const key = new Uint8Array(4);
  new DataView(key.buffer).setUint32(0, oid);
  return key;
}

export const catalogVersionKey = oidKey(0);

export function readCatalogVersion(reader: Pick<CatalogReader, 'get'>, tree: number): number {
  const value = reader.get(tree, catalogVersionKey);
  return value ? Number(decoder.decode(value)) : 0;
}

/** Catalog records are split into chunks under [oid][chunk number] keys (engine entries are small). */
const chunkBytesMax = 1500;

function chunkKey(oid: number, chunk: number): Uint8Array {
  const key = new Uint8Array(6);
  const view = new DataView(key.buffer);
  view.setUint32(0, oid);
  view.setUint16(4, chunk);
  return key;
}

export function loadCatalog(reader: CatalogReader, tree: number): Catalog {
  const objects = new Map<number, CatalogObject>();
  let version = 0;
  const pieces = new Map<number, Uint8Array[]>();
  const iterator = reader.scan(tree);
  try {
    for (let entry = iterator.next(); entry; entry = iterator.next()) {
      const oid = new DataView(entry.key.buffer, entry.key.byteOffset, 4).getUint32(0);
      if (oid === 0) {
        version = Number(decoder.decode(entry.value));
        continue;
      }
      const list = pieces.get(oid) ?? [];
      list.push(entry.value.slice());
      pieces.set(oid, list);
    }
  } finally {
    iterator.close();
  }
  for (const [oid, chunks] of pieces) {
    const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const joined = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      joined.set(chunk, offset);
      offset += chunk.length;
    }
    objects.set(oid, deserializeObject(decoder.decode(joined)));
  }
  return new Catalog(objects, version);
}

function chunkCount(object: CatalogObject): number {
  return Math.max(1, Math.ceil(encoder.encode(serializeObject(object)).length / chunkBytesMax));
}

export function writeObject(writer: CatalogWriter, tree: number, object: CatalogObject, previous: CatalogObject | undefined): void {
  const bytes = encoder.encode(serializeObject(object));
  const count = Math.max(1, Math.ceil(bytes.length / chunkBytesMax));
  for (let chunk = 0; chunk < count; chunk++) {
    writer.put(tree, chunkKey(object.oid, chunk), bytes.subarray(chunk * chunkBytesMax, (chunk + 1) * chunkBytesMax));
  }
  const before = previous ? chunkCount(previous) : 0;
  for (let chunk = count; chunk < before; chunk++) writer.delete(tree, chunkKey(object.oid, chunk));
}

/** Writes what changed between two catalogs plus the new version. */
export function writeCatalogChanges(writer: CatalogWriter, tree: number, before: Catalog, after: Catalog): void {
  for (const [oid, object] of after.objects) {
    const previous = before.objects.get(oid);
    if (previous !== object) writeObject(writer, tree, object, previous);
  }
  for (const [oid, object] of before.objects) {
    if (!after.objects.has(oid)) for (let chunk = 0; chunk < chunkCount(object); chunk++) writer.delete(tree, chunkKey(oid, chunk));
  }
  writer.put(tree, catalogVersionKey, encoder.encode(String(after.version)));
}

export { chunkKey as catalogRecordKey };
