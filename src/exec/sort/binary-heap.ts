// A binary min-heap by a comparator (the k-way merge and the top-N sort use it).
export class BinaryHeap<T> {
  private readonly items: T[] = [];
  private readonly compare: (a: T, b: T) => number;

  constructor(compare: (a: T, b: T) => number) {
    this.compare = compare;
  }

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.compare(items[index]!, items[parent]!) >= 0) break;
      [items[index], items[parent]] = [items[parent]!, items[index]!];
      index = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Replaces the top and restores the heap (cheaper than pop + push). */
  replaceTop(item: T): void {
    this.items[0] = item;
    this.siftDown(0);
  }

  /** Removes and returns every item, in no particular order. */
  drain(): T[] {
    return this.items.splice(0, this.items.length);
  }

  private siftDown(index: number): void {
    const items = this.items;
    const count = items.length;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= count) return;
      const right = left + 1;
      const child = right < count && this.compare(items[right]!, items[left]!) < 0 ? right : left;
      if (this.compare(items[child]!, items[index]!) >= 0) return;
      [items[index], items[child]] = [items[child]!, items[index]!];
      index = child;
    }
  }
}
