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

export function loadCatalog(reader: CatalogReader, tree: number): Catalog {
  const objects = new Map<number, CatalogObject>();
  let version = 0;
  const iterator = reader.scan(tree);
  try {
    for (let entry = iterator.next(); entry; entry = iterator.next()) {
      const oid = new DataView(entry.key.buffer, entry.key.byteOffset, 4).getUint32(0);
      const text = decoder.decode(entry.value);
      if (oid === 0) version = Number(text);
      else objects.set(oid, deserializeObject(text));
    }
  } finally {
    iterator.close();
  }
  return new Catalog(objects, version);
}

/** Writes what changed between two catalogs plus the new version. */
export function writeCatalogChanges(writer: CatalogWriter, tree: number, before: Catalog, after: Catalog): void {
  for (const [oid, object] of after.objects) {
    if (before.objects.get(oid) !== object) writer.put(tree, oidKey(oid), encoder.encode(serializeObject(object)));
  }
  for (const oid of before.objects.keys()) {
    if (!after.objects.has(oid)) writer.delete(tree, oidKey(oid));
  }
  writer.put(tree, catalogVersionKey, encoder.encode(String(after.version)));
}
