// The write sets of recent commits, kept only while some live transaction's snapshot is older
// than them (they are what first-committer-wins and SERIALIZABLE validation compare against).
// An index maps each written key to its newest writer, so a write can be checked in O(1).
import type { CommitSeq, TreeId } from '../engine/api.js';
import { assert } from '../util/assert.js';
import type { KeyString } from './keys.js';
import type { WriteSet } from './write-buffer.js';

export interface CommittedWrites {
  readonly seq: CommitSeq;
  readonly writeSet: WriteSet;
}

export class CommitHistory {
  private readonly commits: CommittedWrites[] = [];
  private readonly newestKeyWriter = new Map<TreeId, Map<KeyString, CommitSeq>>();
  private readonly newestWholeTreeWriter = new Map<TreeId, CommitSeq>();

  get length(): number {
    return this.commits.length;
  }

  record(seq: CommitSeq, writeSet: WriteSet): void {
    const newest = this.commits[this.commits.length - 1];
    assert(newest === undefined || newest.seq < seq, 'commit history is appended in commit order');
    this.commits.push({ seq, writeSet });
    for (const [tree, keys] of writeSet.keys) {
      let writers = this.newestKeyWriter.get(tree);
      if (writers === undefined) {
        writers = new Map();
        this.newestKeyWriter.set(tree, writers);
      }
      for (const key of keys) writers.set(key, seq);
    }
    for (const tree of writeSet.wholeTrees) this.newestWholeTreeWriter.set(tree, seq);
  }

  /** The newest retained commit that wrote the key (or its whole tree); 0 when none is retained. */
  newestWriteOf(tree: TreeId, key: KeyString): CommitSeq {
    const keySeq = this.newestKeyWriter.get(tree)?.get(key) ?? 0;
    const treeSeq = this.newestWholeTreeWriter.get(tree) ?? 0;
    return Math.max(keySeq, treeSeq);
  }

  /** Retained commits newer than `seq`, oldest first. */
  *commitsAfter(seq: CommitSeq): Generator<CommittedWrites> {
    let low = 0;
    let high = this.commits.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.commits[middle]!.seq <= seq) low = middle + 1;
      else high = middle;
    }
    for (let index = low; index < this.commits.length; index++) yield this.commits[index]!;
  }

  /** Forgets commits at or below `horizon`: no live or future snapshot is older than them. */
  prune(horizon: CommitSeq): void {
    let dropCount = 0;
    while (dropCount < this.commits.length && this.commits[dropCount]!.seq <= horizon) dropCount++;
    if (dropCount === 0) return;
    for (const { seq, writeSet } of this.commits.splice(0, dropCount)) {
      for (const [tree, keys] of writeSet.keys) {
        const writers = this.newestKeyWriter.get(tree);
        if (writers === undefined) continue;
        for (const key of keys) if (writers.get(key) === seq) writers.delete(key);
        if (writers.size === 0) this.newestKeyWriter.delete(tree);
      }
      for (const tree of writeSet.wholeTrees) {
        if (this.newestWholeTreeWriter.get(tree) === seq) this.newestWholeTreeWriter.delete(tree);
      }
    }
  }
}
