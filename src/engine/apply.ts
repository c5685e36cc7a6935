// Applying one commit's ops to the copy-on-write trees: used by commit() and by WAL replay, so
// both produce the same state. Returns the new roots; the caller publishes them.
import { TreeCursor, treeBulkLoad, treeContext, treeDelete, treeFreeAll, treeGet, treePut, treeRelocate, maxKeyBytes, type TreeContext } from '../btree/index.js';
import { limits } from '../util/limits.js';
import type { Pager } from '../pager/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import { unreachable } from '../util/assert.js';
import type { TreeOp } from './api.js';
import { decodeTreeEntry, encodeRetained, encodeTreeEntry, ownedAfter, seqKey, treeIdOfKey, treeKey, type RetainedEntry, type TreeEntry } from './catalog.js';

export interface CommitState {
  seq: number;
  catalogRoot: number;
  retainedRoot: number;
}

export interface ApplyResult {
  state: CommitState;
  /** Retained entries this commit added, changed (user flag dropped) or removed (undefined). */
  retainedChanges: Map<number, RetainedEntry | undefined>;
  /** Highest tree id created, so the id allocator can move past it. */
  highestTreeId: number;
}

interface Working {
  entry: TreeEntry | undefined;
  changed: boolean;
}

function noSuchTree(tree: number): SqlError {
  return new SqlError(SqlState.undefinedObject, `tree ${tree} does not exist`);
}

/** Shortest run of sorted puts into an empty tree worth a bulk load. */
const bulkLoadEntriesMin = 64;

/** Length of the run of puts to one tree starting at `start` with strictly ascending, valid keys. */
function ascendingPutRun(ops: readonly TreeOp[], start: number, keyBytesMax: number, valueBytesMax: number): number {
  const first = ops[start];
  if (first?.kind !== 'put' || first.value.length > valueBytesMax) return 0;
  let end = start + 1;
  let previous = first.key;
  for (; end < ops.length; end++) {
    const op = ops[end]!;
    if (op.kind !== 'put' || op.tree !== first.tree || op.key.length > keyBytesMax || op.value.length > valueBytesMax) break;
    if (Buffer.compare(previous, op.key) >= 0) break;
    previous = op.key;
  }
  return end - start;
}

