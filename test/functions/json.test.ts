// json/jsonb operators, functions and aggregates against PostgreSQL 15.
import { expect } from 'chai';
import { Oid } from '../../src/types/functions/oids.js';
import { arg, closeOracle, compareAggregate, compareFunction, compareOperator, describeMismatches, product, type Argument, type Mismatch } from './oracle.js';

const of = (type: number, values: (string | null)[]) => values.map((v) => arg(type, v));
const documents = ['{"a": 1, "b": {"c": [1, 2, {"d": null}]}, "e": "x"}', '[1, "two", [3], {"four": 4}, null, true]', '"a"', '42', 'null', '{}', '[]',
  '{"a": {"b":  1}, "a": 2, "n": null}', '[[1, 2], [3]]'];
const jsonbs = of(Oid.jsonb, documents);
const jsons = of(Oid.json, documents);
const keys = of(Oid.text, ['a', 'b', 'e', 'n', 'zz', '0', '']);
const indexes = of(Oid.int4, ['0', '1', '-1', '5', '-7']);
const paths = of(Oid.textArray, ['{a}', '{b,c}', '{b,c,2,d}', '{b,c,-1}', '{1}', '{3,four}', '{0,0}', '{}', '{x,y}', '{b,NULL}']);

async function checkAll(cases: { name: string; args: Argument[]; set?: boolean; records?: boolean }[]): Promise<void> {
  const mismatches: Mismatch[] = [];
  for (const c of cases) {
    const mismatch = await compareFunction(c.name, c.args, { set: c.set ?? false, records: c.records ?? false });
    if (mismatch) mismatches.push(mismatch);
  }
  expect(mismatches, describeMismatches(mismatches)).to.have.length(0);
}
const matrix = (name: string, lists: Argument[][], options: { set?: boolean; records?: boolean } = {}) => product(lists).map((args) => ({ name, args, ...options }));

async function checkOperators(cases: [string, Argument[], Argument[]][]): Promise<void> {
  const mismatches: Mismatch[] = [];
  for (const [op, lefts, rights] of cases) {
    for (const [l, r] of product([lefts, rights])) {
      const mismatch = await compareOperator(op, l!, r!);
      if (mismatch) mismatches.push(mismatch);
    }
  }
  expect(mismatches, describeMismatches(mismatches)).to.have.length(0);
}

