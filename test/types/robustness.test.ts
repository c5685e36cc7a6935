// Bad input never crashes: random text into every type's input function and random bytes into
// every binary receive function either yield a value that prints, or a SqlError with a SQLSTATE.
import { expect } from 'chai';
import fc from 'fast-check';
import { allTypes, defaultFormatSettings } from '../../src/types/index.js';
import { isSqlError } from '../../src/util/errors.js';

function expectValueOrSqlError(run: () => unknown, label: string): void {
  try {
    run();
  } catch (error) {
    if (!isSqlError(error)) throw new Error(`${label}: ${String(error)}`);
    expect(error.code, label).to.match(/^[0-9A-Z]{5}$/);
  }
}

describe('types: bad input gives SqlErrors, never crashes', () => {
  const types = [...allTypes()];
  const interesting = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom('', ' ', '{', '}', '{{1},{2,3}}', '[1:0]={}', '\\x1', 'P', '@', '1e99999', '-', 'NaN', 'infinity', '2000-13-45',
      '24:00:01', '{"a":', '[[[[', '\\u0000', '99999999999999999999999', '1 2 3', '--1', 'T', '{"\\ud800"}', 'epoch 10:00', 'allballs'),
  );

  it('input functions of every type', () => {
    fc.assert(
      fc.property(interesting, (text) => {
        for (const type of types) {
          expectValueOrSqlError(() => type.formatText(type.parseText(text, -1, defaultFormatSettings), defaultFormatSettings), `${type.name} ← ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('binary receive functions of every type', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        for (const type of types) {
          expectValueOrSqlError(() => type.formatText(type.decodeBinary(bytes, -1), defaultFormatSettings), `${type.name} ← ${Buffer.from(bytes).toString('hex')}`);
        }
      }),
      { numRuns: 150 },
    );
  });
});
