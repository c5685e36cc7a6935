// Authentication over real sockets: SCRAM-SHA-256 (checked against two independent client
// implementations, node-postgres and libpq via psql), SCRAM-SHA-256-PLUS over TLS, unknown
// roles indistinguishable from wrong passwords, cleartext only over TLS, and a self-signed TLS
// certificate generated with openssl.
import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { connect } from 'node:net';
import pg from 'pg';
import { RawClient, serialize, startFakeServer } from './raw-client.js';
import { tlsServerEndPoint } from '../../src/server/index.js';
import { buildScramVerifier, hmacSha256, parseScramVerifier, scramKeysFromPassword, scramVerifyPassword, sha256 } from '../../src/util/scram.js';
import type { Server } from '../../src/server/index.js';

function makeCertificate(directory: string, keyKind: 'ec' | 'rsa'): { cert: Buffer; key: Buffer } {
  const keyFile = join(directory, `${keyKind}-key.pem`);
  const certFile = join(directory, `${keyKind}-cert.pem`);
  const keyOptions = keyKind === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['-newkey', 'rsa:2048'];
  execFileSync('openssl', ['req', '-x509', ...keyOptions, '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

async function pgConnect(config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client(config);
  await client.connect();
  return client;
}

async function pgError(config: pg.ClientConfig): Promise<any> {
  const client = new pg.Client(config);
  try {
    await client.connect();
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
  throw new Error('connection unexpectedly succeeded');
}

function psql(port: number, user: string, password: string, extra: Record<string, string>, sql: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'psql',
      ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres', '-X', '-A', '-t', '-c', sql],
      { env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5', ...extra }, timeout: 10_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as any).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Starts SCRAM by hand and returns the server-first-message (r=…,s=…,i=…). */
async function scramServerFirst(port: number, user: string): Promise<string> {
  const client = await RawClient.open(port);
  client.send(serialize.startup({ user }));
  const sasl = await client.until('authenticationSASL');
  expect(sasl.at(-1)!.mechanisms).to.deep.equal(['SCRAM-SHA-256']);
  client.send(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', 'n,,n=*,r=clientnonce'));
  const next = await client.until('authenticationSASLContinue');
  client.close();
  return next.at(-1)!.data;
}

describe('authentication', function () {
  this.timeout(30_000);
  let directory: string;
  let ec: { cert: Buffer; key: Buffer };
  let server: Server;
  let port: number;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'cambium-auth-'));
    ec = makeCertificate(directory, 'ec');
    ({ server, port } = await startFakeServer({ tls: ec }));
  });
  after(async () => {
    await server.shutdown();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('SCRAM verifiers (src/util/scram.ts)', () => {
    it('builds PostgreSQL-format verifiers that verify the password', () => {
      const salt = Buffer.from('0123456789abcdef');
      const verifier = buildScramVerifier('secret', { salt, iterations: 4096 });
      expect(verifier).to.match(/^SCRAM-SHA-256\$4096:MDEyMzQ1Njc4OWFiY2RlZg==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
      const parsed = parseScramVerifier(verifier)!;
      expect(scramVerifyPassword('secret', parsed)).to.equal(true);
      expect(scramVerifyPassword('Secret', parsed)).to.equal(false);
      expect(parseScramVerifier('md5abc')).to.equal(null);
    });

    it('derives the keys of the RFC 7677 test vector', () => {
      const keys = scramKeysFromPassword('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
      const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
      const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;
      expect(hmacSha256(keys.serverKey, authMessage).toString('base64')).to.equal('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
      const proof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');
      const signature = hmacSha256(keys.storedKey, authMessage);
      const clientKey = Buffer.from(proof.map((byte, index) => byte ^ signature[index]!));
      expect(sha256(clientKey).equals(keys.storedKey)).to.equal(true);
    });
  });

  describe('over plain TCP', () => {
    it('SCRAM-SHA-256 succeeds with the right password (node-postgres)', async () => {
      const client = await pgConnect({ host: '127.0.0.1', port, user: 'alice', password: 'secret', database: 'postgres' });
      expect((await client.query('select 11')).rows[0]).to.deep.equal({ value: 11 });
      await client.end();
    });

    it('SCRAM-SHA-256 succeeds with libpq (psql), and fails with a wrong password', async () => {
      const good = await psql(port, 'alice', 'secret', { PGSSLMODE: 'disable' }, 'select 12');
      expect(good.stdout.trim(), good.stderr).to.equal('12');
      const bad = await psql(port, 'alice', 'wrong', { PGSSLMODE: 'disable' }, 'select 12');
      expect(bad.code).to.not.equal(0);
      expect(bad.stderr).to.match(/password authentication failed for user "alice"/);
    });

    it('a wrong password is FATAL 28P01', async () => {
      const error = await pgError({ host: '127.0.0.1', port, user: 'alice', password: 'nope', database: 'postgres' });
      expect(error.code).to.equal('28P01');
      expect(error.message).to.equal('password authentication failed for user "alice"');
    });

    it('an unknown role runs the same exchange and fails the same way', async () => {
      const error = await pgError({ host: '127.0.0.1', port, user: 'mallory', password: 'x', database: 'postgres' });
      expect(error.code).to.equal('28P01');
      expect(error.message).to.equal('password authentication failed for user "mallory"');
      const first = await scramServerFirst(port, 'mallory');
      const again = await scramServerFirst(port, 'mallory');
      expect(first).to.match(/^r=clientnonce[A-Za-z0-9+/=]+,s=[A-Za-z0-9+/=]+,i=4096$/);
      expect(first.split(',')[1]).to.equal(again.split(',')[1]);
      const known = await scramServerFirst(port, 'alice');
      expect(known).to.match(/,i=4096$/);
    });

    it('malformed SCRAM messages are FATAL 08P01', async () => {
      const client = await RawClient.open(port);
      client.send(serialize.startup({ user: 'alice' }));
      await client.until('authenticationSASL');
      client.send(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', 'garbage'));
      expect((await client.untilClosed()).find((m) => m.name === 'error')).to.include({ code: '08P01', message: 'malformed SCRAM message' });
    });

    it('roles without a password are not trusted from a non-loopback address', async function () {
      const address = Object.values(networkInterfaces()).flat().find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
      if (!address) this.skip();
      const remote = await startFakeServer({ host: '*' });
      try {
        const error = await pgError({ host: address, port: remote.port, user: 'postgres', password: 'x', database: 'postgres' });
        expect(error.code).to.equal('28P01');
      } finally {
        await remote.server.shutdown();
      }
    });
  });

  describe('over TLS', () => {
    it('answers S to SSLRequest and completes a TLS handshake with the configured certificate', async () => {
      const socket = connect({ port, host: '127.0.0.1' });
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(serialize.requestSsl());
      const answer = await new Promise<Buffer>((resolve) => socket.once('data', resolve));
      expect(answer.toString()).to.equal('S');
      const secure = tlsConnect({ socket, rejectUnauthorized: false });
      await new Promise((resolve) => secure.once('secureConnect', resolve));
      expect(secure.getPeerCertificate().subject.CN).to.equal('localhost');
      const client = new RawClient(secure as unknown as import('node:net').Socket);
      client.send(serialize.startup({ user: 'postgres' }));
      const messages = await client.until('readyForQuery');
      expect(messages[0]!.name).to.equal('authenticationOk');
      client.send(serialize.query('select 13'));
      expect((await client.until('readyForQuery')).find((m) => m.name === 'dataRow')!.fields).to.deep.equal(['13']);
      client.close();
    });

    it('garbage instead of a TLS handshake closes only that connection', async () => {
      const socket = connect({ port, host: '127.0.0.1' });
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(serialize.requestSsl());
      await new Promise<Buffer>((resolve) => socket.once('data', resolve));
      socket.on('error', () => undefined);
      socket.write(Buffer.from('GET / HTTP/1.1 definitely not a client hello\r\n'.repeat(20)));
      await new Promise((resolve) => socket.once('close', resolve));
      const client = await pgConnect({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', ssl: { rejectUnauthorized: false } });
      expect((await client.query('select 16')).rows[0]).to.deep.equal({ value: 16 });
      await client.end();
    });

    it('SCRAM-SHA-256 and SCRAM-SHA-256-PLUS (channel binding) succeed over TLS (node-postgres)', async () => {
      for (const enableChannelBinding of [false, true]) {
        const client = await pgConnect({ host: '127.0.0.1', port, user: 'alice', password: 'secret', database: 'postgres', ssl: { rejectUnauthorized: false }, enableChannelBinding });
        expect((await client.query('select 14')).rows[0]).to.deep.equal({ value: 14 });
        await client.end();
      }
      const error = await pgError({ host: '127.0.0.1', port, user: 'alice', password: 'bad', database: 'postgres', ssl: { rejectUnauthorized: false }, enableChannelBinding: true });
      expect(error.code).to.equal('28P01');
    });

    it('libpq requires and gets channel binding over TLS', async () => {
      const result = await psql(port, 'alice', 'secret', { PGSSLMODE: 'require', PGCHANNELBINDING: 'require' }, 'select 15');
      expect(result.stdout.trim(), result.stderr).to.equal('15');
    });

    it('computes tls-server-end-point with the certificate signature hash (RSA and EC)', () => {
      const rsa = makeCertificate(directory, 'rsa');
      expect(tlsServerEndPoint(rsa.cert)).to.have.length(32);
      expect(tlsServerEndPoint(ec.cert)).to.have.length(32);
    });

    it('cleartext password auth is used over TLS only, unless allowed', async () => {
      const cleartext = await startFakeServer({ tls: ec, passwordMethod: 'password' });
      try {
        const overTls = await pgConnect({ host: '127.0.0.1', port: cleartext.port, user: 'alice', password: 'secret', database: 'postgres', ssl: { rejectUnauthorized: false } });
        await overTls.end();
        const wrong = await pgError({ host: '127.0.0.1', port: cleartext.port, user: 'alice', password: 'bad', database: 'postgres', ssl: { rejectUnauthorized: false } });
        expect(wrong.code).to.equal('28P01');
        const plain = await RawClient.open(cleartext.port);
        plain.send(serialize.startup({ user: 'alice' }));
        expect((await plain.until('authenticationSASL')).at(-1)!.name).to.equal('authenticationSASL');
        plain.close();
      } finally {
        await cleartext.server.shutdown();
      }
      const allowed = await startFakeServer({ passwordMethod: 'password', allowCleartextWithoutTls: true });
      try {
        const plain = await RawClient.open(allowed.port);
        plain.send(serialize.startup({ user: 'alice' }));
        await plain.until('authenticationCleartextPassword');
        plain.send(serialize.password('secret'));
        expect(names(await plain.until('readyForQuery'))).to.include('authenticationOk');
        plain.close();
      } finally {
        await allowed.server.shutdown();
      }
    });
  });
});

function names(messages: Array<{ name: string }>): string[] {
  return messages.map((message) => message.name);
}
