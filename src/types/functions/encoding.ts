// encode/decode (bytea ↔ text in hex, base64 and escape formats, encode.c), overlay, normalize.
import { SqlState } from '../../util/errors.js';
import { defineFunction, sqlError } from './define.js';
import { Oid } from './oids.js';
import { substringByPosition } from './strings.js';
import { characterLength } from './text-util.js';

const { bytea, text, int4 } = Oid;

function unrecognized(format: string): never {
  throw sqlError(SqlState.invalidParameterValue, `unrecognized encoding: "${format}"`);
}

/** base64 as PostgreSQL writes it: a newline after every 76 output characters. */
function base64Lines(data: Uint8Array): string {
  const encoded = Buffer.from(data).toString('base64');
  return encoded.replace(/.{76}(?=.)/g, (line) => line + '\n');
}

function escapeEncode(data: Uint8Array): string {
  let out = '';
  for (const byte of data) {
    if (byte === 0x5c) out += '\\\\';
    else if (byte === 0 || byte >= 0x80) out += '\\' + byte.toString(8).padStart(3, '0');
    else out += String.fromCharCode(byte);
  }
  return out;
}

export function encode(data: Uint8Array, format: string): string {
  switch (format.toLowerCase()) {
    case 'hex':
      return Buffer.from(data).toString('hex');
    case 'base64':
      return base64Lines(data);
    case 'escape':
      return escapeEncode(data);
    default:
      return unrecognized(format);
  }
}

function hexDecode(input: string): Uint8Array {
  const bytes: number[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    const high = parseInt(c, 16);
    if (!/[0-9a-fA-F]/.test(c)) throw sqlError(SqlState.invalidParameterValue, `invalid hexadecimal digit: "${c}"`);
    const d = input[i + 1];
    if (d === undefined) throw sqlError(SqlState.invalidParameterValue, 'invalid hexadecimal data: odd number of digits');
    if (!/[0-9a-fA-F]/.test(d)) throw sqlError(SqlState.invalidParameterValue, `invalid hexadecimal digit: "${d}"`);
    bytes.push(high * 16 + parseInt(d, 16));
    i += 2;
  }
  return new Uint8Array(bytes);
}

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** pg_base64_decode: whitespace ignored; '=' may only end a quantum of 2 or 3 symbols. */
function base64Decode(input: string): Uint8Array {
  const bytes: number[] = [];
  let buffer = 0;
  let position = 0;
  let end = 0;
  for (const c of input) {
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    let value: number;
    if (c === '=') {
      if (end === 0) {
        if (position === 2) end = 1;
        else if (position === 3) end = 2;
        else throw sqlError(SqlState.invalidParameterValue, 'unexpected "=" while decoding base64 sequence');
      }
      value = 0;
    } else {
      value = base64Alphabet.indexOf(c);
      if (value < 0) throw sqlError(SqlState.invalidParameterValue, `invalid symbol "${c}" found while decoding base64 sequence`);
    }
    buffer = (buffer << 6) + value;
    position++;
    if (position === 4) {
      bytes.push((buffer >> 16) & 255);
      if (end === 0 || end > 1) bytes.push((buffer >> 8) & 255);
      if (end === 0 || end > 2) bytes.push(buffer & 255);
      buffer = 0;
      position = 0;
    }
  }
  if (position !== 0) {
    throw sqlError(SqlState.invalidParameterValue, 'invalid base64 end sequence', { hint: 'Input data is missing padding, is truncated, or is otherwise corrupted.' });
  }
  return new Uint8Array(bytes);
}

function escapeDecode(input: string): Uint8Array {
  const bytes: number[] = [];
  const source = Buffer.from(input, 'utf8');
  for (let i = 0; i < source.length; i++) {
    const byte = source[i]!;
    if (byte !== 0x5c) {
      bytes.push(byte);
      continue;
    }
    if (source[i + 1] === 0x5c) {
      bytes.push(0x5c);
      i++;
      continue;
    }
    const octal = source.subarray(i + 1, i + 4).toString('latin1');
    if (/^[0-3][0-7][0-7]$/.test(octal)) {
      bytes.push(parseInt(octal, 8));
      i += 3;
      continue;
    }
    throw sqlError(SqlState.invalidTextRepresentation, 'invalid input syntax for type bytea');
  }
  return new Uint8Array(bytes);
}

export function decode(input: string, format: string): Uint8Array {
  switch (format.toLowerCase()) {
    case 'hex':
      return hexDecode(input);
    case 'base64':
      return base64Decode(input);
    case 'escape':
      return escapeDecode(input);
    default:
      return unrecognized(format);
  }
}

defineFunction('encode', [bytea, text], text, ([d, f]) => encode(d as Uint8Array, f as string));
defineFunction('decode', [text, text], bytea, ([s, f]) => decode(s as string, f as string));

/** overlay(s placing r from n [for m]) = substring(s, 1, n-1) || r || substring(s, n+m). */
function overlay(value: string, replacement: string, from: number, count: number): string {
  if (from <= 0) throw sqlError('22011', 'negative substring length not allowed');
  return substringByPosition(value, 1, from - 1) + replacement + substringByPosition(value, from + count, undefined);
}
defineFunction('overlay', [text, text, int4, int4], text, ([s, r, from, count]) => overlay(s as string, r as string, from as number, count as number));
defineFunction('overlay', [text, text, int4], text, ([s, r, from]) => overlay(s as string, r as string, from as number, characterLength(r as string)));

const normalForms = new Set(['NFC', 'NFD', 'NFKC', 'NFKD']);
function normalForm(form: string): 'NFC' | 'NFD' | 'NFKC' | 'NFKD' {
  const upper = form.toUpperCase();
  if (!normalForms.has(upper)) throw sqlError(SqlState.invalidParameterValue, `invalid normalization form: ${form}`);
  return upper as 'NFC' | 'NFD' | 'NFKC' | 'NFKD';
}
defineFunction('normalize', [text], text, ([s]) => (s as string).normalize('NFC'));
defineFunction('normalize', [text, text], text, ([s, f]) => (s as string).normalize(normalForm(f as string)));
defineFunction('is_normalized', [text], Oid.bool, ([s]) => (s as string).normalize('NFC') === s);
defineFunction('is_normalized', [text, text], Oid.bool, ([s, f]) => (s as string).normalize(normalForm(f as string)) === s);
