// Window frames (ROWS / RANGE / GROUPS, with EXCLUDE) over one sorted partition, as PostgreSQL
// defines them (docs "Window Function Calls"; nodeWindowAgg.c): the frame of each row is a
// contiguous range of the partition, minus the rows its EXCLUDE clause removes.
import type { Value } from '../../types/api.js';
import { SqlError, SqlState } from '../../util/errors.js';

export type FrameMode = 'rows' | 'range' | 'groups';

export type FrameBound =
  | { kind: 'unboundedPreceding' }
  | { kind: 'preceding'; offset: Value }
  | { kind: 'currentRow' }
  | { kind: 'following'; offset: Value }
  | { kind: 'unboundedFollowing' };

export type FrameExclusion = 'noOthers' | 'currentRow' | 'group' | 'ties';

export interface FrameSpec {
  readonly mode: FrameMode;
  readonly start: FrameBound;
  readonly end: FrameBound;
  readonly exclude: FrameExclusion;
}

/** The frame when the window has no frame clause: RANGE UNBOUNDED PRECEDING (to the current row's last peer). */
export const defaultFrame: FrameSpec = {
  mode: 'range',
  start: { kind: 'unboundedPreceding' },
  end: { kind: 'currentRow' },
  exclude: 'noOthers',
};

/**
 * PostgreSQL's in_range support function for RANGE offsets: is `value` ≤ (less) or ≥ (!less)
 * `base ± offset` (subtract chooses −)? Types whose sum overflows treat the bound as infinite.
 */
export type InRange = (value: Value, base: Value, offset: Value, subtract: boolean, less: boolean) => boolean;

/** What RANGE with an offset needs: the single ORDER BY key and its direction. */
export interface RangeKey {
  readonly key: (rowIndex: number) => Value;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
  readonly inRange: InRange;
}

/** Peer structure of a sorted partition: rows equal on every ORDER BY key form a peer group. */
export interface PeerGroups {
  readonly rowCount: number;
  /** Per row: index of its peer group (0-based). */
  readonly groupOf: Int32Array;
  /** Per group: first row index; groupStart[groupCount] = rowCount. */
  readonly groupStart: Int32Array;
  readonly groupCount: number;
}

/** `samePeers(i, i - 1)` tells whether adjacent rows tie on the ORDER BY keys (always true without ORDER BY). */
export function peerGroups(rowCount: number, samePeers: (row: number, previous: number) => boolean): PeerGroups {
  const groupOf = new Int32Array(rowCount);
  const starts: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    if (row === 0 || !samePeers(row, row - 1)) starts.push(row);
    groupOf[row] = starts.length - 1;
  }
  starts.push(rowCount);
  return { rowCount, groupOf, groupStart: Int32Array.from(starts), groupCount: starts.length - 1 };
}

/** A frame as a row range [start, end) plus the excluded range [excludeStart, excludeEnd) inside it. */
export interface FrameRows {
  start: number;
  end: number;
  excludeStart: number;
  excludeEnd: number;
}

function offsetNumber(offset: Value, mode: FrameMode): number {
  if (offset === null || offset === undefined) {
    throw new SqlError('22004', `frame ${mode === 'rows' ? 'starting or ending' : 'offset'} offset must not be null`);
  }
  const size = typeof offset === 'bigint' ? Number(offset) : Number(offset);
  if (size < 0) throw new SqlError('22013', 'frame starting offset must not be negative');
  return size;
}

/** Checks a RANGE offset once per partition: NULL and negative sizes are errors, as in PostgreSQL. */
function checkRangeOffset(offset: Value, isNegative: (offset: Value) => boolean): void {
  if (offset === null || offset === undefined) throw new SqlError('22004', 'frame starting offset must not be null');
  if (isNegative(offset)) throw new SqlError('22013', 'invalid preceding or following size in window function');
}

export class FrameLocator {
  private readonly peers: PeerGroups;
  private readonly spec: FrameSpec;
  private readonly rangeKey: RangeKey | undefined;

  constructor(peers: PeerGroups, spec: FrameSpec, rangeKey?: RangeKey, offsetIsNegative: (offset: Value) => boolean = (o) => Number(o) < 0) {
    this.peers = peers;
    this.spec = spec;
    this.rangeKey = rangeKey;
    for (const bound of [spec.start, spec.end]) {
      if (bound.kind !== 'preceding' && bound.kind !== 'following') continue;
      if (spec.mode === 'range') {
        if (!rangeKey) throw new SqlError(SqlState.windowingError, 'RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column');
        checkRangeOffset(bound.offset, offsetIsNegative);
      } else {
        offsetNumber(bound.offset, spec.mode);
      }
    }
  }

  /** True when every row's frame starts at the partition's first row (running aggregates can grow). */
  get startsAtPartitionStart(): boolean {
    return this.spec.start.kind === 'unboundedPreceding';
  }

  get exclusion(): FrameExclusion {
    return this.spec.exclude;
  }

