// uuid: input accepts upper/lower case, braces and hyphens after any group of four digits
// (uuid_in); output is the lowercase canonical form; binary and keys are the 16 bytes.
import type { KeyReader, KeyWriter, PgType, Value } from './api.js';
import { expectLength } from './binary.js';
import { invalidInput } from './errors.js';
import { hashString } from './hash.js';
import { readBytes } from './key-bytes.js';
import { TypeOid } from './oids.js';

export function parseUuid(text: string): string {
  let body = text;
  const braced = body.startsWith('{');
  if (braced) {
    if (!body.endsWith('}')) throw invalidInput('uuid', text);
    body = body.slice(1, -1);
  }
  let hex = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '-') {
      // a hyphen may follow any complete group of four digits, but not start or end the value
      if (hex.length === 0 || hex.length % 4 !== 0 || i === body.length - 1 || body[i + 1] === '-') throw invalidInput('uuid', text);
      continue;
    }
    if (!/[0-9a-fA-F]/.test(c)) throw invalidInput('uuid', text);
    hex += c.toLowerCase();
  }
  if (hex.length !== 32) throw invalidInput('uuid', text);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function uuidBytes(value: string): Uint8Array {
  return Uint8Array.from(Buffer.from(value.replace(/-/g, ''), 'hex'));
}

function uuidFromBytes(data: Uint8Array): string {
  const hex = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const uuidType: PgType = {
  oid: TypeOid.uuid,
  name: 'uuid',
  length: 16,
  category: 'U',
  preferred: false,
  arrayOid: TypeOid._uuid,
  parseText: (text: string) => parseUuid(text),
  formatText: (value: Value) => value as string,
  decodeBinary: (data: Uint8Array) => {
    expectLength(data, 16, 'uuid');
    return uuidFromBytes(data);
  },
  encodeBinary: (value: Value) => uuidBytes(value as string),
  applyTypmod: (value: Value) => value,
  compare: (a: Value, b: Value) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0),
  hash: (value: Value) => hashString(value as string),
  encodeKey: (value: Value, out: KeyWriter) => out.bytes(uuidBytes(value as string)),
  decodeKey: (input: KeyReader) => uuidFromBytes(readBytes(input, 16)),
};
