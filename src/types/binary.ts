// Big-endian helpers for PostgreSQL's binary wire formats (typsend/typreceive).
import { invalidBinary } from './errors.js';

export function viewOf(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

export function expectLength(data: Uint8Array, length: number, typeName: string): DataView {
  if (data.length !== length) throw invalidBinary(`incorrect binary data format for type ${typeName}`);
  return viewOf(data);
}

export function fixedBytes(length: number, fill: (view: DataView) => void): Uint8Array {
  const data = new Uint8Array(length);
  fill(new DataView(data.buffer));
  return data;
}

/** Sequential reader used by composite binary formats (numeric, arrays). */
export class BinaryReader {
  private readonly view: DataView;
  offset = 0;
  constructor(readonly data: Uint8Array) {
    this.view = viewOf(data);
  }
  private need(count: number): void {
    if (this.offset + count > this.data.length) throw invalidBinary('insufficient data left in message');
  }
  int16(): number {
    this.need(2);
    const v = this.view.getInt16(this.offset);
    this.offset += 2;
    return v;
  }
  uint16(): number {
    this.need(2);
    const v = this.view.getUint16(this.offset);
    this.offset += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.view.getInt32(this.offset);
    this.offset += 4;
    return v;
  }
  uint32(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset);
    this.offset += 4;
    return v;
  }
  int64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.offset);
    this.offset += 8;
    return v;
  }
  bytes(count: number): Uint8Array {
    this.need(count);
    const v = this.data.subarray(this.offset, this.offset + count);
    this.offset += count;
    return v;
  }
  atEnd(): boolean {
    return this.offset === this.data.length;
  }
}

/** Growable writer for composite binary formats. */
export class BinaryWriter {
  private buffer = new Uint8Array(64);
  private view = new DataView(this.buffer.buffer);
  length = 0;
  private reserve(count: number): void {
    if (this.length + count <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + count));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
  int16(v: number): this {
    this.reserve(2);
    this.view.setInt16(this.length, v);
    this.length += 2;
    return this;
  }
  uint16(v: number): this {
    this.reserve(2);
    this.view.setUint16(this.length, v);
    this.length += 2;
    return this;
  }
  int32(v: number): this {
    this.reserve(4);
    this.view.setInt32(this.length, v);
    this.length += 4;
    return this;
  }
  uint32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, v);
    this.length += 4;
    return this;
  }
  int64(v: bigint): this {
    this.reserve(8);
    this.view.setBigInt64(this.length, v);
    this.length += 8;
    return this;
  }
  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }
  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
