// Window functions: ranking, offsets, value functions and aggregates over ROWS/RANGE/GROUPS frames
// with EXCLUDE, PARTITION BY, named windows. A function whose result depends on the order among
// peers (row_number, lag, first_value, ROWS frames, …) always gets the unique id as a last ORDER BY
// key, so PostgreSQL's answer is the only right one.
import { orderByAll, randomTable, selectItem, tableItem } from './common.js';
import type { ColumnRef } from './expressions.js';
import type { QueryBody } from './query.js';
import type { Rng } from './rng.js';

interface WindowCall {
  readonly call: string;
  readonly tieSensitive: boolean;
  /** Aggregates can take a frame; ranking functions ignore one. */
  readonly framed: boolean;
}

function windowCall(rng: Rng, scope: readonly ColumnRef[]): WindowCall {
  const ints = scope.filter((c) => c.type === 'int');
  const values = scope.filter((c) => ['int', 'text', 'numeric', 'date', 'bigint'].includes(c.type));
  const numbers = scope.filter((c) => ['int', 'numeric', 'bigint'].includes(c.type));
  const value = () => rng.pick(values);
  return rng.weighted<() => WindowCall>([
    [3, () => ({ call: 'row_number()', tieSensitive: true, framed: false })],
    [3, () => ({ call: rng.pick(['rank()', 'dense_rank()']), tieSensitive: false, framed: false })],
    [2, () => ({ call: rng.pick(['percent_rank()', 'cume_dist()']), tieSensitive: false, framed: false })],
    [2, () => ({ call: `ntile(${rng.int(1, 4)})`, tieSensitive: true, framed: false })],
    [3, () => {
      const column = value();
      const withDefault = rng.chance(0.4) && column.type === 'int' ? `, ${rng.int(1, 2)}, ${rng.int(-1, 0)}` : rng.chance(0.3) ? `, ${rng.int(0, 3)}` : '';
      return { call: `${rng.pick(['lag', 'lead'])}(${column.sql}${withDefault})`, tieSensitive: true, framed: false };
    }],
    [3, () => ({ call: `${rng.pick(['first_value', 'last_value'])}(${value().sql})`, tieSensitive: true, framed: true })],
    [1, () => ({ call: `nth_value(${value().sql}, ${rng.int(1, 3)})`, tieSensitive: true, framed: true })],
    [5, () => ({ call: `${rng.pick(['sum', 'avg'])}(${rng.pick(numbers).sql})`, tieSensitive: false, framed: true })],
    [3, () => ({ call: `${rng.pick(['min', 'max'])}(${value().sql})`, tieSensitive: false, framed: true })],
    [3, () => ({ call: rng.pick(['count(*)', `count(${value().sql})`]), tieSensitive: false, framed: true })],
    [1, () => ({ call: `sum(${rng.pick(ints).sql}) FILTER (WHERE ${rng.pick(ints).sql} > 1)`, tieSensitive: false, framed: true })],
  ])();
}

function frameBound(rng: Rng, offsetLiteral: () => string, position: 'start' | 'end'): string {
  const options = position === 'start'
    ? ['UNBOUNDED PRECEDING', 'CURRENT ROW', `${offsetLiteral()} PRECEDING`, `${offsetLiteral()} PRECEDING`]
    : ['UNBOUNDED FOLLOWING', 'CURRENT ROW', `${offsetLiteral()} FOLLOWING`, `${offsetLiteral()} FOLLOWING`];
  return rng.pick(options);
}

/** A frame legal in PostgreSQL: the start never lies after the end. */
function frame(rng: Rng, mode: 'ROWS' | 'RANGE' | 'GROUPS', offsetLiteral: () => string, tieSensitive: boolean): string {
  let start = frameBound(rng, offsetLiteral, 'start');
  let end = frameBound(rng, offsetLiteral, 'end');
  if (rng.chance(0.2)) end = `${offsetLiteral()} PRECEDING`;
  if (rng.chance(0.15)) start = `${offsetLiteral()} FOLLOWING`;
  if (start.endsWith('FOLLOWING') && (end.endsWith('PRECEDING') || end === 'CURRENT ROW')) end = 'UNBOUNDED FOLLOWING';
  if (start === 'CURRENT ROW' && end.endsWith('PRECEDING')) end = 'CURRENT ROW';
  const exclude = !tieSensitive && rng.chance(0.25) ? ` EXCLUDE ${rng.pick(['CURRENT ROW', 'GROUP', 'TIES', 'NO OTHERS'])}` : '';
  if (rng.chance(0.15) && !start.endsWith('FOLLOWING')) return `${mode} ${start}${exclude}`;
  return `${mode} BETWEEN ${start} AND ${end}${exclude}`;
}

