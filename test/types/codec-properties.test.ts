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
  keyRange,
  makeArray,
  typeByName,
  defaultFormatSettings,
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
  ['date', fc.oneof(fc.integer({ min: -2451545, max: 2147483494 - 2451545 - 1 }), fc.constantFrom(Infinity, -Infinity))],
  ['time', fc.bigInt({ min: 0n, max: 86_400_000_000n })],
  ['timetz', fc.record({ micros: fc.bigInt({ min: 0n, max: 86_400_000_000n }), offsetSeconds: fc.integer({ min: -57599, max: 57599 }) })],
  ['timestamp', fc.bigInt({ min: -211813488000000000n, max: 9223371331200000000n - 1n })],
  ['timestamptz', fc.oneof(fc.bigInt({ min: -211813488000000000n, max: 9223371331200000000n - 1n }), fc.constantFrom(2n ** 63n - 1n, -(2n ** 63n)))],
  ['interval', fc.record({ months: fc.integer(), days: fc.integer(), micros: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) })],
  ['uuid', fc.uuid()],
  ['jsonb', fc.jsonValue({ maxDepth: 3 }).map((v) => jsonbType.parseText(JSON.stringify(v) ?? 'null', -1, defaultFormatSettings))],
  ['text[]', fc.array(fc.option(fc.string(), { nil: null }), { maxLength: 4 }).map((e) => makeArray(e))],
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

const jsonbType = typeByName('jsonb')!;

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

describe('types: keyRange covers exactly the rows a bounded predicate selects', () => {
  it('prefix equality plus a range on the next column, ASC and DESC, NULLs excluded by bounds', () => {
    const types = [typeByName('int4')!, typeByName('text')!, typeByName('int8')!];
    const row = fc.tuple(
      fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
      fc.option(fc.constantFrom('', 'a', 'ab', 'b', 'c'), { nil: null }),
      fc.option(fc.bigInt({ min: -3n, max: 3n }), { nil: null }),
    );
    const bound = fc.option(fc.record({ value: fc.constantFrom('', 'a', 'ab', 'b', 'bb', 'c'), inclusive: fc.boolean() }), { nil: undefined });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 25 }), fc.integer({ min: 0, max: 2 }), bound, bound, fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        (rows, prefixValue, lower, upper, descending) => {
          const range = keyRange(types, [prefixValue], { ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) }, descending);
          for (const r of rows) {
            const key = encodeKey(types, r, descending);
            const inRange = compareKeys(key, range.lower) >= 0 && (range.upper === undefined || compareKeys(key, range.upper) < 0);
            const text = r[1];
            let expected = r[0] === prefixValue;
            if (expected && (lower || upper)) {
              expected = text !== null &&
                (!lower || (lower.inclusive ? text >= lower.value : text > lower.value)) &&
                (!upper || (upper.inclusive ? text <= upper.value : text < upper.value));
            }
            expect(inRange, JSON.stringify({ r: r.map(String), prefixValue, lower, upper, descending })).to.equal(expected);
          }
        }),
      { numRuns: 400 },
    );
  });
});

describe('types: hash agrees with compare()', () => {
  it('equal values hash equal (numeric scales, bpchar padding, interval spans, jsonb numbers)', () => {
    const pairs: Array<[string, string, string]> = [
      ['numeric', '1.0', '1.000'],
      ['numeric', '-0.50', '-0.5'],
      ['numeric', '100', '1e2'],
      ['bpchar', 'ab', 'ab   '],
      ['interval', '1 mon', '30 days'],
      ['interval', '1 day', '24:00:00'],
      ['jsonb', '{"a": 1.0}', '{"a": 1}'],
      ['float8', '0', '-0'],
      ['timetz', '12:00+02', '12:00+02'],
    ];
    for (const [name, a, b] of pairs) {
      const type = typeByName(name)!;
      const x = type.parseText(a, -1, defaultFormatSettings);
      const y = type.parseText(b, -1, defaultFormatSettings);
      expect(type.compare(x, y), `${name} ${a} = ${b}`).to.equal(0);
      expect(type.hash(x), `${name} hash ${a} = ${b}`).to.equal(type.hash(y));
    }
  });

  for (const [name, arbitrary] of scalarCases) {
    it(`${name}: compare() = 0 implies equal hashes and equal keys`, () => {
      const type = typeByName(name)!;
      fc.assert(
        fc.property(arbitrary, arbitrary, (a, b) => {
          if (type.compare(a, b) !== 0) return;
          expect(type.hash(a)).to.equal(type.hash(b));
          expect(compareKeys(encodeKey([type], [a]), encodeKey([type], [b]))).to.equal(0);
        }),
        { numRuns: 100 },
      );
    });
  }
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
