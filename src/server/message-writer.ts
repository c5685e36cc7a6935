// Builds backend messages into one growing buffer (pg-protocol's habit: reserve the 5-byte
// header, fill the length when the message ends) and hands them to the socket in large writes.
// Small flushes are copied out so the buffer is reused; large ones hand the buffer itself over
// (the socket keeps a reference until written) and start a fresh one.
import { assert } from '../util/assert.js';
import { limits } from '../util/limits.js';

export interface ByteSink {
  /** socket.write semantics: false means "saturated, wait for 'drain'". */
  write(chunk: Buffer): boolean;
}

const copyOutBelowBytes = 16 * 1024;

export class MessageWriter {
  private buffer: Buffer;
  private offset = 0;
  private messageStart = -1;

  constructor(private readonly initialBytes = limits.serverOutputBufferBytes) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes waiting to be flushed. */
  get pendingBytes(): number {
    return this.offset;
  }

  ensure(bytes: number): void {
    const needed = this.offset + bytes;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }

  begin(code: number): void {
    assert(this.messageStart < 0, 'a backend message is already open');
    this.ensure(5);
    this.messageStart = this.offset;
    this.buffer[this.offset] = code;
    this.offset += 5;
  }

  end(): void {
    assert(this.messageStart >= 0, 'no backend message is open');
    this.buffer.writeInt32BE(this.offset - this.messageStart - 1, this.messageStart + 1);
    this.messageStart = -1;
  }

  /** Drops a message begun but not ended (an encoder failed half-way). */
  abandon(): void {
    if (this.messageStart < 0) return;
    this.offset = this.messageStart;
    this.messageStart = -1;
  }

  int8(value: number): void {
    this.ensure(1);
    this.buffer[this.offset++] = value;
  }

  int16(value: number): void {
    this.ensure(2);
    this.offset = this.buffer.writeInt16BE(value, this.offset);
  }

  int32(value: number): void {
    this.ensure(4);
    this.offset = this.buffer.writeInt32BE(value, this.offset);
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(value: string): void {
    this.ensure(value.length * 3 + 1);
    this.offset += this.buffer.write(value, this.offset, 'utf8');
    this.buffer[this.offset++] = 0;
  }

  bytes(value: Uint8Array): void {
    const length = value.length;
    this.ensure(length);
    if (length < 16) {
      const buffer = this.buffer;
      let offset = this.offset;
      for (let index = 0; index < length; index++) buffer[offset++] = value[index]!;
      this.offset = offset;
    } else {
      this.buffer.set(value, this.offset);
      this.offset += length;
    }
  }

  /** DataRow ('D'): the hot path, one bounds check for the whole row. */
  dataRow(values: ReadonlyArray<Uint8Array | null>): void {
    const count = values.length;
    let size = 7 + count * 4;
    for (let index = 0; index < count; index++) {
      const value = values[index];
      if (value !== null && value !== undefined) size += value.length;
    }
    this.ensure(size);
    const buffer = this.buffer;
    let offset = this.offset;
    buffer[offset] = 0x44;
    buffer.writeInt32BE(size - 1, offset + 1);
    buffer.writeInt16BE(count, offset + 5);
    offset += 7;
    for (let index = 0; index < count; index++) {
      const value = values[index];
      if (value === null || value === undefined) {
        buffer.writeInt32BE(-1, offset);
        offset += 4;
        continue;
      }
      const length = value.length;
      buffer.writeInt32BE(length, offset);
      offset += 4;
      if (length < 16) {
        for (let byte = 0; byte < length; byte++) buffer[offset++] = value[byte]!;
      } else {
        buffer.set(value, offset);
        offset += length;
      }
    }
    this.offset = offset;
  }

  /** A whole message with a prebuilt payload (CopyData chunks, cached descriptions). */
  message(code: number, payload: Uint8Array): void {
    this.begin(code);
    this.bytes(payload);
    this.end();
  }

  /** Hands everything written so far to `sink`; returns sink.write's answer (true when empty). */
  flush(sink: ByteSink): boolean {
    assert(this.messageStart < 0, 'flush inside an open backend message');
    if (this.offset === 0) return true;
    let chunk: Buffer;
    if (this.offset < copyOutBelowBytes) {
      chunk = Buffer.allocUnsafe(this.offset);
      this.buffer.copy(chunk, 0, 0, this.offset);
    } else {
      chunk = this.buffer.subarray(0, this.offset);
      this.buffer = Buffer.allocUnsafe(this.initialBytes);
    }
    this.offset = 0;
    return sink.write(chunk);
  }

  /** Forgets unflushed output (the connection is gone). */
  discard(): void {
    this.offset = 0;
    this.messageStart = -1;
  }
}
