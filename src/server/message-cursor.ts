// Reads the fields of one frontend message payload. Every read is bounds-checked: a field that
// runs past the message end is a protocol violation (08P01), never an out-of-range read.
import { isUtf8 } from 'node:buffer';
import { SqlError, SqlState } from '../util/errors.js';
import type { FrontendMessage } from './message-reader.js';

export function malformed(what: string): SqlError {
  return new SqlError(SqlState.protocolViolation, `invalid frontend message: ${what}`, { severity: 'FATAL' });
}

export class MessageCursor {
  buffer: Buffer = Buffer.alloc(0);
  position = 0;
  end = 0;

  /** Reuses one cursor across messages (no allocation per message). */
  reset(message: FrontendMessage): this {
    this.buffer = message.buffer;
    this.position = message.start;
    this.end = message.end;
    return this;
  }

  remaining(): number {
    return this.end - this.position;
  }

  int8(): number {
    if (this.position + 1 > this.end) throw malformed('message too short');
    return this.buffer[this.position++]!;
  }

  int16(): number {
    if (this.position + 2 > this.end) throw malformed('message too short');
    const value = this.buffer.readInt16BE(this.position);
    this.position += 2;
    return value;
  }

  int32(): number {
    if (this.position + 4 > this.end) throw malformed('message too short');
    const value = this.buffer.readInt32BE(this.position);
    this.position += 4;
    return value;
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const terminator = this.buffer.indexOf(0, this.position);
    if (terminator < 0 || terminator >= this.end) throw malformed('unterminated string');
    const value = this.buffer.toString('utf8', this.position, terminator);
    // A replacement character means either a real U+FFFD or bytes that are not UTF-8.
    if (value.includes('\ufffd') && !isUtf8(this.buffer.subarray(this.position, terminator))) {
      this.position = terminator + 1;
      throw new SqlError(SqlState.characterNotInRepertoire, 'invalid byte sequence for encoding "UTF8"');
    }
    this.position = terminator + 1;
    return value;
  }

  /** `length` raw bytes as a view into the message (no copy). */
  bytes(length: number): Buffer {
    if (length < 0 || this.position + length > this.end) throw malformed('field runs past the message end');
    const value = this.buffer.subarray(this.position, this.position + length);
    this.position += length;
    return value;
  }

  rest(): Buffer {
    return this.bytes(this.end - this.position);
  }

  /** The message must be fully consumed (PostgreSQL's pq_getmsgend). */
  expectEnd(): void {
    if (this.position !== this.end) throw malformed('invalid message format');
  }
}
