// The one place the CLI learns how the SQL layer opens a data directory: the session layer's
// openDatabaseServer() opens (or creates) it and returns the SessionFactory the server drives.
import type { SessionFactory } from '../session/contract.js';
import { openDatabaseServer } from '../session/index.js';

export function openSessionFactory(dataDirectory: string): Promise<SessionFactory> {
  return openDatabaseServer({ dataDir: dataDirectory });
}
