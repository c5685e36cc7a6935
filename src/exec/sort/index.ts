// Sorting with bounded memory (external merge sort, top-N heap).
export { BinaryHeap } from './binary-heap.js';
export { ExternalSort, type RowCodec, type SortOptions, type SortStatistics } from './external-sort.js';
