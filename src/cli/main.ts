#!/usr/bin/env node
// The `cambium` command: `cambium serve` runs the PostgreSQL wire server on a data directory.
import { mkdirSync } from 'node:fs';
import { Server } from '../server/index.js';
import { createLogger } from '../util/log.js';
import { openSessionFactory } from './database.js';
import { parseServeConfig, serveUsage, UsageError } from './serve-config.js';

async function serve(argv: string[]): Promise<void> {
  const config = parseServeConfig(argv, process.env);
  const log = createLogger('cambium', config.logLevel ?? 'info');
  mkdirSync(config.dataDirectory, { recursive: true });
  const factory = await openSessionFactory(config.dataDirectory);
  const server = new Server(factory, { ...config.server, logger: log });
  let address;
  try {
    address = await server.listen();
  } catch (error) {
    await factory.shutdown();
    throw error;
  }
  log.info({ host: address.address, port: address.port, data: config.dataDirectory, tls: config.server.tls !== undefined }, `listening on ${address.address}:${address.port}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting immediately');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.shutdown().then(
      () => {
        log.info('shut down cleanly');
        log.flush();
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        log.flush();
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (command === 'serve') {
    await serve(argv.slice(1));
    return -1;
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(serveUsage);
    return 0;
  }
  console.error(`cambium: unknown command "${command}"\n${serveUsage}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`cambium: ${error.message}\n${serveUsage}`);
      process.exitCode = 2;
    } else {
      console.error(`cambium: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = 1;
    }
  },
);