/** RANGE frames that need no distance arithmetic, legal with any number of ORDER BY keys. */
function rangeWithoutOffsets(rng: Rng, tieSensitive: boolean): string {
  const frameText = rng.pick([
    'RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW',
    'RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING',
    'RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING',
    'RANGE UNBOUNDED PRECEDING',
    'RANGE CURRENT ROW',
    'RANGE BETWEEN CURRENT ROW AND CURRENT ROW',
  ]);
  return !tieSensitive && rng.chance(0.25) ? `${frameText} EXCLUDE ${rng.pick(['CURRENT ROW', 'GROUP', 'TIES'])}` : frameText;
}

export function generateWindow(rng: Rng): QueryBody {
  const item = tableItem(randomTable(rng), 't');
  const scope = item.scope;
  const id = `${item.alias}.id`;
  const partitionable = scope.filter((c) => !c.sql.endsWith('.id') && ['int', 'text', 'bool', 'date'].includes(c.type));
  const orderable = scope.filter((c) => ['int', 'text', 'numeric', 'date', 'bigint'].includes(c.type) && !c.sql.endsWith('.id'));
  const windowCount = rng.int(1, 3);
  const calls: string[] = [];
  const namedWindows: string[] = [];
  for (let index = 0; index < windowCount; index++) {
    const fn = windowCall(rng, scope);
    const partition = rng.chance(0.6) ? `PARTITION BY ${rng.sample(partitionable, rng.int(1, 2)).map((c) => c.sql).join(', ')}` : '';
    const orderColumn = rng.pick(orderable);
    const direction = rng.pick(['', ' DESC', ' NULLS FIRST', ' DESC NULLS LAST']);
    let order = rng.chance(fn.tieSensitive ? 1 : 0.8) ? `ORDER BY ${orderColumn.sql}${direction}` : '';
    let frameClause = '';
    if (fn.framed && order && rng.chance(0.7)) {
      const mode = fn.tieSensitive ? rng.pick(['ROWS', 'GROUPS', 'RANGE'] as const) : rng.pick(['ROWS', 'RANGE', 'GROUPS', 'RANGE'] as const);
      if (mode === 'RANGE' && !fn.tieSensitive && ['int', 'numeric', 'date', 'bigint'].includes(orderColumn.type) && rng.chance(0.7)) {
        // RANGE with offsets needs exactly one ORDER BY key of a type with distance arithmetic.
        const offset = orderColumn.type === 'date' ? () => `interval '${rng.pick([1, 10, 30, 90])} days'` : orderColumn.type === 'numeric' ? () => rng.pick(['10', '2.5', '100']) : () => String(rng.int(0, 3));
        frameClause = frame(rng, 'RANGE', offset, false);
      } else {
        if (fn.tieSensitive || mode === 'ROWS') order += `, ${id}`;
        const unbounded = () => String(rng.int(0, 2));
        frameClause = mode === 'RANGE' ? rangeWithoutOffsets(rng, fn.tieSensitive) : frame(rng, mode, unbounded, fn.tieSensitive);
      }
    } else if (fn.tieSensitive) {
      order += `, ${id}`;
    }
    const spec = [partition, order, frameClause].filter(Boolean).join(' ');
    if (rng.chance(0.2) && !frameClause) {
      const name = `w${index}`;
      namedWindows.push(`${name} AS (${spec})`);
      calls.push(`${fn.call} OVER ${name}`);
    } else {
      calls.push(`${fn.call} OVER (${spec})`);
    }
  }
  const items = [id, ...rng.sample(scope.filter((c) => c !== scope[0]), rng.int(0, 2)).map((c) => c.sql), ...calls].map((e, i) => selectItem(rng, e, i + 1));
  const where = rng.chance(0.3) ? ` WHERE ${rng.pick(scope.filter((c) => c.type === 'int')).sql} IS NOT NULL` : '';
  const windowClause = namedWindows.length > 0 ? ` WINDOW ${namedWindows.join(', ')}` : '';
  return { sql: `SELECT ${items.join(', ')} FROM ${item.sql}${where}${windowClause} ${orderByAll(items.length)}`, ordered: true };
}

/** A window over an aggregated query: ranks of group sums and running totals by group key. */
export function generateWindowOverAggregate(rng: Rng): QueryBody {
  const item = tableItem(randomTable(rng), 't');
  const key = rng.pick(item.scope.filter((c) => !c.sql.endsWith('.id') && c.type === 'int')).sql;
  const value = rng.pick(item.scope.filter((c) => c.type === 'int' || c.type === 'numeric')).sql;
  const window = rng.pick([
    `rank() OVER (ORDER BY sum(${value}) DESC NULLS LAST)`,
    `sum(count(*)) OVER (ORDER BY ${key} NULLS FIRST)`,
    `dense_rank() OVER (ORDER BY count(*))`,
    `avg(max(${value})) OVER ()`,
  ]);
  return { sql: `SELECT ${key}, count(*), ${window} FROM ${item.sql} GROUP BY ${key} ORDER BY 1, 2, 3`, ordered: true };
}