export function applyOps(
  pager: Pager,
  base: CommitState,
  seq: number,
  ops: readonly TreeOp[],
  retained: ReadonlyMap<number, RetainedEntry>,
  /** Which zombie retained commits (kept only as clone origins) are no longer needed after this commit. */
  releasableZombies: (catalogRoot: number, changes: Map<number, RetainedEntry | undefined>) => number[],
): ApplyResult {
  const keyBytesMax = maxKeyBytes(pager.pageSize);
  const valueBytesMax = limits.engineValueBytesMax;
  const working = new Map<number, Working>();
  const contexts = new Map<number, TreeContext>();
  const load = (tree: number): Working => {
    let found = working.get(tree);
    if (!found) {
      const value = treeGet(pager, base.catalogRoot, treeKey(tree));
      found = { entry: value === undefined ? undefined : decodeTreeEntry(value), changed: false };
      working.set(tree, found);
    }
    return found;
  };
  const contextOf = (entry: TreeEntry): TreeContext => {
    const floor = ownedAfter(entry);
    let context = contexts.get(floor);
    if (!context) contexts.set(floor, (context = treeContext(pager, floor)));
    return context;
  };
  const existing = (tree: number): Working & { entry: TreeEntry } => {
    const found = load(tree);
    if (found.entry === undefined) throw noSuchTree(tree);
    return found as Working & { entry: TreeEntry };
  };
  let highestTreeId = 0;
  let retainThis = false;
  const unretains: number[] = [];
  for (let opIndex = 0; opIndex < ops.length; opIndex++) {
    const op = ops[opIndex]!;
    switch (op.kind) {
      case 'put': {
        const emptyTree = existing(op.tree).entry.root === 0;
        const run = emptyTree && op.key.length <= keyBytesMax ? ascendingPutRun(ops, opIndex, keyBytesMax, valueBytesMax) : 0;
        if (run >= bulkLoadEntriesMin) {
          const target = existing(op.tree);
          {
            // Sorted input into an empty tree: build it bottom-up instead of inserting one by one.
            target.entry.root = treeBulkLoad(contextOf(target.entry), ops.slice(opIndex, opIndex + run) as { key: Uint8Array; value: Uint8Array }[]);
            target.changed = true;
            opIndex += run - 1;
            break;
          }
        }
        if (op.key.length > keyBytesMax) throw new SqlError(SqlState.programLimitExceeded, `key of ${op.key.length} bytes exceeds the maximum of ${keyBytesMax}`);
        if (op.value.length > valueBytesMax) throw new SqlError(SqlState.programLimitExceeded, `value of ${op.value.length} bytes exceeds the maximum of ${valueBytesMax}`);
        const target = existing(op.tree);
        target.entry.root = treePut(contextOf(target.entry), target.entry.root, op.key, op.value);
        target.changed = true;
        break;
      }
      case 'delete': {
        const target = existing(op.tree);
        const root = treeDelete(contextOf(target.entry), target.entry.root, op.key);
        if (root !== undefined) {
          target.entry.root = root;
          target.changed = true;
        }
        break;
      }
      case 'createTree': {
        if (!Number.isInteger(op.tree) || op.tree <= 0 || op.tree > 0xffff_ffff) throw new SqlError(SqlState.invalidParameterValue, `invalid tree id ${op.tree}`);
        const target = load(op.tree);
        if (target.entry !== undefined) throw new SqlError(SqlState.duplicateObject, `tree ${op.tree} already exists`);
        target.entry = { root: 0, origins: [] };
        target.changed = true;
        highestTreeId = Math.max(highestTreeId, op.tree);
        break;
      }
      case 'dropTree': {
        const target = existing(op.tree);
        treeFreeAll(contextOf(target.entry), target.entry.root);
        (target as Working).entry = undefined;
        target.changed = true;
        break;
      }
      case 'clearTree': {
        const target = existing(op.tree);
        treeFreeAll(contextOf(target.entry), target.entry.root);
        target.entry = { root: 0, origins: [] };
        target.changed = true;
        break;
      }
      case 'cloneTree': {
        const kept = retained.get(op.sourceSeq);
        if (!kept) throw new SqlError(SqlState.snapshotTooOld, `snapshot too old: commit ${op.sourceSeq} is not retained`);
        const value = treeGet(pager, kept.catalogRoot, treeKey(op.source));
        if (value === undefined) throw new SqlError(SqlState.undefinedObject, `tree ${op.source} does not exist in commit ${op.sourceSeq}`);
        const source = decodeTreeEntry(value);
        const target = load(op.tree);
        if (target.entry !== undefined) treeFreeAll(contextOf(target.entry), target.entry.root);
        target.entry = { root: source.root, origins: [...new Set([...source.origins, op.sourceSeq])].sort((a, b) => a - b) };
        target.changed = true;
        highestTreeId = Math.max(highestTreeId, op.tree);
        break;
      }
      case 'retain':
        retainThis = true;
        break;
      case 'unretain':
        unretains.push(op.seq);
        break;
      default:
        unreachable(op);
    }
  }
  const systemContext = treeContext(pager);
  let catalogRoot = base.catalogRoot;
  for (const [tree, target] of working) {
    if (!target.changed) continue;
    if (target.entry) catalogRoot = treePut(systemContext, catalogRoot, treeKey(tree), encodeTreeEntry(target.entry));
    else catalogRoot = treeDelete(systemContext, catalogRoot, treeKey(tree)) ?? catalogRoot;
  }
  const retainedChanges = new Map<number, RetainedEntry | undefined>();
  for (const unretained of unretains) {
    const entry = retained.get(unretained);
    if (entry?.user) retainedChanges.set(unretained, { catalogRoot: entry.catalogRoot, user: false });
  }
  if (retainThis) retainedChanges.set(seq, { catalogRoot, user: true });
  for (const zombie of releasableZombies(catalogRoot, retainedChanges)) retainedChanges.set(zombie, undefined);
  let retainedRoot = base.retainedRoot;
  for (const [retainedSeq, entry] of retainedChanges) {
    if (entry) retainedRoot = treePut(systemContext, retainedRoot, seqKey(retainedSeq), encodeRetained(entry));
    else retainedRoot = treeDelete(systemContext, retainedRoot, seqKey(retainedSeq)) ?? retainedRoot;
  }
  return { state: { seq, catalogRoot, retainedRoot }, retainedChanges, highestTreeId };
}

/**
 * A commit that changes no data but moves pages out of the file's tail (every tree, the catalog,
 * the retained tree), so later checkpoints can truncate it. Logged as an empty commit.
 */
export function relocateTail(pager: Pager, base: CommitState, seq: number, threshold: number, pagesMax: number): CommitState {
  const budget = { pages: pagesMax };
  const entries: { tree: number; entry: TreeEntry }[] = [];
  const cursor = new TreeCursor(pager, base.catalogRoot, {}, false);
  while (cursor.next()) entries.push({ tree: treeIdOfKey(cursor.key), entry: decodeTreeEntry(cursor.value) });
  const systemContext = treeContext(pager);
  let catalogRoot = base.catalogRoot;
  for (const { tree, entry } of entries) {
    if (budget.pages <= 0) break;
    const root = treeRelocate(treeContext(pager, ownedAfter(entry)), entry.root, threshold, budget);
    if (root === entry.root) continue;
    catalogRoot = treePut(systemContext, catalogRoot, treeKey(tree), encodeTreeEntry({ ...entry, root }));
  }
  catalogRoot = treeRelocate(systemContext, catalogRoot, threshold, { pages: Infinity });
  const retainedRoot = treeRelocate(systemContext, base.retainedRoot, threshold, { pages: Infinity });
  return { seq, catalogRoot, retainedRoot };
}