describe('functions: json and jsonb against PostgreSQL', function () {
  this.timeout(60_000);
  after(closeOracle);

  it('-> ->> #> #>> on json and jsonb', async () => {
    await checkOperators([
      ...(['->', '->>'] as const).flatMap((op) => [[op, jsonbs, keys], [op, jsonbs, indexes], [op, jsons, keys], [op, jsons, indexes]] as [string, Argument[], Argument[]][]),
      ['#>', jsonbs, paths], ['#>>', jsonbs, paths], ['#>', jsons, paths], ['#>>', jsons, paths],
    ]);
  });

  it('@> <@ ? ?| ?& || - #- on jsonb', async () => {
    const small = of(Oid.jsonb, ['{"a": 1, "b": [1, 2]}', '[1, 2, [3]]', '1', '"a"', '{"b": [2]}', '[1]', '[[3]]', '{}', '[]', '{"a": 1}', '["a", "b"]']);
    await checkOperators([
      ['@>', small, small], ['<@', small, small], ['||', small, small],
      ['?', small, of(Oid.text, ['a', 'b', 'c'])],
      ['?|', small, of(Oid.textArray, ['{a,c}', '{c}', '{}', '{NULL,b}'])],
      ['?&', small, of(Oid.textArray, ['{a,b}', '{a}', '{}', '{a,NULL}'])],
      ['-', small, of(Oid.text, ['a', 'b', 'zz'])],
      ['-', small, of(Oid.int4, ['0', '-1', '9'])],
      ['-', small, of(Oid.textArray, ['{a,b}', '{}'])],
      ['#-', jsonbs, paths],
    ]);
  });

  it('builders, to_json, typeof, lengths, strip_nulls, pretty, set/insert, extract_path', async () => {
    const values: Argument[] = [arg(Oid.int4, '1'), arg(Oid.text, 'x"y'), arg(Oid.numeric, '1.50'), arg(Oid.float8, 'NaN'), arg(Oid.bool, 't'), arg(Oid.int4, null),
      arg(Oid.timestamp, '2020-01-01 12:00'), arg(Oid.timestamptz, '2020-01-01 12:00+00'), arg(Oid.date, '2020-01-01'), arg(Oid.int4Array, '{{1,2},{3,NULL}}'),
      arg(Oid.textArray, '{a,NULL}'), arg(Oid.jsonb, '{"k": [1]}'), arg(Oid.json, '{"k" :  [1]}')];
    await checkAll([
      ...values.flatMap((v) => [{ name: 'to_json', args: [v] }, { name: 'to_jsonb', args: [v] }]),
      { name: 'json_build_object', args: [arg(Oid.text, 'a'), values[0]!, arg(Oid.int4, '2'), values[1]!, arg(Oid.text, 'c'), values[9]!] },
      { name: 'jsonb_build_object', args: [arg(Oid.text, 'a'), values[0]!, arg(Oid.int4, '2'), values[1]!, arg(Oid.text, 'a'), values[11]!] },
      { name: 'json_build_object', args: [arg(Oid.text, 'a')] },
      { name: 'jsonb_build_object', args: [arg(Oid.text, null), values[0]!] },
      { name: 'json_build_array', args: values },
      { name: 'jsonb_build_array', args: values },
      ...['jsonb_typeof', 'jsonb_array_length', 'jsonb_strip_nulls', 'jsonb_pretty'].flatMap((name) => matrix(name, [jsonbs])),
      ...['json_typeof', 'json_array_length', 'json_strip_nulls'].flatMap((name) => matrix(name, [jsons])),
      ...matrix('jsonb_set', [jsonbs.slice(0, 3), paths, of(Oid.jsonb, ['9', '{"z": []}'])]),
      ...matrix('jsonb_set', [jsonbs.slice(0, 2), paths.slice(0, 5), of(Oid.jsonb, ['9']), of(Oid.bool, ['f'])]),
      ...matrix('jsonb_insert', [jsonbs.slice(0, 3), paths, of(Oid.jsonb, ['9'])]),
      ...matrix('jsonb_insert', [jsonbs.slice(0, 2), paths.slice(0, 5), of(Oid.jsonb, ['9']), of(Oid.bool, ['t'])]),
    ]);
  });

  it('each / array_elements / object_keys', async () => {
    await checkAll([
      ...['jsonb_each', 'jsonb_each_text'].flatMap((name) => matrix(name, [jsonbs], { records: true })),
      ...['json_each', 'json_each_text'].flatMap((name) => matrix(name, [jsons], { records: true })),
      ...['jsonb_array_elements', 'jsonb_array_elements_text', 'jsonb_object_keys'].flatMap((name) => matrix(name, [jsonbs], { set: true })),
      ...['json_array_elements', 'json_array_elements_text', 'json_object_keys'].flatMap((name) => matrix(name, [jsons], { set: true })),
    ]);
  });

  it('json_agg, jsonb_agg, json_object_agg, jsonb_object_agg', async () => {
    const mismatches: Mismatch[] = [];
    const columns: [number, (string | null)[]][] = [[Oid.int4, ['1', null, '3']], [Oid.text, ['a', 'b"']], [Oid.jsonb, ['{"a": 1}', 'null', null]], [Oid.json, ['{"a" : 1}', '[1,  2]']], [Oid.int4, []]];
    for (const [type, values] of columns) {
      for (const name of ['json_agg', 'jsonb_agg']) {
        const mismatch = await compareAggregate(name, [type], values.map((v) => [v]));
        if (mismatch) mismatches.push(mismatch);
      }
    }
    for (const rows of [[['a', '1'], ['b', null], ['a', '3']], [], [[null, '1']]] as (string | null)[][][]) {
      for (const name of ['json_object_agg', 'jsonb_object_agg']) {
        const mismatch = await compareAggregate(name, [Oid.text, Oid.int4], rows);
        if (mismatch) mismatches.push(mismatch);
      }
    }
    expect(mismatches, describeMismatches(mismatches)).to.have.length(0);
  });
});
