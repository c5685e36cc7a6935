// `cambium serve` as a child process: argument validation, the listening line with the port
// picked by --port 0, the data directory created on first start, a real client connection,
// and a clean exit 0 on SIGTERM and SIGINT.
import { expect } from 'chai';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parseServeConfig, UsageError } from '../../src/cli/serve-config.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const mainScript = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

function waitForListening(child: ChildProcess): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no listening line within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on [^\s"]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${output}`));
    });
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveCode) => {
    if (child.exitCode !== null) resolveCode(child.exitCode);
    else child.once('exit', (code) => resolveCode(code));
  });
}

describe('cambium serve (CLI)', function () {
  this.timeout(60_000);

  it('reads flags over CAMBIUM_* variables, with PostgreSQL-like defaults', () => {
    const defaults = parseServeConfig([], {});
    expect(defaults.server).to.include({ host: '127.0.0.1', port: 5432 });
    expect(defaults.dataDirectory).to.equal(resolve('.cambium-data'));
    const fromEnv = parseServeConfig([], { CAMBIUM_HOST: '0.0.0.0', CAMBIUM_PORT: '6000', CAMBIUM_DATA: '/tmp/d' });
    expect(fromEnv.server).to.include({ host: '0.0.0.0', port: 6000 });
    expect(fromEnv.dataDirectory).to.equal('/tmp/d');
    const flags = parseServeConfig(['--port', '0', '--host', '::1', '--max-connections', '7', '--log-min-duration-statement', '250'], { CAMBIUM_PORT: '6000' });
    expect(flags.server).to.include({ host: '::1', port: 0, maxConnections: 7, logMinDurationStatementMs: 250 });
    expect(() => parseServeConfig(['--port', '70000'], {})).to.throw(UsageError);
    expect(() => parseServeConfig(['--tls-cert', 'x.pem'], {})).to.throw(UsageError, /together/);
    expect(() => parseServeConfig(['--bogus'], {})).to.throw(UsageError);
    expect(() => parseServeConfig(['--password-auth', 'md5'], {})).to.throw(UsageError);
  });

  it('loads the TLS certificate and key named by --tls-cert/--tls-key or CAMBIUM_TLS_*', () => {
    const directory = mkdtempSync(join(tmpdir(), 'cambium-cli-tls-'));
    try {
      writeFileSync(join(directory, 'cert.pem'), 'CERT');
      writeFileSync(join(directory, 'key.pem'), 'KEY');
      const flags = parseServeConfig(['--tls-cert', join(directory, 'cert.pem'), '--tls-key', join(directory, 'key.pem')], {});
      expect(String(flags.server.tls?.cert)).to.equal('CERT');
      expect(String(flags.server.tls?.key)).to.equal('KEY');
      const fromEnv = parseServeConfig([], { CAMBIUM_TLS_CERT: join(directory, 'cert.pem'), CAMBIUM_TLS_KEY: join(directory, 'key.pem') });
      expect(String(fromEnv.server.tls?.key)).to.equal('KEY');
      expect(() => parseServeConfig(['--tls-cert', join(directory, 'missing.pem'), '--tls-key', join(directory, 'key.pem')], {})).to.throw(UsageError, /cannot read/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('exits 2 with the usage text on a bad flag', () => {
    const result = spawnSync(process.execPath, [mainScript, 'serve', '--port', 'abc'], { encoding: 'utf8' });
    expect(result.status).to.equal(2);
    expect(result.stderr).to.match(/invalid value for --port/);
    expect(result.stderr).to.match(/usage: cambium serve/);
  });

  describe('with the SQL session layer', function () {
    let dataDirectory: string;
    before(() => {
      dataDirectory = join(mkdtempSync(join(tmpdir(), 'cambium-cli-')), 'data');
    });
    after(() => {
      if (dataDirectory) rmSync(dirname(dataDirectory), { recursive: true, force: true });
    });

    it('with --tls-cert/--tls-key: roles created with a password log in by SCRAM over TLS; a wrong password is 28P01', async () => {
      const directory = dirname(dataDirectory);
      const keyFile = join(directory, 'key.pem');
      const certFile = join(directory, 'cert.pem');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
      const child = spawn(process.execPath, [mainScript, 'serve', '--port', '0', '--data', join(directory, 'tls-data'), '--tls-cert', certFile, '--tls-key', keyFile], {
        env: { ...process.env, CAMBIUM_LOG_LEVEL: 'info', CAMBIUM_LOG_JSON: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const port = await waitForListening(child);
        const base = { host: '127.0.0.1', port, database: 'postgres', ssl: { rejectUnauthorized: false } };
        const admin = new pg.Client({ ...base, user: 'postgres' });
        await admin.connect();
        await admin.query("create role wire_user login password 'correct horse'");
        const stored = await admin.query("select rolpassword from pg_authid where rolname = 'wire_user'");
        expect(stored.rows[0].rolpassword).to.match(/^SCRAM-SHA-256\$4096:/);
        await admin.end();
        for (const enableChannelBinding of [false, true]) {
          const user = new pg.Client({ ...base, user: 'wire_user', password: 'correct horse', enableChannelBinding });
          await user.connect();
          expect((await user.query('select current_user as who')).rows).to.deep.equal([{ who: 'wire_user' }]);
          await user.end();
        }
        const wrong = new pg.Client({ ...base, user: 'wire_user', password: 'wrong' });
        const error = await wrong.connect().then(() => null, (caught: unknown) => caught as { code: string });
        await wrong.end().catch(() => undefined);
        expect(error?.code).to.equal('28P01');
        child.kill('SIGTERM');
        expect(await exitCode(child)).to.equal(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });

    it('serves on --port 0, creates the data directory, exits 0 on SIGTERM, and keeps committed data for the next start (exit 0 on SIGINT)', async () => {
      const runServer = () =>
        spawn(process.execPath, [mainScript, 'serve', '--port', '0', '--data', dataDirectory], {
          env: { ...process.env, CAMBIUM_LOG_LEVEL: 'info', CAMBIUM_LOG_JSON: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      const query = async (port: number, sql: string) => {
        const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
        await client.connect();
        try {
          return (await client.query(sql)).rows;
        } finally {
          await client.end();
        }
      };
      const first = runServer();
      try {
        const port = await waitForListening(first);
        expect(port).to.be.above(0);
        expect(existsSync(dataDirectory)).to.equal(true);
        expect(await query(port, 'select 1 as one')).to.deep.equal([{ one: 1 }]);
        await query(port, 'create table cli_kept (id int primary key, note text)');
        await query(port, "insert into cli_kept values (1, 'survives a clean restart')");
        first.kill('SIGTERM');
        expect(await exitCode(first)).to.equal(0);
      } finally {
        if (first.exitCode === null) first.kill('SIGKILL');
      }
      const second = runServer();
      try {
        const port = await waitForListening(second);
        expect(await query(port, 'select note from cli_kept')).to.deep.equal([{ note: 'survives a clean restart' }]);
        second.kill('SIGINT');
        expect(await exitCode(second)).to.equal(0);
      } finally {
        if (second.exitCode === null) second.kill('SIGKILL');
      }
    });
  });
});
