// Window functions over one sorted partition: ranking (row_number, rank, dense_rank,
// percent_rank, cume_dist, ntile), offsets (lag, lead), frame values (first_value, last_value,
// nth_value) and any aggregate over the frame. Results follow PostgreSQL (windowfuncs.c).
import type { Value } from '../../types/api.js';
import { SqlError } from '../../util/errors.js';
import { FrameLocator, type FrameRows, type PeerGroups } from './frame.js';

/** One group's running aggregate state (the functions layer's AggregateAccumulator). */
export interface Accumulator {
  add(args: Value[]): void;
  result(): Value;
}

/** Evaluates an argument expression against the partition row with this index. */
export type RowExpression = (rowIndex: number) => Value;

export type WindowFunctionSpec =
  | { kind: 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist' }
  | { kind: 'ntile'; buckets: RowExpression }
  | { kind: 'lag' | 'lead'; value: RowExpression; offset?: RowExpression; defaultValue?: RowExpression }
  | { kind: 'first_value' | 'last_value'; value: RowExpression }
  | { kind: 'nth_value'; value: RowExpression; position: RowExpression }
  | {
      kind: 'aggregate';
      create: () => Accumulator;
      args: (rowIndex: number) => Value[];
      /** Rows with a NULL argument are skipped (strict transition function). */
      strict: boolean;
      /** FILTER (WHERE …). */
      filter?: (rowIndex: number) => boolean;
      /**
       * result() may be called again after more add()s (true of PostgreSQL's aggregates whose final
       * function doesn't modify the state): running frames then cost O(n) instead of O(n²).
       */
      repeatableResult?: boolean;
    };

const asNumber = (value: Value): number => (typeof value === 'bigint' ? Number(value) : (value as number));

/** The value of `spec` for every row of the partition, in partition order. */
export function evaluateWindowFunction(spec: WindowFunctionSpec, peers: PeerGroups, frames: FrameLocator): Value[] {
  const rowCount = peers.rowCount;
  const out: Value[] = new Array(rowCount);
  switch (spec.kind) {
    case 'row_number':
      for (let row = 0; row < rowCount; row++) out[row] = BigInt(row + 1);
      return out;
    case 'rank':
      for (let row = 0; row < rowCount; row++) out[row] = BigInt(peers.groupStart[peers.groupOf[row]!]! + 1);
      return out;
    case 'dense_rank':
      for (let row = 0; row < rowCount; row++) out[row] = BigInt(peers.groupOf[row]! + 1);
      return out;
    case 'percent_rank':
      for (let row = 0; row < rowCount; row++) out[row] = rowCount <= 1 ? 0 : peers.groupStart[peers.groupOf[row]!]! / (rowCount - 1);
      return out;
    case 'cume_dist':
      for (let row = 0; row < rowCount; row++) out[row] = peers.groupStart[peers.groupOf[row]! + 1]! / rowCount;
      return out;
    case 'ntile':
      return ntile(spec.buckets, rowCount, out);
    case 'lag':
    case 'lead':
      for (let row = 0; row < rowCount; row++) {
        const offsetValue = spec.offset ? spec.offset(row) : 1;
        if (offsetValue === null) {
          out[row] = null;
          continue;
        }
        const target = row + (spec.kind === 'lag' ? -1 : 1) * asNumber(offsetValue);
        out[row] = target >= 0 && target < rowCount ? spec.value(target) : spec.defaultValue ? spec.defaultValue(row) : null;
      }
      return out;
    case 'first_value':
    case 'last_value':
      for (let row = 0; row < rowCount; row++) {
        const frame = frames.locate(row);
        const index = spec.kind === 'first_value' ? frames.frameRowAt(row, frame, 0) : lastFrameRow(frames, row, frame);
        out[row] = index === undefined ? null : spec.value(index);
      }
      return out;
    case 'nth_value':
      for (let row = 0; row < rowCount; row++) {
        const position = spec.position(row);
        if (position === null) {
          out[row] = null;
          continue;
        }
        if (asNumber(position) <= 0) throw new SqlError('22016', 'argument of nth_value must be greater than zero');
        const index = frames.frameRowAt(row, frames.locate(row), asNumber(position) - 1);
        out[row] = index === undefined ? null : spec.value(index);
      }
      return out;
    case 'aggregate':
      return aggregateOverFrames(spec, peers, frames, out);
  }
}

function lastFrameRow(frames: FrameLocator, row: number, frame: FrameRows): number | undefined {
  let last: number | undefined;
  frames.forEachFrameRow(row, frame, (index) => (last = index));
  return last;
}

/** ntile(n): n buckets as equal as possible, the first (rows % n) one row larger. */
function ntile(buckets: RowExpression, rowCount: number, out: Value[]): Value[] {
  if (rowCount === 0) return out;
  // PostgreSQL reads the bucket count on the partition's first row.
  const requested = buckets(0);
  if (requested === null) {
    out.fill(null);
    return out;
  }
  const bucketCount = asNumber(requested);
  if (bucketCount <= 0) throw new SqlError('22014', 'argument of ntile must be greater than zero');
  const perBucket = Math.floor(rowCount / bucketCount);
  const larger = rowCount % bucketCount;
  let row = 0;
  for (let bucket = 1; row < rowCount; bucket++) {
    const size = perBucket + (bucket <= larger ? 1 : 0);
    for (let i = 0; i < size && row < rowCount; i++) out[row++] = bucket;
  }
  return out;
}

function aggregateOverFrames(spec: Extract<WindowFunctionSpec, { kind: 'aggregate' }>, peers: PeerGroups, frames: FrameLocator, out: Value[]): Value[] {
  const include = (index: number) => {
    if (spec.filter && !spec.filter(index)) return;
    const args = spec.args(index);
    if (spec.strict && args.some((arg) => arg === null)) return;
    accumulator.add(args);
  };
  let accumulator = spec.create();
  // Running frames (start fixed at the partition start, no exclusion): grow one accumulator.
  if (spec.repeatableResult && frames.startsAtPartitionStart && frames.exclusion === 'noOthers') {
    let added = 0;
    for (let row = 0; row < peers.rowCount; row++) {
      const frame = frames.locate(row);
      if (frame.end < added) {
        accumulator = spec.create();
        added = 0;
      }
      while (added < frame.end) include(added++);
      out[row] = accumulator.result();
    }
    return out;
  }
  // Otherwise one accumulator per distinct frame; rows with the same frame share the result.
  let previous: FrameRows | undefined;
  let previousRow = -1;
  for (let row = 0; row < peers.rowCount; row++) {
    const frame = frames.locate(row);
    const sameAsPrevious =
      previous !== undefined &&
      frames.exclusion !== 'currentRow' &&
      frames.exclusion !== 'ties' &&
      previous.start === frame.start &&
      previous.end === frame.end &&
      (frames.exclusion === 'noOthers' || (previous.excludeStart === frame.excludeStart && previous.excludeEnd === frame.excludeEnd));
    if (sameAsPrevious) {
      out[row] = out[previousRow];
    } else {
      accumulator = spec.create();
      frames.forEachFrameRow(row, frame, include);
      out[row] = accumulator.result();
    }
    previous = frame;
    previousRow = row;
  }
  return out;
}
