// The servers a benchmark run compares, with the same durability on both sides: PostgreSQL 15
// with fsync=on and synchronous_commit=on, and Cambium (whose commits are always durable).
import { mkdirSync } from 'node:fs';
import { CambiumUnavailableError, startCambium, type CambiumServer } from '../../test/harness/cambium.js';
import { startPostgres, type PostgresServer } from '../../test/harness/postgres.js';

export interface BenchServers {
  postgres: PostgresServer;
  cambium: CambiumServer | null;
  cambiumUnavailable?: string;
  stop(): Promise<void>;
}

export async function startBenchServers(options: { profileDirectory?: string }): Promise<BenchServers> {
  const postgres = await startPostgres({ fsync: true, synchronousCommit: true, settings: { max_connections: '50' } });
  let cambium: CambiumServer | null = null;
  let cambiumUnavailable: string | undefined;
  try {
    const nodeArguments: string[] = [];
    if (options.profileDirectory) {
      mkdirSync(options.profileDirectory, { recursive: true });
      nodeArguments.push('--cpu-prof', `--cpu-prof-dir=${options.profileDirectory}`);
    }
    cambium = await startCambium({ nodeArguments, environment: { CAMBIUM_LOG_LEVEL: 'warn' } });
  } catch (error) {
    // The PostgreSQL side still runs (and the report says why Cambium's did not), so the harness
    // is exercised even before the server exists.
    if (!(error instanceof CambiumUnavailableError) && process.env.CAMBIUM_REQUIRE_SERVER) throw error;
    cambiumUnavailable = error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
  return {
    postgres,
    cambium,
    cambiumUnavailable,
    stop: async () => {
      await Promise.all([postgres.stop(), cambium?.stop()]);
    },
  };
}
