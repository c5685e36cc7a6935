// Child processes that tests and benchmarks start: free ports, waiting for readiness, and a
// registry so that every process we start is stopped even when the run dies half way.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';

export const loopbackHost = '127.0.0.1';

/** A port that was free a moment ago (the kernel picks it; callers retry on EADDRINUSE). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, loopbackHost, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** Something to undo at exit: a process to kill and/or a directory to remove. */
interface Leftover {
  pid?: number;
  directory?: string;
}
const leftovers = new Set<Leftover>();
let exitHandlersInstalled = false;

function cleanUpSynchronously(): void {
  for (const leftover of leftovers) {
    if (leftover.pid !== undefined) {
      try {
        process.kill(leftover.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (leftover.directory) rmSync(leftover.directory, { recursive: true, force: true });
  }
  leftovers.clear();
}

function installExitHandlers(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  // The last line of defence; orderly stop() calls remove their entries first.
  process.on('exit', cleanUpSynchronously);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanUpSynchronously();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Registers something to undo if the process exits before `release()` is called. */
export function registerLeftover(leftover: Leftover): { release(): void; update(next: Leftover): void } {
  installExitHandlers();
  const entry: Leftover = { ...leftover };
  leftovers.add(entry);
  return {
    release: () => void leftovers.delete(entry),
    update: (next) => Object.assign(entry, next),
  };
}

/** The tail of a child's output, kept for error messages. */
export class OutputTail {
  private text = '';
  constructor(private readonly limitChars = 8000) {}
  append(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.limitChars);
  }
  toString(): string {
    return this.text;
  }
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Sends `signal`, then SIGKILL if the child is still alive after `graceMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, collecting output; rejects only when it cannot start or times out. */
export function run(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const { input, timeoutMs = 120_000, ...spawnOptions } = options;
    const child = spawn(command, args, { ...spawnOptions, stdio: ['pipe', 'pipe', 'pipe'] });
    const registration = child.pid !== undefined ? registerLeftover({ pid: child.pid }) : undefined;
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      registration?.release();
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      registration?.release();
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin!.on('error', () => undefined); // the child may exit without reading its input
    child.stdin!.end(input ?? '');
  });
}
