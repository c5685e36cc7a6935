// Frames frontend messages out of TCP chunks: many messages per chunk, messages split across
// chunks (even inside the 5-byte header), without concatenating chunks. A message that fits in
// its chunk is returned as a view (buffer, start, end) into that chunk, allocation-free apart
// from the small message object; a split one is assembled once into a buffer of its exact size.
import { SqlError, SqlState } from '../util/errors.js';

/** One frontend message; its payload (after type byte and length) is buffer[start, end). */
export interface FrontendMessage {
  /** The type byte; 0 for the untyped start-up packets (StartupMessage, SSLRequest, …). */
  readonly code: number;
  readonly buffer: Buffer;
  readonly start: number;
  readonly end: number;
}

const emptyBuffer = Buffer.alloc(0);

export class MessageReader {
  /** Untyped start-up packets (length first, no type byte) until the StartupMessage is accepted. */
  private startupMode = true;
  private maxMessageBytes: number;
  /** Header bytes collected so far when a chunk ended inside a header. */
  private readonly header = Buffer.alloc(5);
  private headerFilled = 0;
  /** The message being assembled across chunks (type byte and length included). */
  private partial: Buffer | null = null;
  private partialFilled = 0;
  /** In start-up mode, bytes after the first packet wait here until the mode is decided. */
  private leftover: Buffer | null = null;

  constructor(maxMessageBytes: number) {
    this.maxMessageBytes = maxMessageBytes;
  }

  setMaxMessageBytes(bytes: number): void {
    this.maxMessageBytes = bytes;
  }

  /** After the StartupMessage: every later message carries a type byte. */
  enterTypedMode(): void {
    this.startupMode = false;
  }

  /** Bytes received but not yet framed (e.g. after an SSLRequest, before the TLS handshake). */
  hasBufferedBytes(): boolean {
    return this.leftover !== null || this.headerFilled > 0 || this.partial !== null;
  }

  /**
   * Frames what `chunk` completes and appends the messages to `out`. In start-up mode at most
   * one packet is framed; the rest waits for `resume()`. Throws SqlError (08P01, 54000) for an
   * invalid length; the connection must then close.
   */
  push(chunk: Buffer, out: FrontendMessage[]): void {
    if (this.leftover !== null) {
      const earlier = this.leftover;
      this.leftover = null;
      chunk = chunk.length === 0 ? earlier : Buffer.concat([earlier, chunk]);
    }
    let position = 0;
    const headerSize = this.startupMode ? 4 : 5;
    if (this.partial !== null) {
      position = this.continuePartial(chunk, out);
      if (this.partial !== null) return;
      if (this.startupMode) return this.keepLeftover(chunk, position);
    } else if (this.headerFilled > 0) {
      const take = Math.min(headerSize - this.headerFilled, chunk.length);
      chunk.copy(this.header, this.headerFilled, 0, take);
      this.headerFilled += take;
      position = take;
      if (this.headerFilled < headerSize) return;
      this.headerFilled = 0;
      const total = this.messageTotalBytes(this.header, 0);
      this.partial = Buffer.allocUnsafe(total);
      this.header.copy(this.partial, 0, 0, headerSize);
      this.partialFilled = headerSize;
      position = this.continuePartial(chunk, out, position);
      if (this.partial !== null) return;
      if (this.startupMode) return this.keepLeftover(chunk, position);
    }
    const length = chunk.length;
    while (position < length) {
      const available = length - position;
      if (available < headerSize) {
        chunk.copy(this.header, 0, position, length);
        this.headerFilled = available;
        return;
      }
      const total = this.messageTotalBytes(chunk, position);
      if (available < total) {
        this.partial = Buffer.allocUnsafe(total);
        chunk.copy(this.partial, 0, position, length);
        this.partialFilled = available;
        return;
      }
      out.push({ code: this.startupMode ? 0 : chunk[position]!, buffer: chunk, start: position + headerSize, end: position + total });
      position += total;
      if (this.startupMode) return this.keepLeftover(chunk, position);
    }
  }

  /** Frames bytes kept back in start-up mode (after the caller changed the mode). */
  resume(out: FrontendMessage[]): void {
    if (this.leftover !== null) this.push(emptyBuffer, out);
  }

  private keepLeftover(chunk: Buffer, position: number): void {
    if (position < chunk.length) this.leftover = chunk.subarray(position);
  }

  private continuePartial(chunk: Buffer, out: FrontendMessage[], from = 0): number {
    const partial = this.partial!;
    const take = Math.min(partial.length - this.partialFilled, chunk.length - from);
    chunk.copy(partial, this.partialFilled, from, from + take);
    this.partialFilled += take;
    if (this.partialFilled < partial.length) return from + take;
    this.partial = null;
    const headerSize = this.startupMode ? 4 : 5;
    out.push({ code: this.startupMode ? 0 : partial[0]!, buffer: partial, start: headerSize, end: partial.length });
    return from + take;
  }

  /** Validates the length field at `at` and returns the whole message size in bytes. */
  private messageTotalBytes(source: Buffer, at: number): number {
    const typeBytes = this.startupMode ? 0 : 1;
    const declared = source.readInt32BE(at + typeBytes);
    const minimum = this.startupMode ? 8 : 4;
    if (declared < minimum) {
      throw new SqlError(SqlState.protocolViolation, 'invalid message length', { severity: 'FATAL' });
    }
    if (declared > this.maxMessageBytes) {
      const what = this.startupMode ? 'startup packet' : `message of type "${printableType(source[at]!)}"`;
      throw new SqlError(
        SqlState.programLimitExceeded,
        `${what} of ${declared} bytes exceeds the limit of ${this.maxMessageBytes} bytes`,
        { severity: 'FATAL' },
      );
    }
    return typeBytes + declared;
  }
}

export function printableType(code: number): string {
  return code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : `0x${code.toString(16).padStart(2, '0')}`;
}
