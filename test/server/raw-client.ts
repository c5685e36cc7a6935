// A raw-frame client for protocol tests: bytes out through pg-protocol's serializer (or by
// hand), backend messages in through pg-protocol's parser — an independent reference codec.
import { connect, type Socket } from 'node:net';
import { serialize } from 'pg-protocol';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';
import { FakeSessionFactory } from './fake-session.js';
import { Server, type ServerOptions } from '../../src/server/index.js';
import { createLogger } from '../../src/util/log.js';

export { serialize };
export type AnyMessage = BackendMessage & Record<string, any>;

export class RawClient {
  readonly received: AnyMessage[] = [];
  private readonly parser = new Parser();
  private waiter: (() => void) | null = null;
  closed = false;
  readonly closedPromise: Promise<void>;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.parser.parse(chunk, (message) => this.received.push(message as AnyMessage));
      this.waiter?.();
    });
    socket.on('error', () => undefined);
    this.closedPromise = new Promise((resolve) =>
      socket.once('close', () => {
        this.closed = true;
        this.waiter?.();
        resolve();
      }),
    );
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.setNoDelay(true);
    return new RawClient(socket);
  }

  /** Opens and authenticates (trust) as `user`; fails the test on anything but ReadyForQuery. */
  static async ready(port: number, user = 'postgres', database = 'postgres'): Promise<RawClient> {
    const client = await RawClient.open(port);
    client.send(serialize.startup({ user, database }));
    const messages = await client.until('readyForQuery');
    const error = messages.find((message) => message.name === 'error');
    if (error) throw new Error(`start-up failed: ${error.message}`);
    client.received.length = 0;
    return client;
  }

  send(...chunks: Buffer[]): void {
    this.socket.write(Buffer.concat(chunks));
  }

  /** Waits until a message named `name` arrives (or the socket closes); returns and clears everything received. */
  async until(name: string, timeoutMs = 5000): Promise<AnyMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex((message) => message.name === name);
      if (index >= 0) return this.received.splice(0, index + 1);
      if (this.closed) return this.received.splice(0);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${name}; got ${this.received.map((m) => m.name).join(',')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
  }

  /** Waits for the server to close the connection; returns what arrived before. */
  async untilClosed(timeoutMs = 5000): Promise<AnyMessage[]> {
    const timer = setTimeout(() => this.socket.destroy(), timeoutMs);
    await this.closedPromise;
    clearTimeout(timer);
    return this.received.splice(0);
  }

  close(): void {
    this.socket.destroy();
  }
}

export function names(messages: AnyMessage[]): string[] {
  return messages.map((message) => message.name);
}

export async function startFakeServer(options: ServerOptions = {}): Promise<{ server: Server; factory: FakeSessionFactory; port: number }> {
  const factory = new FakeSessionFactory();
  const server = new Server(factory, { port: 0, logger: createLogger('test', process.env.CAMBIUM_LOG_LEVEL ?? 'silent'), ...options });
  const address = await server.listen();
  return { server, factory, port: address.port };
}

/** A hand-built frontend message: type byte, length, payload. */
export function frame(type: string, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
}
