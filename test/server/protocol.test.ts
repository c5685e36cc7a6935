// Raw-frame tests of the wire protocol against the real server over real sockets, with the
// test double session (the SQL meaning is not under test here; framing and message order are).
import { expect } from 'chai';
import { connect } from 'node:net';
import { FakeSessionFactory } from './fake-session.js';
import { frame, names, RawClient, serialize, startFakeServer } from './raw-client.js';
import type { Server } from '../../src/server/index.js';

describe('wire protocol (raw frames, test double session)', function () {
  let server: Server;
  let factory: FakeSessionFactory;
  let port: number;

  before(async () => {
    ({ server, factory, port } = await startFakeServer({ maxMessageBytes: 64 * 1024, maxConnections: 20 }));
  });
  after(async () => {
    await server.shutdown();
  });

  describe('start-up', () => {
    it('answers AuthenticationOk, the ParameterStatus set, BackendKeyData and ReadyForQuery', async () => {
      const client = await RawClient.open(port);
      client.send(serialize.startup({ user: 'postgres', database: 'postgres', application_name: 'test' }));
      const messages = await client.until('readyForQuery');
      expect(messages[0]!.name).to.equal('authenticationOk');
      const statuses = messages.filter((m) => m.name === 'parameterStatus').map((m) => m.parameterName);
      expect(statuses).to.include.members(['server_version', 'client_encoding', 'TimeZone']);
      const key = messages.find((m) => m.name === 'backendKeyData')!;
      expect(key.processID).to.be.a('number');
      expect(messages.at(-1)!.status).to.equal('I');
      client.close();
    });

    it('answers N to SSLRequest and GSSENCRequest without TLS, then starts up', async () => {
      const socket = connect({ port, host: '127.0.0.1' });
      const gssRequest = Buffer.alloc(8);
      gssRequest.writeInt32BE(8);
      gssRequest.writeInt32BE(80877104, 4);
      const single = new Promise<Buffer>((resolve) => socket.once('data', resolve));
      socket.write(serialize.requestSsl());
      expect((await single).toString()).to.equal('N');
      const second = new Promise<Buffer>((resolve) => socket.once('data', resolve));
      socket.write(gssRequest);
      expect((await second).toString()).to.equal('N');
      const client = new RawClient(socket);
      client.send(serialize.startup({ user: 'postgres', database: 'postgres' }));
      expect(names(await client.until('readyForQuery'))).to.include('authenticationOk');
      client.close();
    });

    it('answers protocol 3.2 and _pq_ options with NegotiateProtocolVersion, then continues as 3.0', async () => {
      const client = await RawClient.open(port);
      const body = Buffer.from('user\0postgres\0_pq_.future\0on\0\0', 'latin1');
      const packet = Buffer.alloc(8 + body.length);
      packet.writeInt32BE(packet.length);
      packet.writeInt32BE((3 << 16) | 2, 4);
      body.copy(packet, 8);
      client.socket.write(packet);
      const raw = await new Promise<Buffer>((resolve) => client.socket.once('data', resolve));
      expect(String.fromCharCode(raw[0]!)).to.equal('v');
      expect(raw.readInt32BE(5)).to.equal(3 << 16);
      expect(raw.readInt32BE(9)).to.equal(1);
      expect(raw.subarray(13, 13 + '_pq_.future'.length).toString()).to.equal('_pq_.future');
      client.close();
    });

    it('refuses protocol 2.0 with a FATAL 0A000', async () => {
      const client = await RawClient.open(port);
      const packet = Buffer.alloc(8 + 5);
      packet.writeInt32BE(packet.length);
      packet.writeInt32BE(2 << 16, 4);
      client.socket.write(packet);
      const messages = await client.untilClosed();
      expect(messages[0]!.name).to.equal('error');
      expect(messages[0]!.code).to.equal('0A000');
      expect(messages[0]!.severity).to.equal('FATAL');
    });

    it('rejects unencrypted bytes pipelined after an SSLRequest', async () => {
      const client = await RawClient.open(port);
      client.socket.write(Buffer.concat([serialize.requestSsl(), serialize.startup({ user: 'postgres' })]));
      const messages = await client.untilClosed();
      expect(messages.find((m) => m.name === 'error')?.code).to.equal('08P01');
    });

    it('unknown database: FATAL 3D000; missing user: FATAL 28000', async () => {
      let client = await RawClient.open(port);
      client.send(serialize.startup({ user: 'postgres', database: 'nope' }));
      let error = (await client.untilClosed()).find((m) => m.name === 'error')!;
      expect(error.code).to.equal('3D000');
      expect(error.message).to.equal('database "nope" does not exist');
      client = await RawClient.open(port);
      client.send(serialize.startup({ database: 'postgres' }));
      error = (await client.untilClosed()).find((m) => m.name === 'error')!;
      expect(error.code).to.equal('28000');
    });

    it('NOLOGIN role: FATAL 28000', async () => {
      const client = await RawClient.open(port);
      client.send(serialize.startup({ user: 'nologin' }));
      const error = (await client.untilClosed()).find((m) => m.name === 'error')!;
      expect(error.code).to.equal('28000');
      expect(error.message).to.match(/not permitted to log in/);
    });
  });

  describe('simple query', () => {
    it('runs several statements with RowDescription, DataRow, CommandComplete and one ReadyForQuery', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.query('select 1; select 2'));
      const messages = await client.until('readyForQuery');
      expect(names(messages)).to.deep.equal(['rowDescription', 'dataRow', 'commandComplete', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
      expect(messages[1]!.fields).to.deep.equal(['1']);
      client.close();
    });

    it('answers EmptyQueryResponse to an empty query', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.query(''));
      expect(names(await client.until('readyForQuery'))).to.deep.equal(['emptyQuery', 'readyForQuery']);
      client.close();
    });

    it('stops at the first error and reports every ErrorResponse field; status follows the session (I/T/E)', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.query('begin; select 1; error 22012; select 2'));
      const messages = await client.until('readyForQuery');
      expect(names(messages)).to.deep.equal(['commandComplete', 'rowDescription', 'dataRow', 'commandComplete', 'error', 'readyForQuery']);
      const error = messages[4]!;
      expect(error).to.include({ severity: 'ERROR', code: '22012', message: 'fake error 22012', detail: 'some detail', hint: 'some hint', position: '3' });
      expect(messages[5]!.status).to.equal('E');
      client.send(serialize.query('select 1'));
      expect((await client.until('readyForQuery')).find((m) => m.name === 'error')!.code).to.equal('25P02');
      client.send(serialize.query('rollback'));
      expect((await client.until('readyForQuery')).at(-1)!.status).to.equal('I');
      client.send(serialize.query('syntax!'));
      const syntax = await client.until('readyForQuery');
      expect(syntax[0]).to.include({ name: 'error', code: '42601', position: '7' });
      client.close();
    });

    it('query text that is not UTF-8 is an ERROR 22021; the connection stays usable', async () => {
      const client = await RawClient.ready(port);
      client.send(frame('Q', Buffer.from([0x73, 0x65, 0x6c, 0xff, 0xfe, 0x00])));
      const messages = await client.until('readyForQuery');
      expect(messages[0]).to.include({ name: 'error', severity: 'ERROR', code: '22021' });
      client.send(serialize.query("select 'ok\ufffd'"));
      expect((await client.until('readyForQuery')).find((m) => m.name === 'dataRow')!.fields).to.deep.equal(['ok\ufffd']);
      client.close();
    });

    it('sends NoticeResponse and ParameterStatus raised by a statement', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.query('notice; set application_name demo'));
      const messages = await client.until('readyForQuery');
      expect(names(messages)).to.deep.equal(['notice', 'commandComplete', 'parameterStatus', 'commandComplete', 'readyForQuery']);
      expect(messages[2]).to.include({ parameterName: 'application_name', parameterValue: 'demo' });
      client.close();
    });

    it('delivers NotificationResponse, also while idle', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.query('notify jobs hello'));
      const messages = await client.until('readyForQuery');
      expect(messages[0]).to.include({ name: 'notification', channel: 'jobs', payload: 'hello' });
      client.close();
    });

    it('the session can end an idle connection with a FATAL error (idle-in-transaction timeout)', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.query('begin; terminate_after 50'));
      expect((await client.until('readyForQuery')).at(-1)!.status).to.equal('T');
      const messages = await client.untilClosed();
      expect(messages).to.have.length(1);
      expect(messages[0]).to.include({ name: 'error', severity: 'FATAL', code: '25P03' });
    });

    it('streams a large result in many DataRows', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.query('rows 20000 100'));
      const messages = await client.until('readyForQuery', 20_000);
      expect(messages.filter((m) => m.name === 'dataRow')).to.have.length(20000);
      expect(messages.at(-2)!.text).to.equal('SELECT 20000');
      client.close();
    });
  });

  describe('extended query', () => {
    it('Parse/Bind/Describe/Execute/Sync with ParameterDescription and text/binary formats', async () => {
      const client = await RawClient.ready(port);
      client.send(
        serialize.parse({ name: 's1', text: 'select $1', types: [] }),
        serialize.describe({ type: 'S', name: 's1' }),
        serialize.bind({ statement: 's1', values: ['42'], binary: true }),
        serialize.describe({ type: 'P', name: '' }),
        serialize.execute({}),
        serialize.sync(),
      );
      const messages = await client.until('readyForQuery');
      expect(names(messages)).to.deep.equal(['parseComplete', 'parameterDescription', 'rowDescription', 'bindComplete', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
      expect(messages[1]!.dataTypeIDs).to.deep.equal([23]);
      expect(messages[4]!.fields[0].format).to.equal('binary');
      expect(messages[5]!.fields[0]).to.deep.equal(Buffer.from([0, 0, 0, 42]).toString());
      client.close();
    });

    it('NoData for a statement without rows; Close answers CloseComplete', async () => {
      const client = await RawClient.ready(port);
      client.send(
        serialize.parse({ name: 'b', text: 'begin' }),
        serialize.bind({ statement: 'b' }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.close({ type: 'S', name: 'b' }),
        serialize.sync(),
      );
      const messages = await client.until('readyForQuery');
      expect(names(messages)).to.deep.equal(['parseComplete', 'bindComplete', 'noData', 'commandComplete', 'closeComplete', 'readyForQuery']);
      expect(messages.at(-1)!.status).to.equal('T');
      client.close();
    });

    it('Execute with a row limit answers PortalSuspended, then resumes the portal', async () => {
      const client = await RawClient.ready(port);
      client.send(
        serialize.parse({ text: 'rows 5' }),
        serialize.bind({ portal: 'p' }),
        serialize.execute({ portal: 'p', rows: 2 }),
        serialize.execute({ portal: 'p', rows: 2 }),
        serialize.execute({ portal: 'p', rows: 2 }),
        serialize.sync(),
      );
      const messages = await client.until('readyForQuery');
      expect(names(messages)).to.deep.equal([
        'parseComplete', 'bindComplete',
        'dataRow', 'dataRow', 'portalSuspended',
        'dataRow', 'dataRow', 'portalSuspended',
        'dataRow', 'commandComplete', 'readyForQuery',
      ]);
      client.close();
    });

    it('after an error skips to Sync, then serves the next batch', async () => {
      const client = await RawClient.ready(port);
      client.send(
        serialize.parse({ text: 'error 23505' }),
        serialize.bind({}),
        serialize.execute({}),
        serialize.parse({ text: 'select 7' }),
        serialize.bind({}),
        serialize.execute({}),
        serialize.sync(),
        serialize.parse({ text: 'select 8' }),
        serialize.bind({}),
        serialize.execute({}),
        serialize.sync(),
      );
      const first = await client.until('readyForQuery');
      expect(names(first)).to.deep.equal(['parseComplete', 'bindComplete', 'error', 'readyForQuery']);
      expect(first[2]!.code).to.equal('23505');
      const second = await client.until('readyForQuery');
      expect(names(second)).to.deep.equal(['parseComplete', 'bindComplete', 'dataRow', 'commandComplete', 'readyForQuery']);
      expect(second[2]!.fields).to.deep.equal(['8']);
      client.close();
    });

    it('Flush sends pending output without a Sync', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.parse({ name: 'f', text: 'select 1' }), serialize.flush());
      expect(names(await client.until('parseComplete'))).to.deep.equal(['parseComplete']);
      client.send(serialize.sync());
      expect(names(await client.until('readyForQuery'))).to.deep.equal(['readyForQuery']);
      client.close();
    });

    it('Execute of an empty statement answers EmptyQueryResponse', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.parse({ text: '' }), serialize.bind({}), serialize.execute({}), serialize.sync());
      expect(names(await client.until('readyForQuery'))).to.deep.equal(['parseComplete', 'bindComplete', 'emptyQuery', 'readyForQuery']);
      client.close();
    });

    it('bad format codes are an ERROR (22023), not a FATAL', async () => {
      const client = await RawClient.ready(port);
      const payload = Buffer.from('\0\0\0\x01\0\x07\0\0\0\0', 'latin1');
      client.send(serialize.parse({ text: 'select 1' }), frame('B', payload), serialize.sync());
      const messages = await client.until('readyForQuery');
      expect(names(messages)).to.deep.equal(['parseComplete', 'error', 'readyForQuery']);
      expect(messages[1]!.code).to.equal('22023');
      client.close();
    });
  });

  describe('framing', () => {
    it('handles hundreds of pipelined messages in one chunk', async () => {
      const client = await RawClient.ready(port);
      const batch: Buffer[] = [];
      for (let index = 0; index < 300; index++) {
        batch.push(serialize.parse({ text: `select ${index}` }), serialize.bind({}), serialize.execute({}), serialize.sync());
      }
      client.send(...batch);
      const values: string[] = [];
      for (let index = 0; index < 300; index++) {
        const messages = await client.until('readyForQuery');
        values.push(messages.find((m) => m.name === 'dataRow')!.fields[0]);
      }
      expect(values).to.deep.equal(Array.from({ length: 300 }, (_, index) => String(index)));
      client.close();
    });

    it('answers earlier queries of a pipeline before waiting on a slow later one', async () => {
      const client = await RawClient.ready(port);
      const started = Date.now();
      client.send(
        serialize.query('select 1'),
        serialize.parse({ text: 'select 2' }), serialize.bind({}), serialize.execute({}), serialize.sync(),
        serialize.query('sleep 400'),
      );
      await client.until('readyForQuery');
      await client.until('readyForQuery');
      expect(Date.now() - started).to.be.below(300);
      await client.until('readyForQuery');
      expect(Date.now() - started).to.be.at.least(390);
      client.close();
    });

    it('reassembles messages sent one byte at a time', async () => {
      const client = await RawClient.ready(port);
      const bytes = Buffer.concat([serialize.query('select 5'), serialize.parse({ text: 'select $1' }), serialize.bind({ values: ['6'] }), serialize.execute({}), serialize.sync()]);
      for (const byte of bytes) {
        client.socket.write(Buffer.from([byte]));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect((await client.until('readyForQuery')).find((m) => m.name === 'dataRow')!.fields).to.deep.equal(['5']);
      expect((await client.until('readyForQuery')).find((m) => m.name === 'dataRow')!.fields).to.deep.equal(['6']);
      client.close();
    });

    it('an unknown message type is FATAL 08P01 and closes only that connection', async () => {
      const healthy = await RawClient.ready(port);
      const client = await RawClient.ready(port);
      client.send(frame('!', Buffer.from('xyz')));
      const messages = await client.untilClosed();
      expect(messages[0]).to.include({ name: 'error', severity: 'FATAL', code: '08P01' });
      healthy.send(serialize.query('select 3'));
      expect((await healthy.until('readyForQuery')).find((m) => m.name === 'dataRow')!.fields).to.deep.equal(['3']);
      healthy.close();
    });

    it('a length below 4 is FATAL 08P01', async () => {
      const client = await RawClient.ready(port);
      client.send(Buffer.from([0x51, 0, 0, 0, 2]));
      expect((await client.untilClosed())[0]).to.include({ name: 'error', code: '08P01' });
    });

    it('a message above the size limit is FATAL 54000 before its body is read', async () => {
      const client = await RawClient.ready(port);
      const header = Buffer.from([0x51, 0, 0x10, 0, 0]);
      client.send(header);
      const error = (await client.untilClosed())[0]!;
      expect(error).to.include({ name: 'error', code: '54000' });
      expect(error.message).to.match(/exceeds the limit of 65536 bytes/);
    });

    it('a message whose fields run past its length is FATAL 08P01', async () => {
      const client = await RawClient.ready(port);
      client.send(frame('P', Buffer.from('name\0select 1')));
      expect((await client.untilClosed())[0]).to.include({ name: 'error', code: '08P01' });
    });

    it('a truncated message followed by a close leaves the server healthy', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.query('select 1').subarray(0, 6));
      client.close();
      const other = await RawClient.ready(port);
      other.send(serialize.query('select 9'));
      expect((await other.until('readyForQuery')).find((m) => m.name === 'dataRow')!.fields).to.deep.equal(['9']);
      other.close();
    });

    it('garbage instead of a startup packet is rejected', async () => {
      const client = await RawClient.open(port);
      client.socket.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      const messages = await client.untilClosed();
      expect(messages.find((m) => m.name === 'error')?.severity).to.equal('FATAL');
    });
  });

  describe('COPY', () => {
    it('COPY FROM STDIN: CopyInResponse, CopyData in any split, CopyDone', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.query('copy in'));
      const response = await client.until('copyInResponse');
      expect(response.at(-1)!.columnTypes).to.deep.equal([0, 0]);
      client.send(serialize.copyData(Buffer.from('1\ta\n2\t')), serialize.copyData(Buffer.from('b\n3\tc\n')), serialize.copyDone());
      const messages = await client.until('readyForQuery');
      expect(messages[0]).to.include({ name: 'commandComplete', text: 'COPY 3' });
      client.close();
    });

    it('CopyFail ends the COPY with 57014; bad data ends it with its error and later CopyData is ignored', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.query('copy in'));
      await client.until('copyInResponse');
      client.send(serialize.copyData(Buffer.from('1\n')), serialize.copyFail('client gave up'));
      let messages = await client.until('readyForQuery');
      expect(messages[0]).to.include({ name: 'error', code: '57014' });
      expect(messages[0]!.message).to.match(/client gave up/);
      client.send(serialize.query('copy in'));
      await client.until('copyInResponse');
      client.send(serialize.copyData(Buffer.from('bad\n')), serialize.copyData(Buffer.from('more\n')), serialize.copyDone());
      messages = await client.until('readyForQuery');
      expect(messages[0]).to.include({ name: 'error', code: '22P04' });
      client.send(serialize.query('select 4'));
      expect((await client.until('readyForQuery')).find((m) => m.name === 'dataRow')!.fields).to.deep.equal(['4']);
      client.close();
    });

    it('COPY TO STDOUT: CopyOutResponse, CopyData per chunk, CopyDone, CommandComplete', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.query('copy out 3'));
      const messages = await client.until('readyForQuery');
      expect(names(messages)).to.deep.equal(['copyOutResponse', 'copyData', 'copyData', 'copyData', 'copyDone', 'commandComplete', 'readyForQuery']);
      expect(messages[1]!.chunk.toString()).to.equal('1\tline 1\n');
      expect(messages[5]!.text).to.equal('COPY 3');
      client.close();
    });

    it('COPY in the extended protocol ignores Sync during the copy', async () => {
      const client = await RawClient.ready(port);
      client.send(serialize.parse({ text: 'copy in' }), serialize.bind({}), serialize.execute({}), serialize.sync());
      await client.until('copyInResponse');
      client.send(serialize.copyData(Buffer.from('x\ny\n')), serialize.copyDone(), serialize.sync());
      const messages = await client.until('readyForQuery');
      expect(names(messages)).to.deep.equal(['commandComplete', 'readyForQuery']);
      expect(messages[0]!.text).to.equal('COPY 2');
      client.close();
    });
  });

  describe('cancel, limits, shutdown', () => {
    it('CancelRequest cancels the running statement of the matching session with 57014', async () => {
      const client = await RawClient.open(port);
      client.send(serialize.startup({ user: 'postgres' }));
      const key = (await client.until('readyForQuery')).find((m) => m.name === 'backendKeyData')!;
      client.send(serialize.query('sleep 10000'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const canceller = await RawClient.open(port);
      canceller.send(serialize.cancel(key.processID, key.secretKey + 1));
      await canceller.untilClosed();
      const started = Date.now();
      const second = await RawClient.open(port);
      second.send(serialize.cancel(key.processID, key.secretKey));
      await second.untilClosed();
      const messages = await client.until('readyForQuery');
      expect(messages[0]).to.include({ name: 'error', code: '57014' });
      expect(Date.now() - started).to.be.below(2000);
      client.close();
    });

    it('too many connections: FATAL 53300; the others keep working', async () => {
      const limited = await startFakeServer({ maxConnections: 2 });
      try {
        const first = await RawClient.ready(limited.port);
        const second = await RawClient.ready(limited.port);
        const third = await RawClient.open(limited.port);
        third.send(serialize.startup({ user: 'postgres' }));
        expect((await third.untilClosed()).find((m) => m.name === 'error')).to.include({ code: '53300', message: 'sorry, too many clients already' });
        first.send(serialize.end());
        await first.untilClosed();
        const fourth = await RawClient.ready(limited.port);
        second.send(serialize.query('select 1'));
        expect(names(await second.until('readyForQuery'))).to.include('dataRow');
        second.close();
        fourth.close();
      } finally {
        await limited.server.shutdown();
      }
    });

    it('shutdown lets a running statement finish, ends idle sessions with 57P01, and shuts the factory down', async () => {
      const own = await startFakeServer();
      const idle = await RawClient.ready(own.port);
      const busy = await RawClient.ready(own.port);
      busy.send(serialize.query('sleep 300'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await own.server.shutdown();
      expect((await idle.untilClosed()).find((m) => m.name === 'error')).to.include({ code: '57P01' });
      const busyMessages = await busy.untilClosed();
      expect(names(busyMessages)).to.deep.equal(['commandComplete', 'readyForQuery', 'error']);
      expect(own.factory.shutDown).to.equal(true);
      expect(own.factory.sessions.size).to.equal(0);
    });

    it('a client that never finishes start-up is disconnected after authentication_timeout', async () => {
      const own = await startFakeServer({ authenticationTimeoutMs: 100 });
      try {
        const silent = await RawClient.open(own.port);
        const halfway = await RawClient.open(own.port);
        halfway.send(serialize.startup({ user: 'alice' }));
        await halfway.until('authenticationSASL');
        const started = Date.now();
        await Promise.all([silent.untilClosed(), halfway.untilClosed()]);
        expect(Date.now() - started).to.be.below(2000);
        for (let wait = 0; wait < 50 && own.server.connectionCount > 0; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(own.server.connectionCount).to.equal(0);
      } finally {
        await own.server.shutdown();
      }
    });

    it('shutdown cancels statements after the grace period and never hangs on one that ignores cancel', async () => {
      const own = await startFakeServer({ shutdownGraceMs: 100 });
      const sleeper = await RawClient.ready(own.port);
      const stuck = await RawClient.ready(own.port);
      sleeper.send(serialize.query('sleep 10000'));
      stuck.send(serialize.query('stuck 4000'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = Date.now();
      await own.server.shutdown();
      expect(Date.now() - started).to.be.below(2500);
      expect((await sleeper.untilClosed()).find((m) => m.name === 'error')).to.include({ code: '57014' });
      expect(own.factory.shutDown).to.equal(true);
      stuck.close();
    });

    it('Terminate closes the session', async () => {
      const client = await RawClient.ready(port);
      const before = factory.sessions.size;
      client.send(serialize.end());
      await client.untilClosed();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(factory.sessions.size).to.equal(before - 1);
    });
  });
});
