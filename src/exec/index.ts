// The exec layer's door.
export * from './api.js';
export { prepareStatement, type PrepareOptions } from './statement.js';
export { CopyFromRunner, copyToChunks } from './copy.js';
export { layoutOf, decodeStoredRow, liveRow } from './table-storage.js';
export { scramVerifier } from './ddl/misc.js';
export { pullRow, rowPending } from './nodes/yielding.js';
