// A bounded page cache with CLOCK replacement: a hit costs one Map lookup and a flag store, no
// reordering. Dirty pages (written since the last checkpoint and not yet on disk) are handed to
// `onEvictDirty` before they leave, so data larger than the cache works.
import { assert } from '../util/assert.js';

interface Slot {
  id: number;
  page: Buffer;
  referenced: boolean;
  dirty: boolean;
  position: number;
}

export class PageCache {
  private readonly slots = new Map<number, Slot>();
  private readonly ring: (Slot | undefined)[] = [];
  private readonly holes: number[] = [];
  private hand = 0;
  hits = 0;
  misses = 0;
  evictions = 0;
  /** Pages for which this returns true are skipped by eviction (pages of the commit in progress). */
  keep: (page: Buffer) => boolean = () => false;

  constructor(
    readonly capacityPages: number,
    private readonly onEvictDirty: (id: number, page: Buffer) => void,
  ) {
    assert(capacityPages >= 8, 'page cache must hold at least 8 pages');
  }

  get size(): number {
    return this.slots.size;
  }
  get(id: number): Buffer | undefined {
    const slot = this.slots.get(id);
    if (slot === undefined) return undefined;
    slot.referenced = true;
    return slot.page;
  }
  isDirty(id: number): boolean {
    return this.slots.get(id)?.dirty ?? false;
  }
  /** Inserts or replaces a page. */
  put(id: number, page: Buffer, dirty: boolean): void {
    const existing = this.slots.get(id);
    if (existing) {
      existing.page = page;
      existing.dirty = existing.dirty || dirty;
      existing.referenced = true;
      return;
    }
    if (this.slots.size >= this.capacityPages) this.evictOne();
    const hole = this.holes.pop();
    const slot: Slot = { id, page, referenced: true, dirty, position: hole ?? this.ring.length };
    this.slots.set(id, slot);
    this.ring[slot.position] = slot;
  }
  markClean(id: number, page: Buffer): void {
    const slot = this.slots.get(id);
    if (slot && slot.page === page) slot.dirty = false;
  }
  remove(id: number): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    this.slots.delete(id);
    this.ring[slot.position] = undefined;
    this.holes.push(slot.position);
  }
  /** Evicts down to the bound (after a commit that had to keep more pages than fit). */
  trim(): void {
    let attempts = this.slots.size;
    while (this.slots.size > this.capacityPages && attempts-- > 0) this.evictOne();
  }
  private evictOne(): void {
    const length = this.ring.length;
    // Two full sweeps clear every reference bit; beyond that everything left is kept on purpose.
    for (let step = 0; step < 3 * length; step++) {
      if (this.hand >= length) this.hand = 0;
      const position = this.hand++;
      const slot = this.ring[position];
      if (slot === undefined) continue;
      if (slot.referenced) {
        slot.referenced = false;
        continue;
      }
      if (this.keep(slot.page)) continue;
      if (slot.dirty) this.onEvictDirty(slot.id, slot.page);
      this.slots.delete(slot.id);
      this.ring[position] = undefined;
      this.holes.push(position);
      this.evictions++;
      return;
    }
    // Everything is in use by the commit in progress: grow past the bound for now.
  }
  *dirtyPages(): Generator<[number, Buffer]> {
    for (const slot of this.slots.values()) if (slot.dirty) yield [slot.id, slot.page];
  }
}
