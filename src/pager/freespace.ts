// Which pages may be allocated. A page freed by commit F that was born in commit B is reachable
// from every state with seq in [B, F): it becomes reusable only when F is durable and no pinned
// state (open view, retained snapshot, the on-disk checkpoint) lies in that interval (ZFS's
// birth-time rule). Until then it waits on the deferred list (the "deadlist").
import { assert } from '../util/assert.js';

export const firstDataPage = 2;

export interface DeferredPage {
  id: number;
  birth: number;
  freedAt: number;
}

export class FreeSpace {
  private free: Uint8Array;
  freeCount = 0;
  private searchFrom = firstDataPage;
  deferred: DeferredPage[] = [];
  /** Pages whose state changed since the last checkpoint took them (for the space map's delta). */
  changed = new Set<number>();

  constructor(public pageCount: number) {
    assert(pageCount >= firstDataPage, 'page count below the meta pages');
    this.free = new Uint8Array(Math.max(1024, pageCount * 2));
  }

  isFree(id: number): boolean {
    return this.free[id] === 1;
  }
  /** Lowest free page first, so the tail of the file empties and can be truncated. */
  allocate(): number {
    while (this.freeCount > 0 && this.searchFrom < this.pageCount) {
      const id = this.searchFrom++;
      if (this.free[id] === 1) {
        this.free[id] = 0;
        this.freeCount--;
        this.changed.add(id);
        return id;
      }
    }
    const id = this.pageCount++;
    if (id >= this.free.length) {
      const grown = new Uint8Array(this.free.length * 2);
      grown.set(this.free);
      this.free = grown;
    }
    this.changed.add(id);
    return id;
  }
  release(id: number): void {
    assert(id >= firstDataPage && id < this.pageCount, `release of page ${id} outside the file`);
    assert(this.free[id] === 0, `double free of page ${id}`);
    this.free[id] = 1;
    this.freeCount++;
    this.changed.add(id);
    if (id < this.searchFrom) this.searchFrom = id;
  }
  defer(id: number, birth: number, freedAt: number): void {
    this.deferred.push({ id, birth, freedAt });
    this.changed.add(id);
  }
  /** Takes the set of changed pages, starting a new one. */
  takeChanged(): Set<number> {
    const changed = this.changed;
    this.changed = new Set();
    return changed;
  }
  /** Releases every deferred page nothing can reach any more; returns them. */
  sweep(durableSeq: number, pinned: (birth: number, freedAt: number, id: number) => boolean): number[] {
    const released: number[] = [];
    const kept: DeferredPage[] = [];
    for (const entry of this.deferred) {
      if (entry.freedAt <= durableSeq && !pinned(entry.birth, entry.freedAt, entry.id)) {
        this.release(entry.id);
        released.push(entry.id);
      } else kept.push(entry);
    }
    this.deferred = kept;
    return released;
  }
  /** Drops free pages at the end of the file; returns the new page count. */
  trimTail(): number {
    while (this.pageCount > firstDataPage && this.free[this.pageCount - 1] === 1) {
      this.free[--this.pageCount] = 0;
      this.freeCount--;
    }
    if (this.searchFrom > this.pageCount) this.searchFrom = this.pageCount;
    return this.pageCount;
  }
  *freePages(): Generator<number> {
    for (let id = firstDataPage; id < this.pageCount; id++) if (this.free[id] === 1) yield id;
  }
}
