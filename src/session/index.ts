// The session layer's door: openDatabaseServer() opens (or creates) the data directory and
// returns the SessionFactory the wire server drives.
import { openEngine, type EngineOptions } from '../engine/index.js';
import { createTransactionManager } from '../txn/index.js';
import '../types/functions/index.js';
import type { SessionFactory } from './contract.js';
import { DatabaseServer, type DatabaseServerOptions } from './database.js';

export type { SessionFactory, Session } from './contract.js';
export { DatabaseServer } from './database.js';

export interface OpenDatabaseServerOptions extends DatabaseServerOptions, Partial<Omit<EngineOptions, 'dir'>> {
  dataDir: string;
}

export async function openDatabaseServer(options: OpenDatabaseServerOptions): Promise<SessionFactory> {
  const { dataDir, superuser, ...engineOptions } = options;
  const engine = await openEngine({ ...engineOptions, dir: dataDir });
  try {
    const transactions = createTransactionManager(engine);
    return await DatabaseServer.create(engine, transactions, superuser !== undefined ? { superuser } : {});
  } catch (error) {
    await engine.close();
    throw error;
  }
}
