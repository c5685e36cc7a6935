// The wire server layer's door: a PostgreSQL v3 protocol server over a SessionFactory.
export { Server } from './server.js';
export type { ServerOptions, PasswordMethod } from './server-options.js';
export { MessageReader, type FrontendMessage } from './message-reader.js';
export { MessageWriter } from './message-writer.js';
export { tlsServerEndPoint } from './scram-exchange.js';
