// The pager layer's door: checksummed pages, the page cache, free space, meta pages.
export * from './page.js';
export { PageCache } from './cache.js';
export { FreeSpace, firstDataPage, type DeferredPage } from './freespace.js';
export { Pager, type PageStore } from './pager.js';
export { encodeMeta, decodeMeta, readMetas, formatVersion, type Meta } from './meta.js';
export { loadSpaceMap, writeSpaceMap, type SpaceMapWrite } from './spacemap.js';
