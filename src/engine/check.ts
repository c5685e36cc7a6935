// The engine's self-check (bbolt's tx.Check, run after commits in tests): walks every page some
// live state can reach, checks each tree, and reconciles that with the free-space bookkeeping —
// a reachable page marked free is a double use, a page both free and deferred a double free, a
// page neither reachable nor free nor deferred a leak.
import { TreeCursor, branchChild, checkTree, isLeaf, overflowChain, slotOffset } from '../btree/index.js';
import { cellCount, firstDataPage, type Pager, type PageStore } from '../pager/index.js';
import { decodeRetained, decodeTreeEntry } from './catalog.js';

/** Calls `visit` for every page reachable from the catalogs and retained trees given. */
function walkStates(store: PageStore, catalogRoots: number[], retainedRoots: number[], problems: string[]): Set<number> {
  const reachable = new Set<number>();
  const walkedTrees = new Set<number>();
  const walkTree = (root: number, what: string) => {
    if (root === 0 || walkedTrees.has(root)) return;
    walkedTrees.add(root);
    const result = checkTree(store, root, (id) => reachable.add(id));
    for (const problem of result.problems) problems.push(`${what}: ${problem}`);
  };
  const walkCatalog = (catalogRoot: number) => {
    if (catalogRoot === 0 || walkedTrees.has(catalogRoot)) return;
    walkTree(catalogRoot, 'catalog');
    const cursor = new TreeCursor(store, catalogRoot, {}, false);
    while (cursor.next()) walkTree(decodeTreeEntry(cursor.value).root, `tree ${Buffer.from(cursor.key).readUInt32BE(0)}`);
  };
  for (const root of catalogRoots) walkCatalog(root);
  for (const retainedRoot of retainedRoots) {
    if (retainedRoot === 0) continue;
    walkTree(retainedRoot, 'retained commits');
    const cursor = new TreeCursor(store, retainedRoot, {}, false);
    const catalogs: number[] = [];
    while (cursor.next()) catalogs.push(decodeRetained(cursor.value).catalogRoot);
    for (const root of catalogs) walkCatalog(root);
  }
  return reachable;
}

/** Pages reachable from a checkpoint's state and the commits it retains (free space at open). */
export function markReachable(store: PageStore, checkpoints: { catalogRoot: number; retainedRoot: number }[]): Set<number> {
  const reachable = new Set<number>();
  const walk = (root: number) => {
    if (root === 0 || reachable.has(root)) return;
    reachable.add(root);
    const page = store.read(root);
    if (!isLeaf(page)) for (let i = 0; i < cellCount(page); i++) walk(branchChild(page, slotOffset(page, i)));
    else for (let i = 0; i < cellCount(page); i++) for (const link of overflowChain(store, page, slotOffset(page, i))) reachable.add(link.id);
  };
  const walkCatalog = (catalogRoot: number) => {
    if (catalogRoot === 0 || reachable.has(catalogRoot)) return;
    walk(catalogRoot);
    const cursor = new TreeCursor(store, catalogRoot, {}, false);
    while (cursor.next()) walk(decodeTreeEntry(cursor.value).root);
  };
  for (const { catalogRoot, retainedRoot } of checkpoints) {
    walkCatalog(catalogRoot);
    if (retainedRoot === 0) continue;
    walk(retainedRoot);
    const cursor = new TreeCursor(store, retainedRoot, {}, false);
    const catalogs: number[] = [];
    while (cursor.next()) catalogs.push(decodeRetained(cursor.value).catalogRoot);
    for (const root of catalogs) walkCatalog(root);
  }
  return reachable;
}

export function checkEngine(pager: Pager, catalogRoots: number[], retainedRoots: number[], spaceMapPages: number[]): string[] {
  const problems: string[] = [];
  const reachable = walkStates(pager, catalogRoots, retainedRoots, problems);
  for (const id of spaceMapPages) reachable.add(id);
  const space = pager.space;
  const deferred = new Set<number>();
  for (const entry of space.deferred) {
    if (deferred.has(entry.id)) problems.push(`page ${entry.id} freed twice (deferred twice)`);
    deferred.add(entry.id);
    if (space.isFree(entry.id)) problems.push(`page ${entry.id} both free and deferred (double free)`);
  }
  for (const id of reachable) {
    if (id < firstDataPage || id >= space.pageCount) problems.push(`reachable page ${id} lies outside the file (${space.pageCount} pages)`);
    else if (space.isFree(id)) problems.push(`page ${id} is reachable but marked free`);
  }
  for (let id = firstDataPage; id < space.pageCount; id++) {
    if (!reachable.has(id) && !space.isFree(id) && !deferred.has(id)) problems.push(`page ${id} leaked: neither reachable, free nor deferred`);
  }
  let freeCount = 0;
  for (const _ of space.freePages()) freeCount++;
  if (freeCount !== space.freeCount) problems.push(`free count ${space.freeCount} but ${freeCount} pages are free`);
  return problems;
}
