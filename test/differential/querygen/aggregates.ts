// Aggregation: GROUP BY (columns, expressions, ordinals), HAVING, FILTER, DISTINCT and ORDER BY
// inside aggregates, ordered-set aggregates, and GROUPING SETS / ROLLUP / CUBE.
import { expressions, orderByAll, randomTable, selectItem, tableItem, type FromItem } from './common.js';
import type { ColumnRef, Scope } from './expressions.js';
import type { QueryBody } from './query.js';
import type { Rng } from './rng.js';
import { tableNamed } from './schema.js';

function columnsOfType(scope: Scope, ...types: string[]): ColumnRef[] {
  return scope.filter((column) => types.includes(column.type));
}

/** One aggregate call over the scope; every order-sensitive aggregate orders by its own argument. */
export function aggregateCall(rng: Rng, scope: Scope): string {
  const generator = expressions(rng, scope);
  const numeric = columnsOfType(scope, 'int', 'numeric', 'bigint');
  const any = columnsOfType(scope, 'int', 'numeric', 'bigint', 'text', 'date');
  const text = columnsOfType(scope, 'text');
  const bool = columnsOfType(scope, 'bool');
  const ints = columnsOfType(scope, 'int');
  const numberArg = () => (rng.chance(0.7) && numeric.length > 0 ? rng.pick(numeric).sql : generator.expr(rng.pick(['int', 'numeric'])));
  const options: Array<readonly [number, () => string]> = [
    [3, () => 'count(*)'],
    [3, () => `count(${rng.pick(any).sql})`],
    [2, () => `count(DISTINCT ${rng.pick(any).sql})`],
    [3, () => `sum(${numberArg()})`],
    [3, () => `avg(${numberArg()})`],
    [2, () => `min(${rng.pick(any).sql})`],
    [2, () => `max(${rng.pick(any).sql})`],
    [1, () => `stddev(${numberArg()})`],
    [1, () => `variance(${numberArg()})`],
    [1, () => `${rng.pick(['stddev_pop', 'var_pop', 'stddev_samp', 'var_samp'])}(${numberArg()})`],
    [1, () => `sum(DISTINCT ${numberArg()})`],
  ];
  if (text.length > 0) {
    options.push(
      [2, () => { const c = rng.pick(text).sql; return `string_agg(${c}, ${rng.pick(["','", "' | '", "''"])} ORDER BY ${c}${rng.pick(['', ' DESC', ' NULLS FIRST'])})`; }],
      [1, () => { const c = rng.pick(text).sql; return `string_agg(DISTINCT ${c}, ',' ORDER BY ${c})`; }],
      [1, () => `percentile_disc(${rng.pick(['0.5', '0.25', '1'])}) WITHIN GROUP (ORDER BY ${rng.pick(text).sql})`],
      [1, () => `mode() WITHIN GROUP (ORDER BY ${rng.pick(text).sql})`],
    );
  }
  if (bool.length > 0) options.push([2, () => `${rng.pick(['bool_and', 'bool_or', 'every'])}(${rng.pick(bool).sql})`]);
  if (ints.length > 0) {
    options.push(
      [2, () => { const c = rng.pick(ints).sql; return `array_agg(${c} ORDER BY ${c}${rng.pick(['', ' DESC NULLS LAST', ' NULLS FIRST'])})`; }],
      [1, () => `percentile_cont(${rng.pick(['0.5', '0.25', '0.75', '0'])}) WITHIN GROUP (ORDER BY ${rng.pick(ints).sql})`],
      [1, () => `percentile_disc(0.5) WITHIN GROUP (ORDER BY ${rng.pick(ints).sql} DESC)`],
      [1, () => `${rng.pick(['bit_and', 'bit_or'])}(${rng.pick(ints).sql})`],
      [1, () => { const c = rng.pick(ints).sql; return `jsonb_agg(${c} ORDER BY ${c})`; }],
    );
  }
  let call = rng.weighted(options)();
  if (rng.chance(0.25) && !call.includes('WITHIN GROUP')) call += ` FILTER (WHERE ${generator.predicate()})`;
  return call;
}

