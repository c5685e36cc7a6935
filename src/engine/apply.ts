// Applying one commit's ops to the copy-on-write trees: used by commit() and by WAL replay, so
// both produce the same state. Returns the new roots; the caller publishes them.
import { treeContext, treeDelete, treeFreeAll, treeGet, treePut, maxKeyBytes, maxLeafCellBytes, type TreeContext } from '../btree/index.js';
import type { Pager } from '../pager/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import { unreachable } from '../util/assert.js';
import type { TreeOp } from './api.js';
import { decodeTreeEntry, encodeRetained, encodeTreeEntry, ownedAfter, seqKey, treeKey, type RetainedEntry, type TreeEntry } from './catalog.js';

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
  const cellBytesMax = maxLeafCellBytes(pager.pageSize);
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
  for (const op of ops) {
    switch (op.kind) {
      case 'put': {
        if (op.key.length > keyBytesMax) throw new SqlError(SqlState.programLimitExceeded, `key of ${op.key.length} bytes exceeds the maximum of ${keyBytesMax}`);
        if (6 + op.key.length + op.value.length > cellBytesMax) {
          throw new SqlError(SqlState.programLimitExceeded, `entry of ${op.key.length + op.value.length} bytes exceeds the maximum of ${cellBytesMax - 6} bytes per key and value`);
        }
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
