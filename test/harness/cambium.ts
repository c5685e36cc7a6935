// A Cambium server as a child process (`node dist/src/cli/main.js serve`), exactly as users
// run it, on a temp data directory and a free loopback port.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseServer } from './postgres.js';
import { OutputTail, exited, freePort, loopbackHost, registerLeftover, sleep, stopChild } from './processes.js';

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const cambiumMain = join(repositoryRoot, 'dist', 'src', 'cli', 'main.js');
const startTimeoutMs = 30_000;

/**
 * `cambium serve` cannot serve in this build (it exited cleanly without listening, or said that
 * the session layer has not landed). Tests turn this (and only this) into a skip; any other
 * start failure is a failure.
 */
export class CambiumUnavailableError extends Error {}

/**
 * What `cambium serve` says while a layer it needs has not landed on main (src/cli/database.ts):
 * the SQL session layer is missing. Exiting cleanly without listening counts the same.
 */
const notYetIntegrated = /SQL session layer \(src\/session\/index\.ts\) is not available|does not export openDatabase/;

export interface CambiumOptions {
  /** Reuse a data directory (restart / crash-recovery tests); by default a fresh temp dir that stop() removes. */
  dataDirectory?: string;
  /** Extra arguments to node before the script, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeArguments?: string[];
  /** Extra arguments after `serve … --data DIR`. */
  serveArguments?: string[];
  environment?: NodeJS.ProcessEnv;
}

export interface CambiumServer extends DatabaseServer {
  readonly kind: 'cambium';
  readonly dataDirectory: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  /** Graceful stop (SIGTERM); removes the data directory unless it was given in the options. */
  stop(): Promise<void>;
  /** Power-cut style stop: SIGKILL, keeps the data directory (call discard() when done with it). */
  kill9(): Promise<void>;
  /** Removes an owned data directory after kill9(). */
  discard(): void;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: loopbackHost, port });
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
  });
}

export async function startCambium(options: CambiumOptions = {}): Promise<CambiumServer> {
  if (!existsSync(cambiumMain)) throw new Error(`${cambiumMain} is missing: build first (npx tsc -p tsconfig.json)`);
  const ownsData = options.dataDirectory === undefined;
  const dataDirectory = options.dataDirectory ?? mkdtempSync(join(tmpdir(), 'cambium-data-'));
  const cleanup = registerLeftover(ownsData ? { directory: dataDirectory } : {});
  const port = await freePort();
  const output = new OutputTail(20_000);
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArguments ?? []),
      cambiumMain,
      'serve',
      '--host',
      loopbackHost,
      '--port',
      String(port),
      '--data',
      dataDirectory,
      ...(options.serveArguments ?? []),
    ],
    {
      cwd: repositoryRoot,
      // The server logs (JSON) even when the test runner's own logging is silenced.
      env: { ...process.env, CAMBIUM_LOG_LEVEL: process.env.CAMBIUM_SERVER_LOG_LEVEL ?? 'info', CAMBIUM_LOG_JSON: '1', ...options.environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  cleanup.update({ pid: child.pid });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => output.append(chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.append(chunk));
  if (process.env.CAMBIUM_SERVER_OUTPUT) {
    child.stdout!.on('data', (chunk: string) => process.stderr.write(chunk));
    child.stderr!.on('data', (chunk: string) => process.stderr.write(chunk));
  }

  const discard = () => {
    if (ownsData) rmSync(dataDirectory, { recursive: true, force: true });
    cleanup.release();
  };
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await exited(child);
      discard();
      if (child.exitCode === 0 || notYetIntegrated.test(output.toString())) {
        throw new CambiumUnavailableError(`\`cambium serve\` cannot serve yet: ${output.toString().trim().split('\n')[0]!.slice(0, 300)}`);
      }
      throw new Error(`cambium serve exited with ${child.exitCode ?? child.signalCode} before listening:\n${output}`);
    }
    if (await canConnect(port)) break;
    if (Date.now() > deadline) {
      await stopChild(child, 'SIGKILL');
      discard();
      throw new Error(`cambium serve did not listen on port ${port} within ${startTimeoutMs} ms:\n${output}`);
    }
    await sleep(25);
  }

  const connection = { host: loopbackHost, port, user: 'postgres', database: 'postgres' };
  let stopped: Promise<void> | undefined;
  return {
    kind: 'cambium',
    ...connection,
    pid: child.pid ?? null,
    dataDirectory,
    output: () => output.toString(),
    clientEnvironment() {
      const environment = { ...process.env };
      for (const name of Object.keys(environment)) if (name.startsWith('PG')) delete environment[name];
      return {
        ...environment,
        PGHOST: connection.host,
        PGPORT: String(port),
        PGUSER: connection.user,
        PGDATABASE: connection.database,
        PGSSLMODE: 'disable',
        PGCONNECT_TIMEOUT: '10',
      };
    },
    stop: () =>
      (stopped ??= (async () => {
        await stopChild(child, 'SIGTERM', 15_000);
        discard();
      })()),
    kill9: async () => {
      await stopChild(child, 'SIGKILL');
      stopped ??= Promise.resolve();
      cleanup.update({ pid: undefined });
    },
    discard,
  };
}

let shared: Promise<CambiumServer> | undefined;

/** One Cambium server per test run, started on first use; rejects with CambiumUnavailableError when not built yet. */
export function sharedCambium(): Promise<CambiumServer> {
  shared ??= startCambium();
  return shared;
}

export async function stopSharedCambium(): Promise<void> {
  const running = shared;
  shared = undefined;
  if (running) await (await running.catch(() => undefined))?.stop();
}

let unavailabilityReported = false;

/**
 * For tests that need a Cambium server: returns the shared one, or skips the test (visibly,
 * with the reason printed once) when `cambium serve` is not implemented yet. Set
 * CAMBIUM_REQUIRE_SERVER=1 to turn that skip into a failure.
 */
export async function cambiumOrSkip(context: Mocha.Context): Promise<CambiumServer> {
  try {
    return await sharedCambium();
  } catch (error) {
    if (error instanceof CambiumUnavailableError && !process.env.CAMBIUM_REQUIRE_SERVER) {
      if (!unavailabilityReported) {
        unavailabilityReported = true;
        console.log(`      (skipping Cambium-side tests: ${error.message})`);
      }
      context.skip();
    }
    throw error;
  }
}
