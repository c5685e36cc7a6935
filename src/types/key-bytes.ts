// Building blocks of the order-preserving key encoding: every value's encoding is prefix-free
// (self-delimiting), so concatenated columns compare column by column under memcmp and a
// column can be inverted byte-wise for DESC.
import type { KeyReader, KeyWriter } from './api.js';
import { assert } from '../util/assert.js';
import { SqlError, SqlState } from '../util/errors.js';

export class KeyBuffer implements KeyWriter {
  buffer: Uint8Array;
  length = 0;

  constructor(capacity = 64) {
    this.buffer = new Uint8Array(capacity);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  /** Flips every byte written since `start` (DESC columns). */
  invertFrom(start: number): void {
    for (let i = start; i < this.length; i++) this.buffer[i] = ~this.buffer[i]! & 0xff;
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export function readByte(input: KeyReader): number {
  assert(input.offset < input.buffer.length, 'key truncated');
  return input.buffer[input.offset++]!;
}

export function readBytes(input: KeyReader, count: number): Uint8Array {
  assert(input.offset + count <= input.buffer.length, 'key truncated');
  const data = input.buffer.subarray(input.offset, input.offset + count);
  input.offset += count;
  return data;
}

/** Variable-length bytes: 0x00 escaped as 00 FF, terminated by 00 01 (prefix-free, order-preserving). */
export function writeEscapedBytes(out: KeyWriter, data: Uint8Array): void {
  let runStart = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) {
      if (i > runStart) out.bytes(data.subarray(runStart, i));
      out.byte(0);
      out.byte(0xff);
      runStart = i + 1;
    }
  }
  if (runStart === 0) out.bytes(data);
  else if (runStart < data.length) out.bytes(data.subarray(runStart));
  out.byte(0);
  out.byte(1);
}

export function readEscapedBytes(input: KeyReader): Uint8Array {
  const { buffer } = input;
  const parts: number[] = [];
  let i = input.offset;
  for (;;) {
    assert(i < buffer.length, 'unterminated key string');
    const b = buffer[i]!;
    if (b !== 0) {
      parts.push(b);
      i++;
      continue;
    }
    const next = buffer[i + 1];
    if (next === 1) {
      i += 2;
      break;
    }
    assert(next === 0xff, 'bad key string escape');
    parts.push(0);
    i += 2;
  }
  input.offset = i;
  return Uint8Array.from(parts);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Encode(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/** Strict UTF-8 decoding: invalid input from clients is rejected (22021), not replaced. */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw invalidUtf8(bytes);
  }
}

/** PostgreSQL's report_invalid_encoding: the offending sequence as hex bytes. */
function invalidUtf8(bytes: Uint8Array): SqlError {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    let valid = length > 0 && i + length <= bytes.length;
    for (let k = 1; valid && k < length; k++) valid = (bytes[i + k]! & 0xc0) === 0x80;
    if (valid && length > 1) valid = decoderAccepts(bytes.subarray(i, i + length));
    if (!valid) {
      const shown = Array.from(bytes.subarray(i, i + Math.max(1, Math.min(length || 1, bytes.length - i))), (x) => '0x' + x.toString(16).padStart(2, '0'));
      return new SqlError(SqlState.characterNotInRepertoire, `invalid byte sequence for encoding "UTF8": ${shown.join(' ')}`);
    }
    i += length;
  }
  return new SqlError(SqlState.characterNotInRepertoire, 'invalid byte sequence for encoding "UTF8"');
}

function decoderAccepts(sequence: Uint8Array): boolean {
  try {
    decoder.decode(sequence);
    return true;
  } catch {
    return false;
  }
}

/** Decoding of bytes this process wrote itself (rows, keys): already valid UTF-8. */
export function utf8DecodeTrusted(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', start, end);
}

const scratch = new DataView(new ArrayBuffer(8));
const scratchBytes = new Uint8Array(scratch.buffer);

/** Signed integer of `width` bytes, big-endian with the sign bit flipped. */
export function writeSignedInt(out: KeyWriter, value: number | bigint, width: 2 | 4 | 8): void {
  if (width === 4) {
    const v = Number(value);
    out.byte(((v >>> 24) ^ 0x80) & 0xff);
    out.byte((v >>> 16) & 0xff);
    out.byte((v >>> 8) & 0xff);
    out.byte(v & 0xff);
    return;
  }
  if (width === 8) scratch.setBigInt64(0, BigInt(value));
  else scratch.setInt16(0, Number(value));
  scratchBytes[0]! ^= 0x80;
  for (let i = 0; i < width; i++) out.byte(scratchBytes[i]!);
}

export function readSignedInt(input: KeyReader, width: 2 | 4 | 8): number | bigint {
  const data = readBytes(input, width);
  scratchBytes.set(data);
  scratchBytes[0]! ^= 0x80;
  if (width === 8) return scratch.getBigInt64(0);
  return width === 4 ? scratch.getInt32(0) : scratch.getInt16(0);
}

/** IEEE double in PostgreSQL order: -Inf < … < -0 = 0 < … < Inf < NaN. */
export function writeFloat(out: KeyWriter, value: number): void {
  if (Number.isNaN(value)) value = NaN;
  if (value === 0) value = 0; // -0 sorts equal to 0
  scratch.setFloat64(0, value);
  if (scratchBytes[0]! & 0x80) for (let i = 0; i < 8; i++) scratchBytes[i] = ~scratchBytes[i]! & 0xff;
  else scratchBytes[0]! ^= 0x80;
  out.bytes(scratchBytes.slice(0, 8));
}

export function readFloat(input: KeyReader): number {
  const data = readBytes(input, 8);
  scratchBytes.set(data);
  if (scratchBytes[0]! & 0x80) scratchBytes[0]! ^= 0x80;
  else for (let i = 0; i < 8; i++) scratchBytes[i] = ~scratchBytes[i]! & 0xff;
  return scratch.getFloat64(0);
}

/** Byte order of UTF-8 (C collation) on JS strings: compares code points, not UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) encode code points above U+FFFF: they sort after U+E000–FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? (y >= 0xe000 ? 1 : x - y) : x >= 0xe000 ? -1 : x - y;
    return x - y;
  }
  return a.length - b.length;
}
