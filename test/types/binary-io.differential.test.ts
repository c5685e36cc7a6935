// Binary wire format (typsend/typreceive) of every type compared with PostgreSQL 15: our
// encodeBinary equals PostgreSQL's send bytes, and decodeBinary of PostgreSQL's bytes prints
// as PostgreSQL prints the value.
import { expect } from 'chai';
import { defaultFormatSettings, typeByName } from '../../src/types/index.js';
import { type PgOracle, oracleOrSkip, quote } from './pg-oracle.js';
import { textInputCases } from './text-io.differential.test.js';

export const binaryExtraCases: Record<string, string[]> = {
  numeric: ['0', '0.0001', '1', '10000', '12345.6789', '-98765432109876543210.0000001', '1e-20', '1e30', '0.10', 'NaN', 'Infinity', '-Infinity'],
  'int8[]': ['{{1,2,3},{4,5,6}}', '[-2:-1]={7,8}'],
  'numeric[]': ['{}', '{1.5,NULL}'],
};

describe('types: binary I/O matches PostgreSQL 15', function () {
  let oracle: PgOracle | undefined;
  before(async function () {
    oracle = await oracleOrSkip(this);
  });

  const allCases = new Map<string, string[]>();
  for (const [name, literals] of [...Object.entries(textInputCases), ...Object.entries(binaryExtraCases)]) {
    allCases.set(name, [...(allCases.get(name) ?? []), ...literals]);
  }

  for (const [typeName, literals] of allCases) {
    it(`${typeName}: send and receive`, async () => {
      const type = typeByName(typeName)!;
      const sendFunction = (
        await oracle!.client.query('SELECT typsend::text AS f FROM pg_type WHERE oid = $1', [type.oid])
      ).rows[0].f as string;
      const statements = literals.flatMap((l) => [
        `SELECT encode(${sendFunction}(${quote(l)}::${typeName}), 'hex')`,
        `SELECT format('%s', ${quote(l)}::${typeName})`,
      ]);
      const results = await oracle!.evaluate(statements);
      const mismatches: unknown[] = [];
      literals.forEach((literal, i) => {
        const sent = results[2 * i]!;
        const printed = results[2 * i + 1]!;
        if (!sent.startsWith('OK:')) return; // invalid input: covered by the text I/O test
        const value = type.parseText(literal, -1, defaultFormatSettings);
        const ours = Buffer.from(type.encodeBinary(value)).toString('hex');
        if (`OK:${ours}` !== sent) mismatches.push({ literal, postgres: sent, cambium: ours });
        const received = type.decodeBinary(Buffer.from(sent.slice(3), 'hex'), -1);
        const reprinted = 'OK:' + type.formatText(received, defaultFormatSettings);
        if (reprinted !== printed) mismatches.push({ literal, receive: true, postgres: printed, cambium: reprinted });
      });
      expect(mismatches).to.deep.equal([]);
    });
  }
});
