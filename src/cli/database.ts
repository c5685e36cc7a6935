// The one place the CLI learns how the SQL layer opens a database directory. The session layer
// (src/session/index.ts, owned by the SQL engineer) is expected to export
// `openDatabase(dataDirectory: string): Promise<SessionFactory>`; until it lands on main the
// import is resolved at run time so the CLI still builds, and `serve` fails with a clear message.
import type { SessionFactory } from '../session/contract.js';

export async function openSessionFactory(dataDirectory: string): Promise<SessionFactory> {
  const sessionLayer = '../session/index.js';
  let layer: { openDatabase?: (dataDirectory: string) => Promise<SessionFactory> | SessionFactory };
  try {
    layer = (await import(sessionLayer)) as typeof layer;
  } catch (error) {
    throw new Error(`the SQL session layer (src/session/index.ts) is not available: ${(error as Error).message}`);
  }
  if (typeof layer.openDatabase !== 'function') {
    throw new Error('src/session/index.ts does not export openDatabase(dataDirectory)');
  }
  return layer.openDatabase(dataDirectory);
}