  /** The frame of `row`. */
  locate(row: number): FrameRows {
    const start = this.boundIndex(row, this.spec.start, true);
    const end = Math.max(start, this.boundIndex(row, this.spec.end, false));
    let excludeStart = row;
    let excludeEnd = row;
    const group = this.peers.groupOf[row]!;
    switch (this.spec.exclude) {
      case 'noOthers':
        break;
      case 'currentRow':
        excludeEnd = row + 1;
        break;
      case 'group':
        excludeStart = this.peers.groupStart[group]!;
        excludeEnd = this.peers.groupStart[group + 1]!;
        break;
      case 'ties':
        // Handled by callers as "the group minus the current row" (two ranges); see forEachFrameRow.
        excludeStart = this.peers.groupStart[group]!;
        excludeEnd = this.peers.groupStart[group + 1]!;
        break;
    }
    return { start, end, excludeStart, excludeEnd };
  }

  /** Calls visit for each row of the frame of `row`, in partition order, skipping excluded rows. */
  forEachFrameRow(row: number, frame: FrameRows, visit: (index: number) => void): void {
    const ties = this.spec.exclude === 'ties';
    for (let index = frame.start; index < frame.end; index++) {
      if (index >= frame.excludeStart && index < frame.excludeEnd && !(ties && index === row)) continue;
      visit(index);
    }
  }

  /** Rows of the frame of `row`, in order, excluded rows removed (for first/last/nth_value). */
  frameRowAt(row: number, frame: FrameRows, position: number): number | undefined {
    let seen = 0;
    let found: number | undefined;
    this.forEachFrameRow(row, frame, (index) => {
      if (found === undefined && seen++ === position) found = index;
    });
    return found;
  }

  frameRowCount(row: number, frame: FrameRows): number {
    let count = 0;
    this.forEachFrameRow(row, frame, () => count++);
    return count;
  }

  /** The first row index included by a start bound, or one past the last included by an end bound. */
  private boundIndex(row: number, bound: FrameBound, isStart: boolean): number {
    const { peers } = this;
    const group = peers.groupOf[row]!;
    switch (bound.kind) {
      case 'unboundedPreceding':
        return 0;
      case 'unboundedFollowing':
        return peers.rowCount;
      case 'currentRow':
        if (this.spec.mode === 'rows') return isStart ? row : row + 1;
        return isStart ? peers.groupStart[group]! : peers.groupStart[group + 1]!;
      case 'preceding':
      case 'following': {
        const sign = bound.kind === 'preceding' ? -1 : 1;
        if (this.spec.mode === 'rows') {
          const target = row + sign * offsetNumber(bound.offset, 'rows');
          return clamp(isStart ? target : target + 1, 0, peers.rowCount);
        }
        if (this.spec.mode === 'groups') {
          const targetGroup = group + sign * offsetNumber(bound.offset, 'groups');
          const clamped = clamp(isStart ? targetGroup : targetGroup + 1, 0, peers.groupCount);
          return peers.groupStart[clamped]!;
        }
        return this.rangeBound(row, bound.offset, bound.kind === 'preceding', isStart);
      }
    }
  }

  /**
   * RANGE offset bound: for ascending order the frame starts at the first row whose key is
   * ≥ key − offset (PRECEDING) or ≥ key + offset (FOLLOWING); descending flips the arithmetic.
   * A NULL current key frames exactly its NULL peers; NULL rows never join a non-NULL frame.
   */
  private rangeBound(row: number, offset: Value, preceding: boolean, isStart: boolean): number {
    const { key, descending, nullsFirst, inRange } = this.rangeKey!;
    const { peers } = this;
    const base = key(row);
    const group = peers.groupOf[row]!;
    if (base === null || base === undefined) {
      return isStart ? peers.groupStart[group]! : peers.groupStart[group + 1]!;
    }
    // Subtract when moving toward the start of an ascending order (PRECEDING) or toward the end
    // of a descending one (FOLLOWING).
    const subtract = preceding !== descending;
    const isNull = (index: number) => {
      const value = key(index);
      return value === null || value === undefined;
    };
    // Rows are sorted, so "is inside the bound" is monotone over the non-null rows: binary search.
    let low = 0;
    let high = peers.rowCount;
    if (nullsFirst) {
      while (low < high && isNull(low)) low++;
    } else {
      while (high > low && isNull(high - 1)) high--;
    }
    if (isStart) {
      // First row whose key is on the far side of base ± offset: ascending → value ≥ bound.
      const insideStart = (index: number) => inRange(key(index), base, offset, subtract, descending);
      let left = low;
      let right = high;
      while (left < right) {
        const middle = (left + right) >>> 1;
        if (insideStart(middle)) right = middle;
        else left = middle + 1;
      }
      return left;
    }
    // One past the last row whose key is within base ± offset: ascending → value ≤ bound.
    const insideEnd = (index: number) => inRange(key(index), base, offset, subtract, !descending);
    let left = low;
    let right = high;
    while (left < right) {
      const middle = (left + right) >>> 1;
      if (insideEnd(middle)) left = middle + 1;
      else right = middle;
    }
    return left;
  }
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
