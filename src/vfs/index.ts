// The vfs layer's door: the file-system seam and its three implementations.
export type { Vfs, VfsFile } from './types.js';
export { NodeVfs, joinPath } from './node.js';
export { MemoryVfs, type VfsOperation } from './memory.js';
export { FaultVfs, PowerLossError, type FaultPlan } from './fault.js';
