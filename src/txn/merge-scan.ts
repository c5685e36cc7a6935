// A transaction's scan: the snapshot's cursor merged in key order with the transaction's own
// buffered writes (a buffered write replaces the snapshot's row of the same key; a tombstone
// hides it), in either direction, within inclusive/exclusive bounds, up to a limit.
import type { Cursor } from '../engine/api.js';
import type { RowIterator } from './api.js';
import type { BufferedWrite, TreeBuffer } from './write-buffer.js';
import { aboveLower, belowUpper, copyBytes, keyString, type KeyString, type StringRange } from './keys.js';

/** Told what a scan covered, once, when it ends (exhausted, closed, limited or abandoned). */
export type ScanCoverageListener = (covered: StringRange | undefined) => void;

export class MergeScan implements RowIterator {
  private baseKey: KeyString | undefined;
  private baseKeyBytes: Uint8Array | undefined;
  private baseValue: Uint8Array | undefined;
  /** The last buffered key consumed (or skipped); undefined before the first. */
  private lastBufferKey: KeyString | undefined;
  private bufferExhausted = false;
  /** The next visible buffered write in scan order; null when not fetched yet. */
  private nextWrite: BufferedWrite | undefined | null = null;
  private returned = 0;
  private lastReturned: KeyString | undefined;
  private finished = false;

  constructor(
    private readonly base: Cursor | undefined,
    private readonly buffered: TreeBuffer | undefined,
    /** The scan sees buffered writes numbered up to this (those made before it started). */
    private readonly visibleThrough: number,
    private readonly range: StringRange,
    private readonly reverse: boolean,
    private readonly limit: number,
    private readonly onEnd: ScanCoverageListener,
  ) {
    this.advanceBase();
  }

  next(): { key: Uint8Array; value: Uint8Array } | undefined {
    if (this.finished) return undefined;
    if (this.returned >= this.limit) {
      this.end(false);
      return undefined;
    }
    for (;;) {
      const write = this.currentBuffered();
      if (write === undefined && this.baseKey === undefined) {
        this.end(true);
        return undefined;
      }
      let row: { key: Uint8Array; value: Uint8Array } | undefined;
      let key: KeyString;
      const order = write === undefined ? 1 : this.baseKey === undefined ? -1 : this.compareInScanOrder(write.key, this.baseKey);
      if (order <= 0) {
        // The buffered write comes first, or replaces the snapshot's row of the same key.
        key = write!.key;
        this.nextWrite = null;
        if (order === 0) this.advanceBase();
        if (write!.value !== undefined) row = { key: copyBytes(write!.keyBytes), value: copyBytes(write!.value) };
      } else {
        key = this.baseKey!;
        row = { key: this.baseKeyBytes!, value: this.baseValue! };
        this.advanceBase();
      }
      if (row === undefined) continue;
      this.returned++;
      this.lastReturned = key;
      return row;
    }
  }

  close(): void {
    this.end(false);
  }

  /** Ends the scan: `exhausted` means the whole range was read, else only up to the last row returned. */
  private end(exhausted: boolean): void {
    if (this.finished) return;
    this.finished = true;
    this.base?.close();
    if (exhausted) this.onEnd(this.range);
    else if (this.lastReturned === undefined) this.onEnd(undefined);
    else if (this.reverse) {
      this.onEnd({ lower: this.lastReturned, lowerInclusive: true, upper: this.range.upper, upperInclusive: this.range.upperInclusive });
    } else {
      this.onEnd({ lower: this.range.lower, lowerInclusive: this.range.lowerInclusive, upper: this.lastReturned, upperInclusive: true });
    }
  }

  private compareInScanOrder(a: KeyString, b: KeyString): number {
    const order = a < b ? -1 : a > b ? 1 : 0;
    return this.reverse ? -order : order;
  }

  private currentBuffered(): BufferedWrite | undefined {
    if (this.nextWrite !== null) return this.nextWrite;
    const buffer = this.buffered;
    while (buffer !== undefined && !this.bufferExhausted) {
      const last = this.lastBufferKey;
      const key = this.reverse
        ? buffer.keys.predecessor(last ?? this.range.upper, last === undefined ? this.range.upperInclusive : false)
        : buffer.keys.successor(last ?? this.range.lower, last === undefined ? this.range.lowerInclusive : false);
      if (key === undefined || !(this.reverse ? aboveLower(key, this.range) : belowUpper(key, this.range))) break;
      this.lastBufferKey = key;
      const write = buffer.visible(key, this.visibleThrough);
      if (write !== undefined) {
        this.nextWrite = write;
        return write;
      }
    }
    this.bufferExhausted = true;
    this.nextWrite = undefined;
    return undefined;
  }

  private advanceBase(): void {
    if (this.base !== undefined && this.base.next()) {
      this.baseKeyBytes = copyBytes(this.base.key);
      this.baseKey = keyString(this.baseKeyBytes);
      this.baseValue = copyBytes(this.base.value);
    } else {
      this.baseKey = undefined;
      this.baseKeyBytes = undefined;
      this.baseValue = undefined;
    }
  }
}
