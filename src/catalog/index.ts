// The catalog layer's door.
export * from './model.js';
export { Catalog } from './catalog.js';
export { CatalogEditor } from './editor.js';
export { loadCatalog, writeCatalogChanges, writeObject, readCatalogVersion, oidKey, catalogVersionKey, catalogRecordKey } from './store.js';
export type { CatalogReader, CatalogWriter } from './store.js';
export { bootstrapObjects } from './bootstrap.js';
