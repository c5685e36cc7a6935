// Mocha root hooks (loaded through .mocharc.json "require"): servers shared by the whole run are
// stopped once, after the last test.
import { stopSharedCambium } from './cambium.js';
import { stopSharedPostgres } from './postgres.js';

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    await Promise.all([stopSharedPostgres(), stopSharedCambium()]);
  },
};
