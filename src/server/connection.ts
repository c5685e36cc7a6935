// One client connection's plumbing: socket in (framed messages queued in an inbox the protocol
// code pulls from), socket out (a MessageWriter flushed in large writes, honouring 'drain'),
// TLS upgrade, FATAL errors and close. Protocol decisions live in startup.ts and
// query-protocol.ts; this file only moves bytes and keeps one bad connection from hurting others.
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { SqlError, SqlState } from '../util/errors.js';
import { limits } from '../util/limits.js';
import type { Logger } from '../util/log.js';
import type { Session } from '../session/contract.js';
import { errorResponse } from './backend-messages.js';
import { MessageReader, type FrontendMessage } from './message-reader.js';
import { MessageWriter } from './message-writer.js';

export type StopReason = 'client closed' | 'terminated' | 'terminated by the session' | 'shutdown' | 'fatal error';

export class Connection {
  socket: Socket;
  readonly reader = new MessageReader(limits.startupPacketBytesMax);
  readonly writer = new MessageWriter();
  readonly clientAddress: string;
  session: Session | null = null;
  /** Start-up facts for the log line. */
  user = '';
  database = '';
  isTls = false;
  /** Counted against max_connections (the server releases the slot on close). */
  admitted = false;
  /** True while a statement runs (shutdown waits for it, then cancels it). */
  busy = false;
  stopReason: StopReason | null = null;
  readonly openedAt = Date.now();
  private readonly inbox: FrontendMessage[] = [];
  private inboxHead = 0;
  private queuedBytes = 0;
  private readingPaused = false;
  /** A framing error seen after the queued messages; raised once they are consumed. */
  private pendingFatal: SqlError | null = null;
  /** The session asked to end the connection with this FATAL error. */
  private terminateError: SqlError | null = null;
  private waiter: ((message: FrontendMessage | null) => void) | null = null;
  private drainWaiters: Array<() => void> = [];
  private closed = false;
  private shuttingDown = false;
  private readonly closedPromise: Promise<void>;