function sourceFor(rng: Rng): FromItem {
  if (rng.chance(0.75)) return tableItem(randomTable(rng), 't');
  const left = tableItem(tableNamed('t1'), 'p');
  const right = tableItem(tableNamed('t2'), 'q');
  return { sql: `${left.sql} ${rng.pick(['JOIN', 'LEFT JOIN'])} ${right.sql} ON p.a = q.a`, alias: 'p', scope: [...left.scope, ...right.scope] };
}

function groupKey(rng: Rng, scope: Scope): string {
  const candidates = scope.filter((column) => !column.sql.endsWith('.id') && column.type !== 'numeric');
  if (rng.chance(0.25)) {
    const generator = expressions(rng, candidates);
    const key = generator.expr(rng.pick(['int', 'text']), 1);
    // A constant can't be a grouping key (a bare integer is an ordinal; PostgreSQL rejects others).
    if (/\b[a-z]\.[a-z]/.test(key)) return key;
  }
  return rng.pick(candidates).sql;
}

export function generateAggregate(rng: Rng): QueryBody {
  const source = sourceFor(rng);
  const keyCount = rng.weighted<number>([[2, 0], [5, 1], [3, 2]]);
  const keys = Array.from({ length: keyCount }, () => groupKey(rng, source.scope)).filter((key, index, all) => all.indexOf(key) === index);
  const aggregates = Array.from({ length: rng.int(1, 3) }, () => aggregateCall(rng, source.scope));
  const items = [...keys, ...aggregates].map((item, index) => selectItem(rng, item, index + 1));
  const where = rng.chance(0.4) ? ` WHERE ${rng.chance(0.08) ? 'false' : expressions(rng, source.scope).predicate()}` : '';
  let groupBy = '';
  if (keys.length > 0) {
    // Ordinals and expressions name the same grouping; PostgreSQL accepts both.
    groupBy = ` GROUP BY ${keys.map((key, index) => (rng.chance(0.3) ? String(index + 1) : key)).join(', ')}`;
  } else if (rng.chance(0.1)) {
    groupBy = ' GROUP BY ()';
  }
  let having = '';
  if (rng.chance(0.35)) {
    const generator = expressions(rng, source.scope);
    having = ` HAVING ${rng.pick([`count(*) > ${rng.int(0, 3)}`, `${aggregateCall(rng, source.scope)} IS NOT NULL`, `sum(${rng.pick(source.scope.filter((c) => c.type === 'int')).sql}) ${rng.pick(['>', '<', '='])} ${rng.int(-2, 10)}`, `bool_or(${generator.predicate()})`])}`;
  }
  return { sql: `SELECT ${items.join(', ')} FROM ${source.sql}${where}${groupBy}${having} ${orderByAll(items.length, rng)}`, ordered: true };
}

export function generateGroupingSets(rng: Rng): QueryBody {
  const source = tableItem(randomTable(rng), 't');
  const candidates = source.scope.filter((column) => !column.sql.endsWith('.id') && column.type !== 'numeric');
  const keys = rng.sample(candidates, rng.int(2, Math.min(3, candidates.length))).map((column) => column.sql);
  const [first, second] = keys as [string, string, ...string[]];
  const grouping = rng.pick([
    `ROLLUP (${keys.join(', ')})`,
    `CUBE (${keys.slice(0, 2).join(', ')})`,
    `GROUPING SETS ((${first}), (${second}), ())`,
    `GROUPING SETS ((${first}, ${second}), (${first}))`,
    `${first}, ROLLUP (${keys.slice(1).join(', ')})`,
  ]);
  const usedKeys = keys.filter((key) => grouping.includes(key));
  const aggregates = Array.from({ length: rng.int(1, 2) }, () => aggregateCall(rng, source.scope));
  const groupingCall = rng.chance(0.7) ? [`GROUPING(${usedKeys.join(', ')})`] : [];
  const items = [...usedKeys, ...groupingCall, ...aggregates].map((item, index) => selectItem(rng, item, index + 1));
  const having = rng.chance(0.2) ? ' HAVING count(*) > 1' : '';
  return { sql: `SELECT ${items.join(', ')} FROM ${source.sql} GROUP BY ${grouping}${having} ${orderByAll(items.length, rng)}`, ordered: true };
}
