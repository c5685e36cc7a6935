// Array functions, operators and generate_series against PostgreSQL 15.
import { expect } from 'chai';
import { Oid } from '../../src/types/functions/oids.js';
import { arg, closeOracle, compareFunction, describeMismatches, product, type Argument, type Mismatch } from './oracle.js';

const of = (type: number, values: (string | null)[]) => values.map((v) => arg(type, v));
const intArrays = of(Oid.int4Array, [null, '{}', '{1,2,3}', '{1,NULL,1}', '[3:5]={7,8,9}', '{{1,2},{3,4}}', '{5}']);
const textArrays = of(Oid.textArray, [null, '{}', '{a,b,c}', '{a,NULL,""}', '{"x y",z}']);
const ints = of(Oid.int4, [null, '1', '2', '0', '-1', '3', '9']);

async function checkAll(cases: { name: string; args: Argument[]; set?: boolean }[]): Promise<void> {
  const mismatches: Mismatch[] = [];
  for (const c of cases) {
    const mismatch = await compareFunction(c.name, c.args, { set: c.set ?? false });
    if (mismatch) mismatches.push(mismatch);
  }
  expect(mismatches, describeMismatches(mismatches)).to.have.length(0);
}
const matrix = (name: string, lists: Argument[][], set = false) => product(lists).map((args) => ({ name, args, set }));

describe('functions: arrays and series against PostgreSQL', function () {
  this.timeout(60_000);
  after(closeOracle);

  it('dimensions, append/prepend/cat, position(s), remove/replace', async () => {
    await checkAll([
      ...['array_ndims', 'cardinality', 'array_dims'].flatMap((name) => matrix(name, [intArrays])),
      ...['array_length', 'array_lower', 'array_upper'].flatMap((name) => matrix(name, [intArrays, of(Oid.int4, ['1', '2', '0', null])])),
      ...matrix('array_append', [intArrays, ints.slice(0, 3)]),
      ...matrix('array_prepend', [ints.slice(0, 3), intArrays]),
      ...matrix('array_cat', [intArrays, intArrays]),
      ...matrix('array_position', [intArrays, ints]),
      ...matrix('array_position', [intArrays.slice(0, 5), ints.slice(0, 3), of(Oid.int4, ['1', '2', '4'])]),
      ...matrix('array_positions', [intArrays, ints]),
      ...matrix('array_remove', [intArrays, ints.slice(0, 3)]),
      ...matrix('array_replace', [intArrays, ints.slice(0, 3), ints.slice(0, 2)]),
      ...matrix('array_position', [textArrays, of(Oid.text, ['a', null, '', 'q'])]),
      ...matrix('trim_array', [intArrays, of(Oid.int4, ['0', '1', '3', '-1'])]),
      ...matrix('array_fill', [of(Oid.int4, ['7', null]), of(Oid.int4Array, ['{2}', '{2,2}', '{0}', '{}', '{NULL}', null])]),
      ...matrix('array_fill', [of(Oid.text, ['x']), of(Oid.int4Array, ['{2}']), of(Oid.int4Array, ['{3}', '{1,2}'])]),
    ]);
  });

  it('array_to_string, string_to_array, unnest, generate_subscripts, generate_series', async () => {
    await checkAll([
      ...matrix('array_to_string', [[...intArrays, ...textArrays], of(Oid.text, [',', '', null])]),
      ...matrix('array_to_string', [[...intArrays, ...textArrays], of(Oid.text, ['-']), of(Oid.text, ['*', null])]),
      ...matrix('string_to_array', [of(Oid.text, ['a,b,,c', '', 'abc', null, 'héllo,wörld']), of(Oid.text, [',', '', null, 'b'])]),
      ...matrix('string_to_array', [of(Oid.text, ['a,b,,c', 'x']), of(Oid.text, [',']), of(Oid.text, ['', 'b', null])]),
      ...matrix('string_to_table', [of(Oid.text, ['a,b,,c', '', null]), of(Oid.text, [',', null])], true),
      ...matrix('unnest', [[...intArrays, ...textArrays]], true),
      ...matrix('generate_subscripts', [intArrays, of(Oid.int4, ['1', '2', '3'])], true),
      ...matrix('generate_subscripts', [intArrays.slice(2), of(Oid.int4, ['1']), of(Oid.bool, ['t', 'f'])], true),
      ...matrix('generate_series', [of(Oid.int4, ['1', '10', '-3']), of(Oid.int4, ['10', '1'])], true),
      ...matrix('generate_series', [of(Oid.int4, ['2147483640']), of(Oid.int4, ['2147483647']), of(Oid.int4, ['1', '4'])], true),
      ...matrix('generate_series', [of(Oid.int4, ['-2147483640']), of(Oid.int4, ['-2147483648']), of(Oid.int4, ['-1', '-5'])], true),
      ...matrix('generate_series', [of(Oid.int4, ['1', '10']), of(Oid.int4, ['10', '1']), of(Oid.int4, ['3', '-3', '0'])], true),
      ...matrix('generate_series', [of(Oid.int8, ['1']), of(Oid.int8, ['4']), of(Oid.int8, ['1', '2'])], true),
      ...matrix('generate_series', [of(Oid.int8, ['9223372036854775800']), of(Oid.int8, ['9223372036854775807']), of(Oid.int8, ['1', '3'])], true),
      ...matrix('generate_series', [of(Oid.numeric, ['1', '1.5', '3', 'NaN']), of(Oid.numeric, ['3', '1']), of(Oid.numeric, ['0.5', '-0.75', '1', '0'])], true),
    ]);
  });
});
