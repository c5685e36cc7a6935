// Aggregates against PostgreSQL 15: result types and values, NULL handling, empty input.
import { expect } from 'chai';
import { Oid } from '../../src/types/functions/oids.js';
import { arg, closeOracle, compareAggregate, compareOrderedSet, describeMismatches, type Mismatch } from './oracle.js';

type Column = (string | null)[];

const intColumns: Column[] = [[], [null], ['1'], ['1', '2', '4'], ['5', null, '-3', '5'], ['2147483647', '2147483647', '1'], ['-7', '0', '7', '100', '33']];
const numericColumns: Column[] = [[], ['1.5', '2.25', '4'], ['0.1', null, '0.10', '-3.333'], ['1e20', '1', '-1e-10'], ['NaN', '1'], ['7'], ['1.0', '1.0'], ['Infinity', '1']];
const floatColumns: Column[] = [[], ['1.5', '2.25', '4'], ['0.1', '0.2', '0.3'], ['1e308', '1e308'], ['1e200', '-1e200'], ['Infinity', '1'], ['NaN', '2'], ['-0', null]];
const textColumns: Column[] = [[], ['b', 'a', 'c'], ['', null, 'z'], ['héllo', 'hello', 'HELLO']];
const boolColumns: Column[] = [[], ['t', 't'], ['t', 'f', null], [null]];

async function checkAggregates(names: string[], types: number[], columns: Column[]): Promise<void> {
  const mismatches: Mismatch[] = [];
  for (const name of names) {
    for (const type of types) {
      for (const column of columns) {
        const mismatch = await compareAggregate(name, [type], column.map((v) => [v]));
        if (mismatch) mismatches.push(mismatch);
      }
    }
  }
  expect(mismatches, describeMismatches(mismatches)).to.have.length(0);
}

describe('functions: aggregates against PostgreSQL', function () {
  this.timeout(60_000);
  after(closeOracle);

  const statistics = ['stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop'];

  it('count, sum, avg, min, max over integers', async () => {
    await checkAggregates(['count', 'sum', 'avg', 'min', 'max', 'bit_and', 'bit_or', 'bit_xor'], [Oid.int2, Oid.int4, Oid.int8], intColumns.filter((c) => !c.includes('2147483647')));
    await checkAggregates(['count', 'sum', 'avg', 'min', 'max'], [Oid.int4, Oid.int8], intColumns);
    const mismatch = await compareAggregate('count', [Oid.int4], [['1'], [null], ['3']], { star: true });
    expect(mismatch, describeMismatches(mismatch ? [mismatch] : [])).to.equal(undefined);
  });

  it('sum, avg, min, max and statistics over numeric and floats', async () => {
    await checkAggregates(['sum', 'avg', 'min', 'max', ...statistics], [Oid.numeric], numericColumns);
    await checkAggregates(['sum', 'avg', 'min', 'max', ...statistics], [Oid.float8, Oid.float4], floatColumns);
    await checkAggregates(statistics, [Oid.int2, Oid.int4, Oid.int8], intColumns);
  });

  it('min/max over text, bool_and/bool_or/every, string_agg, array_agg', async () => {
    await checkAggregates(['min', 'max', 'count', 'array_agg'], [Oid.text], textColumns);
    await checkAggregates(['bool_and', 'bool_or', 'every', 'array_agg'], [Oid.bool], boolColumns);
    await checkAggregates(['array_agg'], [Oid.int4, Oid.numeric], [[], ['1', null, '3'], ['2.50']]);
    await checkAggregates(['array_agg', 'min', 'max'], [Oid.int4Array], [[], ['{1,2}', '{3,4}'], ['{1}', '{1,2}'], ['{1,2}', null]]);
    const mismatches: Mismatch[] = [];
    for (const rows of [[], [['a', ','], ['b', null], ['c', ';']], [[null, ','], ['x', ',']], [['a', ''], ['b', '']]] as Column[][]) {
      const mismatch = await compareAggregate('string_agg', [Oid.text, Oid.text], rows);
      if (mismatch) mismatches.push(mismatch);
    }
    expect(mismatches, describeMismatches(mismatches)).to.have.length(0);
  });

  it('percentile_cont, percentile_disc, mode (input sorted as the executor must) and sum(interval)', async () => {
    const mismatches: Mismatch[] = [];
    const columns: (string | null)[][] = [[], ['5'], ['1', '2', '3', '4'], ['10', null, '2', '2', '7', '7', '1'], ['-1.5', '2.25', '0.1']];
    for (const values of columns) {
      for (const fraction of ['0', '0.25', '0.5', '0.9', '1', '1.5', null]) {
        for (const name of ['percentile_cont', 'percentile_disc']) {
          const mismatch = await compareOrderedSet(name, arg(Oid.float8, fraction), Oid.float8, values);
          if (mismatch) mismatches.push(mismatch);
        }
      }
      for (const fractions of ['{0.5,0.1,NULL}', '{}']) {
        for (const name of ['percentile_cont', 'percentile_disc']) {
          const mismatch = await compareOrderedSet(name, arg(Oid.float8Array, fractions), Oid.float8, values);
          if (mismatch) mismatches.push(mismatch);
        }
      }
      const mode = await compareOrderedSet('mode', undefined, Oid.float8, values);
      if (mode) mismatches.push(mode);
    }
    const textMode = await compareOrderedSet('mode', undefined, Oid.text, ['b', 'a', 'b', 'a', 'c']);
    if (textMode) mismatches.push(textMode);
    const discreteText = await compareOrderedSet('percentile_disc', arg(Oid.float8, '0.5'), Oid.text, ['b', 'a', 'c', 'd']);
    if (discreteText) mismatches.push(discreteText);
    for (const values of [[], ['1 day', '2 hours', null, '1 mon'], ['-1 year', '3 days 04:00'], ['1 mon', '1 day', '1 second']]) {
      for (const name of ['sum', 'avg', 'min', 'max']) {
        const mismatch = await compareAggregate(name, [Oid.interval], values.map((v) => [v]));
        if (mismatch) mismatches.push(mismatch);
      }
      const percentile = await compareOrderedSet('percentile_cont', arg(Oid.float8, '0.3'), Oid.interval, values);
      if (percentile) mismatches.push(percentile);
    }
    expect(mismatches, describeMismatches(mismatches)).to.have.length(0);
  });
});
