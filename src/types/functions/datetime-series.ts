// generate_series over timestamps with an interval step, and avg(interval); both reuse the
// types layer's calendar arithmetic (src/types/datetime-arithmetic.ts).
import { SqlState } from '../../util/errors.js';
import type { FormatSettings } from '../api.js';
import { addIntervalLocal, addIntervalTz, addIntervals, scaleInterval } from '../datetime-arithmetic.js';
import { intervalSpan, type Interval } from '../interval.js';
import { accumulator, defineAggregate } from './aggregates-api.js';
import { defineFunction, sqlError } from './define.js';
import { Oid } from './oids.js';

function* timestampSeries(start: bigint, stop: bigint, step: Interval, add: (t: bigint, i: Interval) => bigint): Generator<bigint> {
  const direction = intervalSpan(step);
  if (direction === 0n) throw sqlError(SqlState.invalidParameterValue, 'step size cannot equal zero');
  for (let current = start; direction > 0n ? current <= stop : current >= stop; current = add(current, step)) yield current;
}

defineFunction(
  'generate_series',
  [Oid.timestamp, Oid.timestamp, Oid.interval],
  Oid.timestamp,
  ([a, b, s]) => timestampSeries(a as bigint, b as bigint, s as Interval, addIntervalLocal),
  { returnsSet: true },
);
defineFunction(
  'generate_series',
  [Oid.timestamptz, Oid.timestamptz, Oid.interval],
  Oid.timestamptz,
  ([a, b, s], context) => timestampSeries(a as bigint, b as bigint, s as Interval, (t, i) => addIntervalTz(t, i, context.settings as FormatSettings)),
  { returnsSet: true, volatility: 'stable' },
);

/** avg(interval): interval_pl over the rows, then interval_div by the count. */
defineAggregate('avg', [Oid.interval], Oid.interval, () =>
  accumulator<{ count: number; sum: Interval }>(
    { count: 0, sum: { months: 0, days: 0, micros: 0n } },
    (state, [x]) => ({ count: state.count + 1, sum: addIntervals(state.sum, x as Interval) }),
    (state) => (state.count === 0 ? null : scaleInterval(state.sum, state.count, true)),
  ),
);
