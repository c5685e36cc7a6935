// Client-program tests run twice: on PostgreSQL 15 first (so the test itself is known-good),
// then on Cambium, gated by test/cambium-enabled.txt under the id clients/<client>/<case>.
import { cambiumOrSkip } from '../harness/cambium.js';
import { gatedOnCambium } from '../harness/gates.js';
import { sharedPostgres, type DatabaseServer } from '../harness/postgres.js';
import { scratchDatabase } from '../harness/regress.js';

export interface Target {
  readonly server: DatabaseServer;
  readonly database: string;
  /** PGHOST/PGPORT/PGUSER/PGDATABASE for libpq programs. */
  readonly environment: NodeJS.ProcessEnv;
  /** On Cambium: the same client's PostgreSQL target, for "same output as PostgreSQL" checks. */
  readonly reference?: Target;
}

export type ClientCase = (caseName: string, body: (target: Target) => Promise<void>, timeoutMs?: number) => void;

async function targetOn(server: DatabaseServer, database: string, reference?: Target): Promise<Target> {
  return { server, database, environment: { ...server.clientEnvironment(), PGDATABASE: database }, reference };
}

const postgresTargets = new Map<string, Promise<Target>>();
function postgresTarget(client: string): Promise<Target> {
  let target = postgresTargets.get(client);
  if (!target) {
    target = (async () => {
      const server = await sharedPostgres();
      return targetOn(server, await scratchDatabase(server, `clients_${client}`));
    })();
    postgresTargets.set(client, target);
  }
  return target;
}

/** Declares the client's cases (in order; later cases may rely on earlier ones) for both servers. */
export function describeClient(client: string, define: (clientCase: ClientCase) => void): void {
  describe(`${client} on PostgreSQL 15`, () => {
    define((caseName, body, timeoutMs = 60_000) => {
      it(caseName, async function () {
        this.timeout(timeoutMs);
        await body(await postgresTarget(client));
      });
    });
  });

  describe(`${client} on Cambium`, () => {
    let cambiumTarget: Promise<Target> | undefined;
    define((caseName, body, timeoutMs = 60_000) => {
      it(caseName, async function () {
        this.timeout(timeoutMs);
        const cambium = await cambiumOrSkip(this);
        await gatedOnCambium(this, `clients/${client}/${caseName}`, async () => {
          cambiumTarget ??= (async () =>
            targetOn(cambium, await scratchDatabase(cambium, `clients_${client}`), await postgresTarget(client)))();
          await body(await cambiumTarget);
        });
      });
    });
  });
}
