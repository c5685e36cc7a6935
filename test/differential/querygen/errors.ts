// Statements PostgreSQL rejects: the SQLSTATE must match (a query that errors differently, or
// answers where PostgreSQL refuses, is a disagreement).
import type { QueryBody } from './query.js';
import type { Rng } from './rng.js';

export function generateError(rng: Rng): QueryBody {
  const intColumn = rng.pick(['t1.a', 't1.b', 't2.x']);
  const table = intColumn.split('.')[0]!;
  const cases: Array<() => QueryBody> = [
    () => ({ sql: `SELECT ${intColumn} / (${intColumn} - ${intColumn}) FROM ${table} WHERE ${intColumn} IS NOT NULL`, ordered: false, expectedSqlState: '22012' }),
    () => ({ sql: `SELECT ${rng.int(1, 9)} % 0`, ordered: false, expectedSqlState: '22012' }),
    () => ({ sql: `SELECT mod(${rng.int(1, 9)}, 0)`, ordered: false, expectedSqlState: '22012' }),
    () => ({ sql: `SELECT 1.5 / 0`, ordered: false, expectedSqlState: '22012' }),
    () => ({ sql: `SELECT (SELECT a FROM t2 WHERE a IS NOT NULL)`, ordered: false, expectedSqlState: '21000' }),
    () => ({ sql: `SELECT t1.id, (SELECT t2.x FROM t2 WHERE t2.a = t1.a) FROM t1 ORDER BY 1`, ordered: false, expectedSqlState: '21000' }),
    () => ({ sql: `SELECT ${rng.pick(['nosuch', 't1.nosuch', 'x'])} FROM t1`, ordered: false, expectedSqlState: '42703' }),
    () => ({ sql: `SELECT * FROM ${rng.pick(['nosuch_table', 'public.missing', 't9'])}`, ordered: false, expectedSqlState: '42P01' }),
    () => ({ sql: `SELECT a, count(*) FROM t1`, ordered: false, expectedSqlState: '42803' }),
    () => ({ sql: `SELECT a, b FROM t1 GROUP BY a`, ordered: false, expectedSqlState: '42803' }),
    () => ({ sql: `SELECT count(*) FROM t1 WHERE count(*) > 1`, ordered: false, expectedSqlState: '42803' }),
    () => ({ sql: `SELECT sum(sum(a)) FROM t1`, ordered: false, expectedSqlState: '42803' }),
    () => ({ sql: `SELECT ${rng.pick(["'abc'::int4", "'1.5'::int4", "''::int8", "'x'::numeric", "'maybe'::boolean"])}`, ordered: false, expectedSqlState: '22P02' }),
    () => ({ sql: `SELECT * FROM t1 WHERE a = 'x'`, ordered: false, expectedSqlState: '22P02' }),
    () => ({ sql: `SELECT ${rng.pick(['2147483647::int4 + 1', '(-2147483648)::int4 - 1', '32767::int2 + 1::int2', '9223372036854775807::int8 * 2', "'99999999999'::int4"])}`, ordered: false, expectedSqlState: '22003' }),
    () => ({ sql: `SELECT id FROM t1 JOIN t2 ON t1.a = t2.a`, ordered: false, expectedSqlState: '42702' }),
    () => ({ sql: `SELECT a FROM t1 UNION SELECT a, x FROM t2`, ordered: false, expectedSqlState: '42601' }),
    () => ({ sql: `SELECT a FROM t1 ${rng.pick(['UNION', 'INTERSECT', 'EXCEPT'])} SELECT s FROM t2`, ordered: false, expectedSqlState: '42804' }),
    () => ({ sql: `SELECT * FROM t1 WHERE row_number() OVER () > 1`, ordered: false, expectedSqlState: '42P20' }),
    () => ({ sql: `SELECT ${rng.pick(['c + 1', 'e + 1', 'f * 2'])} FROM t1`, ordered: false, expectedSqlState: '42883' }),
    () => ({ sql: `SELECT ${rng.pick(['sum(c)', 'avg(f)', 'nosuchfunc(a)'])} FROM t1`, ordered: false, expectedSqlState: '42883' }),
    () => ({ sql: `SELEC 1`, ordered: false, expectedSqlState: '42601' }),
    () => ({ sql: `SELECT * FROM t1 ${rng.pick(['WHERE', 'ORDER', 'GROUP BY'])}`, ordered: false, expectedSqlState: '42601' }),
    () => ({ sql: `SELECT * FROM t1 FULL JOIN t2 ON t1.a < t2.a`, ordered: false, expectedSqlState: '0A000' }),
    () => ({ sql: `SELECT a FROM t1 ORDER BY ${rng.int(2, 9)}`, ordered: false, expectedSqlState: '42P10' }),
    () => ({ sql: `SELECT DISTINCT ON (a) b FROM t1 ORDER BY b`, ordered: false, expectedSqlState: '42P10' }),
    () => ({ sql: `SELECT id FROM t1 WHERE generate_series(1, 2) > 1`, ordered: false, expectedSqlState: '0A000' }),
    () => ({ sql: `SELECT ntile(${rng.pick([0, -1])}) OVER (ORDER BY id) FROM t1`, ordered: false, expectedSqlState: '22014' }),
    () => ({ sql: `SELECT nth_value(a, 0) OVER (ORDER BY id) FROM t1`, ordered: false, expectedSqlState: '22016' }),
    () => ({ sql: `SELECT 'x' LIKE 'a' ESCAPE 'ab'`, ordered: false, expectedSqlState: '22025' }),
    () => ({ sql: `SELECT DATE '${rng.pick(['2024-02-30', '2023-13-01', '2024-00-10'])}'`, ordered: false, expectedSqlState: '22008' }),
    () => ({ sql: `SELECT a FROM t1 LIMIT -1`, ordered: false, expectedSqlState: '2201W' }),
    () => ({ sql: `SELECT a FROM t1 OFFSET -1`, ordered: false, expectedSqlState: '2201X' }),
    () => ({ sql: `SELECT x FROM (VALUES (1), ('a')) AS v(x)`, ordered: false, expectedSqlState: '22P02' }),
    () => ({ sql: `SELECT '{bad'::jsonb`, ordered: false, expectedSqlState: '22P02' }),
    () => ({ sql: `SELECT id FROM t1 WHERE id IN (SELECT a, x FROM t2)`, ordered: false, expectedSqlState: '42601' }),
    () => ({ sql: `SELECT sqrt(-1::numeric)`, ordered: false, expectedSqlState: '2201F' }),
    () => ({ sql: `SELECT ln(0::numeric)`, ordered: false, expectedSqlState: '2201E' }),
    () => ({ sql: `WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r, r AS r2) SELECT * FROM r`, ordered: false, expectedSqlState: '42P19' }),
    () => ({ sql: `SELECT id FROM t1 GROUP BY ROLLUP (a) HAVING count(*) > 1`, ordered: false, expectedSqlState: '42803' }),
    () => ({ sql: `SELECT lag(a) FROM t1`, ordered: false, expectedSqlState: '42809' }),
    () => ({ sql: `SELECT count(*) OVER w FROM t1`, ordered: false, expectedSqlState: '42704' }),
    () => ({ sql: `SELECT sum(a) OVER (ORDER BY a, b RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t1`, ordered: false, expectedSqlState: '42P20' }),
    () => ({ sql: `SELECT * FROM t1 NATURAL JOIN t2 USING (a)`, ordered: false, expectedSqlState: '42601' }),
    () => ({ sql: `SELECT * FROM t1 JOIN t2 USING (nosuch)`, ordered: false, expectedSqlState: '42703' }),
    () => ({ sql: `SELECT (ARRAY[1, 2])[1:2][1]::int4`, ordered: false, expectedSqlState: '42846' }),
    () => ({ sql: `SELECT 'abc' ~ '('`, ordered: false, expectedSqlState: '2201B' }),
    () => ({ sql: `SELECT jsonb_array_length('{"a": 1}'::jsonb)`, ordered: false, expectedSqlState: '22023' }),
    () => ({ sql: `SELECT repeat('x', 2) FROM t1 WHERE id = ANY(1)`, ordered: false, expectedSqlState: '42809' }),
  ];
  return rng.pick(cases)();
}
