// A pinned committed state: a catalog root plus a pin on its commit seq (O(1) to open). Tree
// roots are looked up once per view and remembered.
import { TreeCursor, treeCount, treeGet, type Bounds } from '../btree/index.js';
import type { PageStore } from '../pager/index.js';
import { assert } from '../util/assert.js';
import type { CommitSeq, Cursor, KeyRange, ReadView, TreeId } from './api.js';
import { rootOfTreeEntry, treeKey } from './catalog.js';

const absent = -1;

/** Who counts the pins of open views. */
export interface ViewPins {
  unpin(seq: CommitSeq): void;
}

export class EngineView implements ReadView {
  // The last tree looked up, then a map for the rest (most views read one or two trees).
  private lastTree = 0;
  private lastRoot = 0;
  private roots: Map<TreeId, number> | undefined;
  private released = false;

  constructor(
    private readonly store: PageStore,
    readonly commitSeq: CommitSeq,
    readonly catalogRoot: number,
    private readonly pins: ViewPins,
  ) {}

  private rootOf(tree: TreeId): number {
    assert(!this.released, 'read through a released view');
    if (tree === this.lastTree) return this.lastRoot;
    let root = this.roots?.get(tree);
    if (root === undefined) {
      const entry = treeGet(this.store, this.catalogRoot, treeKey(tree));
      root = entry === undefined ? absent : rootOfTreeEntry(entry);
      (this.roots ??= new Map()).set(tree, root);
    }
    this.lastTree = tree;
    this.lastRoot = root;
    return root;
  }
  get(tree: TreeId, key: Uint8Array): Uint8Array | undefined {
    const root = this.rootOf(tree);
    return root <= 0 ? undefined : treeGet(this.store, root, key);
  }
  cursor(tree: TreeId, range: KeyRange = {}, reverse = false): Cursor {
    const root = this.rootOf(tree);
    return new TreeCursor(this.store, root <= 0 ? 0 : root, range as Bounds, reverse);
  }
  count(tree: TreeId, range: KeyRange = {}): number {
    const root = this.rootOf(tree);
    return root <= 0 ? 0 : treeCount(this.store, root, range as Bounds);
  }
  hasTree(tree: TreeId): boolean {
    return this.rootOf(tree) !== absent;
  }
  rootPageId(tree: TreeId): number {
    return Math.max(0, this.rootOf(tree));
  }
  release(): void {
    if (this.released) return;
    this.released = true;
    this.pins.unpin(this.commitSeq);
  }
}
