// Unit tests of the codec: the reader frames any split of a message stream exactly as it was
// serialized (pg-protocol as the reference), the writer's output parses with pg-protocol.
import { expect } from 'chai';
import { serialize } from 'pg-protocol';
import { Parser } from 'pg-protocol/dist/parser.js';
import { MessageReader, MessageWriter, type FrontendMessage } from '../../src/server/index.js';
import { commandComplete, readyForQuery, rowDescription } from '../../src/server/backend-messages.js';

function frameAll(reader: MessageReader, chunks: Buffer[]): Array<{ code: number; payload: string }> {
  const out: FrontendMessage[] = [];
  for (const chunk of chunks) reader.push(chunk, out);
  return out.map((message) => ({ code: message.code, payload: message.buffer.subarray(message.start, message.end).toString('hex') }));
}

function typedReader(): MessageReader {
  const reader = new MessageReader(1 << 20);
  reader.enterTypedMode();
  return reader;
}

describe('codec', () => {
  const stream = Buffer.concat([
    serialize.query('select 1'),
    serialize.sync(),
    serialize.parse({ name: 'a', text: 'select $1', types: [23] }),
    serialize.bind({ values: ['x'.repeat(300)] }),
    serialize.execute({ rows: 5 }),
    serialize.flush(),
  ]);
  const expected = frameAll(typedReader(), [stream]);

  it('frames a whole stream in one chunk', () => {
    expect(expected.map((message) => String.fromCharCode(message.code))).to.deep.equal(['Q', 'S', 'P', 'B', 'E', 'H']);
    expect(Buffer.from(expected[0]!.payload, 'hex').toString()).to.equal('select 1\0');
  });

  it('frames identically for every two-way split, including inside headers', () => {
    for (let at = 1; at < stream.length; at++) {
      expect(frameAll(typedReader(), [stream.subarray(0, at), stream.subarray(at)]), `split at ${at}`).to.deep.equal(expected);
    }
  });

  it('frames identically when fed byte by byte and in random pieces', () => {
    const bytes = Array.from(stream, (byte) => Buffer.from([byte]));
    expect(frameAll(typedReader(), bytes)).to.deep.equal(expected);
    for (let round = 0; round < 200; round++) {
      const pieces: Buffer[] = [];
      for (let position = 0; position < stream.length; ) {
        const size = 1 + Math.floor(Math.random() * 40);
        pieces.push(stream.subarray(position, position + size));
        position += size;
      }
      expect(frameAll(typedReader(), pieces)).to.deep.equal(expected);
    }
  });

  it('frames one start-up packet at a time and keeps the rest until resumed', () => {
    const reader = new MessageReader(10_000);
    const out: FrontendMessage[] = [];
    reader.push(Buffer.concat([serialize.startup({ user: 'u' }), serialize.query('select 1')]), out);
    expect(out).to.have.length(1);
    expect(out[0]!.code).to.equal(0);
    expect(reader.hasBufferedBytes()).to.equal(true);
    reader.enterTypedMode();
    reader.resume(out);
    expect(out).to.have.length(2);
    expect(String.fromCharCode(out[1]!.code)).to.equal('Q');
    expect(reader.hasBufferedBytes()).to.equal(false);
  });

  it('rejects lengths below 4 (08P01) and above the limit (54000) from the header alone', () => {
    const reader = typedReader();
    expect(() => reader.push(Buffer.from([0x51, 0, 0, 0, 3]), [])).to.throw().with.property('code', '08P01');
    const small = new MessageReader(100);
    small.enterTypedMode();
    expect(() => small.push(Buffer.from([0x51, 0, 0, 1, 0]), [])).to.throw().with.property('code', '54000');
    expect(() => new MessageReader(100).push(Buffer.from([0, 0, 0, 4]), [])).to.throw().with.property('code', '08P01');
  });

  it('writes messages that pg-protocol parses: DataRow with NULLs, small and large values', () => {
    const writer = new MessageWriter(16);
    rowDescription(writer, [{ name: 'a', tableOid: 0, columnAttributeNumber: 0, typeOid: 25, typeSize: -1, typeModifier: -1, format: 0 }]);
    const large = Buffer.alloc(100_000, 0x61);
    writer.dataRow([Buffer.from('hi'), null, large, new Uint8Array(0)]);
    commandComplete(writer, 'SELECT 1');
    readyForQuery(writer, 'T');
    const written: Buffer[] = [];
    expect(writer.flush({ write: (chunk) => (written.push(chunk), true) })).to.equal(true);
    expect(writer.pendingBytes).to.equal(0);
    const parsed: any[] = [];
    new Parser().parse(Buffer.concat(written), (message) => parsed.push(message));
    expect(parsed.map((message) => message.name)).to.deep.equal(['rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
    expect(parsed[1].fields[0]).to.equal('hi');
    expect(parsed[1].fields[1]).to.equal(null);
    expect(parsed[1].fields[2]).to.have.length(100_000);
    expect(parsed[1].fields[3]).to.equal('');
    expect(parsed[3].status).to.equal('T');
  });

  it('hands large flushes to the sink without copying and never reuses a handed-off buffer', () => {
    const writer = new MessageWriter(1024);
    const chunks: Buffer[] = [];
    const sink = { write: (chunk: Buffer) => (chunks.push(chunk), false) };
    for (let index = 0; index < 1000; index++) writer.dataRow([Buffer.alloc(40, index % 256)]);
    expect(writer.flush(sink)).to.equal(false);
    const snapshot = Buffer.from(chunks[0]!);
    for (let index = 0; index < 1000; index++) writer.dataRow([Buffer.alloc(40, 7)]);
    writer.flush(sink);
    expect(chunks[0]!.equals(snapshot)).to.equal(true);
  });
});
