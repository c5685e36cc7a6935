// The function library through the real path: SQL text → Cambium's parser, binder (overload
// resolution, unknown literals, VARIADIC), executor and output, compared row for row with
// PostgreSQL 15 running the same statements.
import { expect } from 'chai';
import { TestDatabase, type TestClient } from '../session/helpers.js';
import { closeOracle, oracle } from './oracle.js';

const queries = [
  // strings
  "SELECT length('héllo'), upper('abc'), lower('ÀBC'), initcap('hello wORLD'), substring('hello' from 2 for 3), substr('hello', 2)",
  "SELECT position('l' in 'hello'), strpos('hello', 'lo'), trim(both 'x' from 'xxhixx'), ltrim('  a'), rtrim('a  '), btrim('xyax', 'xy')",
  "SELECT replace('abcabc', 'b', 'X'), split_part('a,b,c', ',', 2), lpad('7', 3, '0'), rpad('a', 3, '-'), left('hello', 2), right('hello', -2)",
  "SELECT concat('a', 1, NULL, true), concat_ws('-', 'a', NULL, 'b'), format('%s has %L and %I', 'x', 'it''s', 'Col'), repeat('ab', 3), reverse('abc')",
  "SELECT md5('abc'), chr(65), ascii('A'), to_hex(255), quote_ident('Foo'), quote_literal('a''b'), starts_with('hello', 'he')",
  "SELECT 'abc' LIKE 'a%', 'ABC' ILIKE 'a_c', 'abc' NOT LIKE '%d', 'a_c' LIKE 'a#_c' ESCAPE '#', 'abc' SIMILAR TO '(a|b)%', 'foo' ~ '^f', 'FOO' ~* 'o+$'",
  "SELECT regexp_replace('Thomas', '.[mN]a.', 'M'), regexp_match('foobarbequebaz', '(bar)(beque)'), regexp_split_to_array('a, b  c', '[, ]+'), substring('foobar' from 'o.b')",
  "SELECT x FROM regexp_split_to_table('one two  three', '\\s+') AS x",
  "SELECT string_to_array('a,b,,c', ','), array_to_string(ARRAY[1, NULL, 3], ',', '*')",
  // math
  "SELECT abs(-5), abs(-2.5), ceil(1.2), floor(-1.2), round(2.5), round(2.567, 2), trunc(-2.7), mod(7, 3), div(7, 2), sign(-3.0)",
  "SELECT power(2, 10), sqrt(2), sqrt(16::numeric), exp(1.0), ln(10), log(100), log(2, 8), pi(), degrees(pi()), cbrt(27::float8)",
  "SELECT gcd(12, 18), lcm(4, 6), width_bucket(5.35, 0.024, 10.06, 5), factorial(10), 7 / 2, 7.0 / 2, 2 ^ 10, 2::numeric ^ 10, 2.5 ^ 0.5",
  "SELECT to_char(1234.5, 'FM9,999.00'), to_char(timestamp '2020-03-05 14:07:09', 'Dy DD Mon YYYY HH12:MI AM'), to_date('05 Dec 2000', 'DD Mon YYYY'), to_timestamp('2020-01-05 10:00', 'YYYY-MM-DD HH24:MI')",
  "SELECT pg_typeof(1), pg_typeof('a'::text), pg_typeof(now())",
  // date/time
  "SELECT extract(year from timestamp '2020-02-29 13:14:15.5'), extract(epoch from timestamp '2020-01-01'), date_part('dow', date '2020-01-01'), extract(quarter from date '2020-05-05')",
  "SELECT date_trunc('month', timestamp '2020-02-29 13:14:15'), date_trunc('week', date '2021-01-01'), age(timestamp '2020-03-31', timestamp '2020-02-29 12:00')",
  "SELECT make_date(2020, 2, 29), make_interval(1, 2, 0, 3), justify_interval(interval '1 mon -1 hour'), timestamptz '2020-06-01 12:00+00' AT TIME ZONE 'America/New_York'",
  "SELECT to_timestamp(0), date_bin('15 minutes', timestamp '2020-02-11 15:44:17', timestamp '2001-01-01'), isfinite(date 'infinity')",
  // json
  "SELECT '{\"a\": {\"b\": [1, 2]}}'::jsonb -> 'a', '{\"a\": {\"b\": [1, 2]}}'::jsonb #>> '{a,b,1}', '{\"a\": 1}'::json ->> 'a', '[1, 2]'::jsonb @> '[2]', '{\"a\": 1}'::jsonb ? 'a'",
  "SELECT jsonb_build_object('a', 1, 'b', ARRAY[1, 2]), json_build_array(1, 'x', NULL), to_jsonb('x'::text), jsonb_set('{\"a\": 1}', '{b}', '2'), '{\"a\": 1}'::jsonb || '{\"b\": 2}'",
  "SELECT jsonb_typeof('[]'), jsonb_array_length('[1, 2, 3]'), jsonb_pretty('{\"a\": [1]}'), jsonb_strip_nulls('{\"a\": null, \"b\": 1}')",
  // arrays and series
  "SELECT array_length(ARRAY[1, 2, 3], 1), cardinality(ARRAY[[1, 2], [3, 4]]), array_append(ARRAY[1], 2), array_prepend(0, ARRAY[1]), array_cat(ARRAY[1], ARRAY[2, 3]), array_position(ARRAY['a', 'b'], 'b')",
  "SELECT array_remove(ARRAY[1, 2, 1], 1), array_replace(ARRAY[1, 2], 2, 9), array_dims(ARRAY[[1, 2]]), array_upper(ARRAY[1, 2], 1), 3 = ANY(ARRAY[1, 2, 3])",
  'SELECT x FROM unnest(ARRAY[3, 1, 2]) AS x',
  'SELECT x FROM generate_series(1, 10, 3) AS x',
  'SELECT x FROM generate_series(0.5, 2, 0.5) AS x',
  // aggregates
  'SELECT count(*), count(x), sum(x), avg(x), min(x), max(x), stddev(x), variance(x), bool_and(x > 0), string_agg(x::text, \',\' ORDER BY x DESC) FROM (VALUES (1), (2), (NULL), (4)) AS v(x)',
  'SELECT sum(x), avg(x), stddev_pop(x) FROM (VALUES (1.5), (2.25)) AS v(x)',
  "SELECT array_agg(x ORDER BY x), json_agg(x ORDER BY x), jsonb_object_agg(k, x) FROM (VALUES ('a', 1), ('b', 2)) AS v(k, x)",
  'SELECT g, count(*), sum(x) FROM (VALUES (1, 10), (1, 20), (2, 5)) AS v(g, x) GROUP BY g ORDER BY g',
  // system
  "SELECT current_database(), current_user, pg_backend_pid() > 0, version() LIKE 'PostgreSQL 15.%'",
];

describe('functions: end to end through Cambium vs PostgreSQL', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let client: TestClient;

  before(async () => {
    database = await TestDatabase.open();
    client = database.client();
  });
  after(async () => {
    await client?.close();
    await database?.close();
    await closeOracle();
  });

  it('common function calls give PostgreSQL\'s rows', async () => {
    const failures: string[] = [];
    const postgres = await oracle();
    for (const sql of queries) {
      const expected = (await postgres.query({ text: sql, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } })).rows as unknown[][];
      let actual: unknown[][];
      try {
        actual = await client.rows(sql);
      } catch (error) {
        failures.push(`${sql}\n  postgres: ${JSON.stringify(expected)}\n  cambium:  error ${(error as Error).message}`);
        continue;
      }
      if (JSON.stringify(actual) !== JSON.stringify(expected)) failures.push(`${sql}\n  postgres: ${JSON.stringify(expected)}\n  cambium:  ${JSON.stringify(actual)}`);
    }
    expect(failures, failures.join('\n')).to.have.length(0);
  });
});
