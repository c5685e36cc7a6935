// The wire server: accepts TCP connections, runs start-up then the query protocol on each, and
// keeps them apart — a failing connection is logged and closed, never the process. Shutdown
// stops accepting, lets running statements finish (then cancels them), and closes the factory.
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import { log as defaultLog, type Logger } from '../util/log.js';
import type { SessionFactory } from '../session/contract.js';
import { Connection } from './connection.js';
import { QueryProtocol } from './query-protocol.js';
import { tlsServerEndPoint } from './scram-exchange.js';
import { resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from './server-options.js';
import { runStartup, type ServerContext } from './startup.js';

export class Server {
  readonly options: ResolvedServerOptions;
  readonly log: Logger;
  private readonly netServer: NetServer;
  private readonly context: ServerContext;
  private readonly connections = new Map<Connection, Promise<void>>();
  private admittedCount = 0;
  private nextConnectionId = 1;
  private shutdownPromise: Promise<void> | null = null;

  constructor(
    private readonly factory: SessionFactory,
    options: ServerOptions = {},
  ) {
    this.options = resolveServerOptions(options);
    this.log = options.logger ?? defaultLog;
    const tlsOptions = this.options.tls;
    const tls = tlsOptions
      ? {
          context: createSecureContext({ cert: tlsOptions.cert, key: tlsOptions.key }),
          channelBinding: tlsServerEndPoint(tlsOptions.cert),
        }
      : null;
    this.context = {
      factory,
      options: this.options,
      log: this.log,
      tls,
      serverSecret: randomBytes(32),
      admit: () => {
        if (this.admittedCount >= this.options.maxConnections) return false;
        this.admittedCount++;
        return true;
      },
    };
    this.netServer = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.netServer.once('error', onError);
      // '*' means every interface, as in PostgreSQL's listen_addresses (IPv6 dual-stack when available).
      const host = this.options.host === '*' ? undefined : this.options.host;
      this.netServer.listen(this.options.port, host, () => {
        this.netServer.removeListener('error', onError);
        this.netServer.on('error', (error) => this.log.error({ err: error }, 'listener error'));
        resolve(this.address());
      });
    });
  }

  address(): AddressInfo {
    return this.netServer.address() as AddressInfo;
  }

  get port(): number {
    return this.address().port;
  }

  /** Connections currently open (including those still authenticating). */
  get connectionCount(): number {
    return this.connections.size;
  }

  private accept(socket: Socket): void {
    if (this.shutdownPromise) {
      socket.destroy();
      return;
    }
    const connection = new Connection(this.nextConnectionId++, socket, this.log);
    const served = this.serve(connection).catch((error: unknown) => {
      this.log.error({ connection: connection.id, err: error }, 'connection failed');
      connection.destroy();
    });
    this.connections.set(connection, served);
    void served.finally(() => this.connections.delete(connection));
  }

  private async serve(connection: Connection): Promise<void> {
    const authenticationTimer = setTimeout(() => {
      if (connection.session === null) {
        connection.stopReason = 'fatal error';
        connection.destroy();
      }
    }, this.options.authenticationTimeoutMs);
    authenticationTimer.unref();
    void connection.whenClosed().then(() => {
      // A client that vanished mid-statement: stop the statement rather than run it to the end.
      if (connection.busy) connection.session?.cancel();
    });
    let session = null;
    try {
      session = await runStartup(connection, this.context);
      clearTimeout(authenticationTimer);
      if (session !== null) await new QueryProtocol(connection, session, this.context).run();
    } finally {
      clearTimeout(authenticationTimer);
      connection.end();
      if (session !== null) {
        try {
          await session.close();
        } catch (error) {
          this.log.error({ connection: connection.id, err: error }, 'session close failed');
        }
      }
      if (connection.admitted) this.admittedCount--;
      this.log.info(
        {
          connection: connection.id,
          client: connection.clientAddress,
          user: connection.user || undefined,
          database: connection.database || undefined,
          tls: connection.isTls,
          durationMs: Date.now() - connection.openedAt,
          reason: connection.stopReason ?? 'closed',
        },
        'connection closed',
      );
    }
  }

  /** Stops accepting, ends idle sessions, lets running statements finish (cancelling them after the grace period), closes the factory. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.runShutdown();
    return this.shutdownPromise;
  }

  private async runShutdown(): Promise<void> {
    const listenerClosed = new Promise<void>((resolve) => this.netServer.close(() => resolve()));
    for (const connection of this.connections.keys()) {
      if (connection.session === null) connection.destroy();
      else connection.beginShutdown();
    }
    const cancelTimer = setTimeout(() => {
      for (const connection of this.connections.keys()) if (connection.busy) connection.session?.cancel();
    }, this.options.shutdownGraceMs);
    const destroyTimer = setTimeout(() => {
      for (const connection of this.connections.keys()) connection.destroy();
    }, this.options.shutdownGraceMs * 2);
    // A statement that ignores cancellation must not hold shutdown forever: after the sockets
    // are destroyed, wait one more second, then close the factory regardless.
    let giveUpTimer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'gave up'>((resolve) => {
      giveUpTimer = setTimeout(() => resolve('gave up'), this.options.shutdownGraceMs * 2 + 1000);
    });
    const outcome = await Promise.race([Promise.all(this.connections.values()), gaveUp]);
    clearTimeout(cancelTimer);
    clearTimeout(destroyTimer);
    clearTimeout(giveUpTimer);
    if (outcome === 'gave up') {
      this.log.warn({ connections: [...this.connections.keys()].map((connection) => connection.id) }, 'shutdown: statements still running after cancel; closing anyway');
    } else {
      await listenerClosed;
    }
    await this.factory.shutdown();
  }
}
