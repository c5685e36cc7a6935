// Property tests: key bytes order = compare() order (ASC and DESC, NULLs placed as PostgreSQL
// places them), and row/key codecs round-trip.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  Numeric,
  compareKeys,
  decodeColumn,
  decodeKey,
  decodeRow,
  encodeKey,
  encodeRow,
  prefixUpperBound,
  keySuccessor,
  makeArray,
  typeByName,
  type PgType,
  type Value,
} from '../../src/types/index.js';

const numericArbitrary = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 20 })).map(([c, s]) => Numeric.of(c, s)) },
  { weight: 1, arbitrary: fc.constantFrom(Numeric.NaN, Numeric.Infinity, Numeric.NegativeInfinity, Numeric.zero) },
);

const floatArbitrary = fc.oneof(fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 5e-324));

const scalarCases: Array<[string, fc.Arbitrary<Value>]> = [
  ['bool', fc.boolean()],
  ['int2', fc.integer({ min: -32768, max: 32767 })],
  ['int4', fc.integer({ min: -2147483648, max: 2147483647 })],
  ['int8', fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
  ['oid', fc.integer({ min: 0, max: 4294967295 })],
  ['float8', floatArbitrary],
  ['float4', floatArbitrary.map((x) => Math.fround(x))],
  ['numeric', numericArbitrary],
  ['text', fc.string({ unit: 'binary' }).map((s) => s.replace(/\0/g, ''))],
  ['bpchar', fc.string().map((s) => s.replace(/\0/g, ''))],
  ['bytea', fc.uint8Array({ maxLength: 20 })],
  ['int4[]', fc.array(fc.option(fc.integer(), { nil: null }), { maxLength: 5 }).map((e) => makeArray(e))],
];

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

function nullsLastCompare(type: PgType, descending: boolean) {
  return (a: Value, b: Value): number => {
    if (a === null || b === null) {
      if (a === b) return 0;
      // ASC: NULLS LAST; DESC: NULLS FIRST.
      return (a === null) !== descending ? 1 : -1;
    }
    const c = type.compare(a, b);
    return descending ? -c : c;
  };
}

describe('types: key codec order equals compare() order', () => {
  for (const [name, arbitrary] of scalarCases) {
    it(`${name}: memcmp(encodeKey) matches compare, ASC and DESC, with NULLs`, () => {
      const type = typeByName(name)!;
      expect(type, name).to.not.equal(undefined);
      const maybeNull = fc.option(arbitrary, { nil: null, freq: 6 });
      fc.assert(
        fc.property(maybeNull, maybeNull, fc.boolean(), (a, b, descending) => {
          const ka = encodeKey([type], [a], [descending]);
          const kb = encodeKey([type], [b], [descending]);
          expect(sign(compareKeys(ka, kb))).to.equal(sign(nullsLastCompare(type, descending)(a, b)));
          const back = decodeKey([type], ka, [descending])[0];
          if (a === null) expect(back).to.equal(null);
          else expect(type.compare(back, a)).to.equal(0);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('composite keys order column by column; prefix bounds cover exactly the prefix', () => {
    const types = [typeByName('text')!, typeByName('int8')!, typeByName('numeric')!];
    const row = fc.tuple(
      fc.option(fc.constantFrom('', 'a', 'a\u0001', 'ab', 'b'), { nil: null }),
      fc.option(fc.bigInt({ min: -5n, max: 5n }), { nil: null }),
      fc.option(numericArbitrary, { nil: null }),
    );
    fc.assert(
      fc.property(row, row, fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), (a, b, descending) => {
        let expected = 0;
        for (let i = 0; i < 3 && expected === 0; i++) expected = nullsLastCompare(types[i]!, descending[i]!)(a[i]!, b[i]!);
        const ka = encodeKey(types, a, descending);
        const kb = encodeKey(types, b, descending);
        expect(sign(compareKeys(ka, kb))).to.equal(sign(expected));
        const prefix = encodeKey(types, a.slice(0, 1), descending);
        const upper = prefixUpperBound(prefix);
        const sameFirst = nullsLastCompare(types[0]!, descending[0]!)(a[0]!, b[0]!) === 0;
        const inRange = compareKeys(kb, prefix) >= 0 && (upper === undefined || compareKeys(kb, upper) < 0);
        expect(inRange).to.equal(sameFirst);
        expect(compareKeys(keySuccessor(ka), ka)).to.be.greaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('types: row codec', () => {
  const types = scalarCases.map(([name]) => typeByName(name)!);
  const rowArbitrary = fc.tuple(...scalarCases.map(([, arbitrary]) => fc.option(arbitrary, { nil: null })));

  it('round-trips every column and decodes single columns in place', () => {
    fc.assert(
      fc.property(rowArbitrary, (values) => {
        const bytes = encodeRow(types, values);
        const decoded = decodeRow(types, bytes);
        values.forEach((value, i) => {
          const back = decoded[i];
          if (value === null) expect(back).to.equal(null);
          else expect(types[i]!.compare(back, value), `${types[i]!.name}`).to.equal(0);
          const single = decodeColumn(types, bytes, i);
          if (value === null) expect(single).to.equal(null);
          else expect(types[i]!.compare(single, value)).to.equal(0);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('rows written before columns were added decode the new columns as NULL', () => {
    const old = [typeByName('int4')!, typeByName('text')!];
    const bytes = encodeRow(old, [7, 'x']);
    const widened = [...old, typeByName('int8')!, typeByName('text')!];
    expect(decodeRow(widened, bytes)).to.deep.equal([7, 'x', null, null]);
  });

  it('uses 32-bit offsets for large rows', () => {
    const types2 = [typeByName('text')!, typeByName('int4')!, typeByName('text')!];
    const big = 'x'.repeat(70000);
    const bytes = encodeRow(types2, [big, 3, 'tail']);
    expect(decodeRow(types2, bytes)).to.deep.equal([big, 3, 'tail']);
    expect(decodeColumn(types2, bytes, 2)).to.equal('tail');
  });
});
