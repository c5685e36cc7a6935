// System information functions that need only the session facts in FunctionContext (the
// catalog-aware ones — current_schema(s), pg_table_is_visible, format_type, pg_get_*,
// has_*_privilege, txid_current — are bound by the planner, which sees the catalog).
import { randomUUID } from 'node:crypto';
import { arch, platform } from 'node:os';
import { defineFunction } from './define.js';
import { Oid } from './oids.js';

/** Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01 UTC). */
const postgresEpochMicros = 946_684_800_000_000n;

export function nowMicros(): bigint {
  // performance.timeOrigin + now() has sub-millisecond resolution.
  const milliseconds = performance.timeOrigin + performance.now();
  return BigInt(Math.round(milliseconds * 1000)) - postgresEpochMicros;
}

const processStartMicros = BigInt(Math.round(performance.timeOrigin * 1000)) - postgresEpochMicros;

/** The server_version Cambium reports unless the session says otherwise. */
export const defaultServerVersion = '15.0';

function machine(): string {
  const cpu = arch() === 'x64' ? 'x86_64' : arch() === 'arm64' ? 'aarch64' : arch();
  return `${cpu}-pc-${platform()}-gnu`;
}

defineFunction(
  'version',
  [],
  Oid.text,
  (_args, context) => {
    const serverVersion = context.session.getSetting('server_version') ?? defaultServerVersion;
    // Drivers parse the leading "PostgreSQL <major>.<minor>".
    return `PostgreSQL ${serverVersion} (Cambium) on ${machine()}, compiled by TypeScript, 64-bit`;
  },
  { volatility: 'stable' },
);

defineFunction('current_database', [], Oid.name, (_args, context) => context.session.database, { volatility: 'stable' });
defineFunction('pg_backend_pid', [], Oid.int4, (_args, context) => context.session.processId, { volatility: 'stable' });
defineFunction('pg_postmaster_start_time', [], Oid.timestamptz, () => processStartMicros, { volatility: 'stable' });
defineFunction('pg_conf_load_time', [], Oid.timestamptz, () => processStartMicros, { volatility: 'stable' });
defineFunction('pg_client_encoding', [], Oid.name, () => 'UTF8', { volatility: 'stable' });
defineFunction('getdatabaseencoding', [], Oid.name, () => 'UTF8', { volatility: 'stable' });
// Connections arrive over TCP or a Unix socket the session does not describe yet: NULL, as
// PostgreSQL answers for Unix-socket connections.
defineFunction('inet_client_addr', [], Oid.inet, () => null, { volatility: 'stable', strict: false });
defineFunction('inet_client_port', [], Oid.int4, () => null, { volatility: 'stable', strict: false });
defineFunction('inet_server_addr', [], Oid.inet, () => null, { volatility: 'stable', strict: false });
defineFunction('inet_server_port', [], Oid.int4, () => null, { volatility: 'stable', strict: false });

/** pg_typeof: the resolved argument type as regtype (an OID printed as a type name). */
defineFunction('pg_typeof', [Oid.any], Oid.regtype, (_args, _context, argTypes) => argTypes[0]!, { strict: false, volatility: 'stable' });

defineFunction('num_nulls', [Oid.any], Oid.int4, (args) => args.filter((v) => v === null).length, { strict: false, variadic: Oid.any });
defineFunction('num_nonnulls', [Oid.any], Oid.int4, (args) => args.filter((v) => v !== null).length, { strict: false, variadic: Oid.any });

defineFunction('gen_random_uuid', [], Oid.uuid, () => randomUUID(), { volatility: 'volatile' });

// --- current time ---------------------------------------------------------------------------
for (const name of ['now', 'transaction_timestamp']) {
  defineFunction(name, [], Oid.timestamptz, (_args, context) => context.transactionTimestamp, { volatility: 'stable' });
}
defineFunction('statement_timestamp', [], Oid.timestamptz, (_args, context) => context.statementTimestamp, { volatility: 'stable' });
defineFunction('clock_timestamp', [], Oid.timestamptz, () => nowMicros(), { volatility: 'volatile' });

/** timeofday(): the clock as text, 'Sun Nov 22 03:47:56.123456 2026 UTC' (always in UTC here). */
defineFunction(
  'timeofday',
  [],
  Oid.text,
  () => {
    const micros = nowMicros() + postgresEpochMicros;
    const date = new Date(Number(micros / 1000n));
    const [weekday, day, month, year, time] = date.toUTCString().replace(',', '').split(' ') as [string, string, string, string, string];
    const fraction = String(micros % 1_000_000n).padStart(6, '0');
    return `${weekday} ${month} ${day} ${time}.${fraction} ${year} UTC`;
  },
  { volatility: 'volatile' },
);
