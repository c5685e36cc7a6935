// The engine layer's door: openEngine() and the interface of src/engine/api.ts.
import { CambiumEngine, type EngineOptions } from './engine.js';

export type * from './api.js';
export { CambiumEngine, type EngineOptions } from './engine.js';

/** Opens (creating when absent) the database in `options.dir`, recovering from the WAL. */
export function openEngine(options: EngineOptions): Promise<CambiumEngine> {
  return CambiumEngine.open(options);
}
