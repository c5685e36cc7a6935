// Manual measurement aid (not a test): the codec's own cost per message, without sockets.
//   node dist/test/server/measure-codec.js
// Frames pgbench's `-M prepared` request batch (Bind, Describe portal, Execute, Sync) and
// encodes its answer (BindComplete, RowDescription, DataRow, CommandComplete, ReadyForQuery).
import { serialize } from 'pg-protocol';
import { MessageReader, MessageWriter, type FrontendMessage } from '../../src/server/index.js';
import { BackendCode, commandComplete, empty, readyForQuery, rowDescription } from '../../src/server/backend-messages.js';
import { MessageCursor } from '../../src/server/message-cursor.js';

const batch = Buffer.concat([
  serialize.bind({ statement: 'P_0', values: ['12345'] }),
  serialize.describe({ type: 'P' }),
  serialize.execute({}),
  serialize.sync(),
]);
const rounds = 1_000_000;
const reader = new MessageReader(1 << 30);
reader.enterTypedMode();
const cursor = new MessageCursor();
const out: FrontendMessage[] = [];
let checksum = 0;
let started = process.hrtime.bigint();
for (let round = 0; round < rounds; round++) {
  out.length = 0;
  reader.push(batch, out);
  for (const message of out) {
    cursor.reset(message);
    if (message.code === 0x42) {
      checksum += cursor.cstring().length + cursor.cstring().length;
    }
  }
}
const readNs = Number(process.hrtime.bigint() - started) / rounds / 4;

const writer = new MessageWriter();
const fields = [{ name: 'abalance', tableOid: 16390, columnAttributeNumber: 3, typeOid: 23, typeSize: 4, typeModifier: -1, format: 0 as const }];
const value = [Buffer.from('-4242')];
const sink = { write: (chunk: Buffer) => ((checksum += chunk.length), true) };
started = process.hrtime.bigint();
for (let round = 0; round < rounds; round++) {
  empty(writer, BackendCode.bindComplete);
  rowDescription(writer, fields);
  writer.dataRow(value);
  commandComplete(writer, 'SELECT 1');
  readyForQuery(writer, 'I');
  writer.flush(sink);
}
const writeNs = Number(process.hrtime.bigint() - started) / rounds / 5;
console.log(`framing+decoding: ${readNs.toFixed(0)} ns per frontend message; encoding+flush: ${writeNs.toFixed(0)} ns per backend message (checksum ${checksum})`);