  constructor(
    readonly id: number,
    private readonly rawSocket: Socket,
    readonly log: Logger,
  ) {
    this.socket = rawSocket;
    this.clientAddress = rawSocket.remoteAddress ?? '';
    rawSocket.setNoDelay(true);
    this.attach(rawSocket);
    this.closedPromise = new Promise((resolve) => {
      rawSocket.once('close', () => {
        this.closed = true;
        this.stopReason ??= 'client closed';
        this.writer.discard();
        this.wake();
        this.resolveDrainWaiters();
        resolve();
      });
    });
    rawSocket.on('error', (error) => this.log.debug({ connection: id, err: error }, 'socket error'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  private attach(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('drain', () => this.resolveDrainWaiters());
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.closed || this.pendingFatal) return;
    const before = this.inbox.length;
    try {
      this.reader.push(chunk, this.inbox);
    } catch (error) {
      this.pendingFatal = error instanceof SqlError ? error : new SqlError(SqlState.protocolViolation, 'invalid frontend message', { severity: 'FATAL' });
      this.pauseReading();
    }
    for (let index = before; index < this.inbox.length; index++) {
      const message = this.inbox[index]!;
      this.queuedBytes += message.end - message.start + 5;
    }
    if (this.queuedBytes > limits.serverInputQueuedBytesMax) this.pauseReading();
    this.wake();
  };

  private pauseReading(): void {
    if (this.readingPaused) return;
    this.readingPaused = true;
    this.socket.pause();
  }

  /** The next message, null when the connection must stop (see stopReason / takeFatal()). */
  nextMessage(): FrontendMessage | null | Promise<FrontendMessage | null> {
    if (this.shuttingDown || this.closed || this.terminateError) return this.stop();
    if (this.inboxHead < this.inbox.length) return this.take();
    if (this.pendingFatal) return this.stop();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  private stop(): null {
    if (this.terminateError) this.stopReason ??= 'terminated by the session';
    else if (this.shuttingDown) this.stopReason ??= 'shutdown';
    else if (this.pendingFatal) this.stopReason ??= 'fatal error';
    else this.stopReason ??= 'client closed';
    return null;
  }

  /** The error that ended the message stream (session termination or framing), if any. */
  takeFatal(): SqlError | null {
    const error = this.terminateError ?? this.pendingFatal;
    this.terminateError = null;
    this.pendingFatal = null;
    return error;
  }

  /** The session ends the connection: now when idle, else after the running statement. */
  terminate(error: SqlError): void {
    this.terminateError ??= error;
    this.wake();
  }

  /** Framed messages waiting to be handled. */
  hasQueuedMessages(): boolean {
    return this.inboxHead < this.inbox.length;
  }

  /** Messages that arrived after the one being handled (start-up: TLS-after-SSLRequest check). */
  hasQueuedInput(): boolean {
    return this.inboxHead < this.inbox.length || this.reader.hasBufferedBytes();
  }

  private take(): FrontendMessage {
    const message = this.inbox[this.inboxHead]!;
    this.inbox[this.inboxHead++] = undefined as unknown as FrontendMessage;
    if (this.inboxHead === this.inbox.length) {
      this.inbox.length = 0;
      this.inboxHead = 0;
    }
    this.queuedBytes -= message.end - message.start + 5;
    if (this.readingPaused && !this.pendingFatal && this.queuedBytes < limits.serverInputQueuedBytesMax / 2) {
      this.readingPaused = false;
      this.socket.resume();
    }
    return message;
  }

  private wake(): void {
    const waiter = this.waiter;
    if (waiter === null) return;
    if (this.inboxHead < this.inbox.length && !this.shuttingDown && !this.closed && !this.terminateError) {
      this.waiter = null;
      waiter(this.take());
    } else if (this.closed || this.shuttingDown || this.pendingFatal || this.terminateError) {
      this.waiter = null;
      waiter(this.stop());
    }
  }

  /** Start-up mode changed: frame the bytes the reader held back. */
  resumeFraming(): void {
    const before = this.inbox.length;
    try {
      this.reader.resume(this.inbox);
    } catch (error) {
      this.pendingFatal = error as SqlError;
    }
    for (let index = before; index < this.inbox.length; index++) {
      const message = this.inbox[index]!;
      this.queuedBytes += message.end - message.start + 5;
    }
  }

  get isIdle(): boolean {
    return this.waiter !== null;
  }

  /** Sends buffered output; false when the socket wants 'drain' first. */
  flush(): boolean {
    if (this.closed) {
      this.writer.discard();
      return true;
    }
    return this.writer.flush(this.socket);
  }

  /** Resolves once the socket accepts more output (or the connection is gone). */
  waitDrain(): Promise<void> {
    if (this.closed || !this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Flushes, then waits for 'drain' if the socket is saturated. */
  async flushAndDrain(): Promise<void> {
    if (!this.flush()) await this.waitDrain();
  }

  private resolveDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** A single unframed byte (the answer to SSLRequest / GSSENCRequest). */
  writeRawByte(byte: string): void {
    if (!this.closed) this.socket.write(Buffer.from(byte, 'latin1'));
  }

  /** SSLRequest accepted: the rest of the conversation runs over TLS. */
  async upgradeToTls(secureContext: SecureContext): Promise<boolean> {
    this.rawSocket.removeListener('data', this.onData);
    const tlsSocket = new TLSSocket(this.rawSocket, { isServer: true, secureContext });
    this.socket = tlsSocket;
    this.isTls = true;
    this.attach(tlsSocket);
    tlsSocket.on('error', (error) => {
      this.log.debug({ connection: this.id, err: error }, 'TLS error');
      this.rawSocket.destroy();
    });
    return new Promise((resolve) => {
      tlsSocket.once('secure', () => resolve(true));
      this.closedPromise.then(() => resolve(false), () => resolve(false));
    });
  }

  /** Sends a FATAL ErrorResponse and closes the connection. */
  fatal(error: SqlError): void {
    this.stopReason ??= 'fatal error';
    if (this.closed) return;
    this.writer.abandon();
    const severity = error.severity;
    error.severity = 'FATAL';
    errorResponse(this.writer, error);
    error.severity = severity;
    this.flush();
    this.end();
  }

  /** Closes after the queued output is written. */
  end(): void {
    if (this.closed) return;
    this.socket.end();
    // A peer that never reads must not hold the socket open forever.
    setTimeout(() => this.rawSocket.destroy(), 5_000).unref();
  }

  destroy(): void {
    this.rawSocket.destroy();
  }

  /** Server shutdown: an idle connection stops now; a busy one after its statement. */
  beginShutdown(): void {
    this.shuttingDown = true;
    this.wake();
  }
}
