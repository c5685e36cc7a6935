// The btree layer's door: copy-on-write B+trees over byte keys inside checksummed pages.
export { treeBulkLoad, treeRelocate, treeGet, treePut, treeDelete, treeFreeAll, treeContext, rootOver, maxKeyBytes, maxLeafCellBytes, type TreeContext } from './tree.js';
export { TreeCursor, treeCount, type Bounds } from './cursor.js';
export { checkTree, type TreeCheckResult } from './check.js';
export { compareKeyAt, branchChild, isLeaf, slotOffset } from './node.js';
export { overflowChain } from './overflow.js';
