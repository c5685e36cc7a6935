// The one place the CLI learns how the SQL layer opens a database directory. The session layer
// (src/session/index.ts, owned by the SQL engineer) exports
// `openDatabaseServer({ dataDir }): Promise<SessionFactory>`; until it lands on main the import
// is resolved at run time so the CLI still builds, and `serve` says it is not available.
import type { SessionFactory } from '../session/contract.js';

/** This build has no session layer yet: `serve` exits 0 without listening (the test harness's "not implemented" signal). */
export class SessionLayerUnavailableError extends Error {}

export async function openSessionFactory(dataDirectory: string): Promise<SessionFactory> {
  const sessionLayer = '../session/index.js';
  let layer: { openDatabaseServer?: (options: { dataDir: string }) => Promise<SessionFactory> };
  try {
    layer = (await import(sessionLayer)) as typeof layer;
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes('session/index.js');
    if (missing) throw new SessionLayerUnavailableError('the SQL session layer (src/session/index.ts) is not in this build yet');
    throw error;
  }
  if (typeof layer.openDatabaseServer !== 'function') {
    throw new SessionLayerUnavailableError('src/session/index.ts does not export openDatabaseServer({ dataDir }) yet');
  }
  return layer.openDatabaseServer({ dataDir: dataDirectory });
}
