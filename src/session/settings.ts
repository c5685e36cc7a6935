// Run-time settings (GUCs): the ones drivers and psql touch, with PostgreSQL's defaults,
// reporting (ParameterStatus) and transactional SET / SET LOCAL semantics.
import { SqlError, SqlState } from '../util/errors.js';

interface SettingDefinition {
  /** Canonical spelling (as SHOW ALL and ParameterStatus print it). */
  name: string;
  value: string;
  /** Sent as ParameterStatus when it changes (GUC_REPORT). */
  reported?: boolean;
  /** Cannot be changed by SET (server-level). */
  readOnly?: boolean;
  kind?: 'bool' | 'int' | 'string' | 'enum';
  choices?: string[];
  description?: string;
  unit?: string;
}

export const serverVersion = '15.8';
export const serverVersionNum = '150008';

const definitions: SettingDefinition[] = [
  { name: 'application_name', value: '', reported: true },
  { name: 'client_encoding', value: 'UTF8', reported: true },
  { name: 'DateStyle', value: 'ISO, MDY', reported: true },
  { name: 'default_transaction_read_only', value: 'off', reported: true, kind: 'bool' },
  { name: 'in_hot_standby', value: 'off', reported: true, readOnly: true, kind: 'bool' },
  { name: 'integer_datetimes', value: 'on', reported: true, readOnly: true, kind: 'bool' },
  { name: 'IntervalStyle', value: 'postgres', reported: true, kind: 'enum', choices: ['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601'] },
  { name: 'is_superuser', value: 'on', reported: true, readOnly: true, kind: 'bool' },
  { name: 'server_encoding', value: 'UTF8', reported: true, readOnly: true },
  { name: 'server_version', value: serverVersion, reported: true, readOnly: true },
  { name: 'server_version_num', value: serverVersionNum, readOnly: true },
  { name: 'session_authorization', value: 'postgres', reported: true, readOnly: true },
  { name: 'standard_conforming_strings', value: 'on', reported: true, kind: 'bool' },
  { name: 'TimeZone', value: 'UTC', reported: true },
  { name: 'extra_float_digits', value: '1', kind: 'int' },
  { name: 'search_path', value: '"$user", public' },
  { name: 'transaction_isolation', value: 'read committed' },
  { name: 'default_transaction_isolation', value: 'read committed', kind: 'enum', choices: ['serializable', 'repeatable read', 'read committed', 'read uncommitted'] },
  { name: 'transaction_read_only', value: 'off', kind: 'bool' },
  { name: 'default_transaction_deferrable', value: 'off', kind: 'bool' },
  { name: 'transaction_deferrable', value: 'off', kind: 'bool' },
  { name: 'statement_timeout', value: '0', kind: 'int', unit: 'ms' },
  { name: 'lock_timeout', value: '0', kind: 'int', unit: 'ms' },
  { name: 'idle_in_transaction_session_timeout', value: '0', kind: 'int', unit: 'ms' },
  { name: 'client_min_messages', value: 'notice' },
  { name: 'bytea_output', value: 'hex', kind: 'enum', choices: ['hex', 'escape'] },
  { name: 'max_connections', value: '100', readOnly: true },
  { name: 'max_identifier_length', value: '63', readOnly: true },
  { name: 'block_size', value: '8192', readOnly: true },
  { name: 'lc_collate', value: 'C', readOnly: true },
  { name: 'lc_ctype', value: 'C', readOnly: true },
  { name: 'lc_messages', value: 'C' },
  { name: 'lc_monetary', value: 'C' },
  { name: 'lc_numeric', value: 'C' },
  { name: 'lc_time', value: 'C' },
  { name: 'work_mem', value: '4MB' },
  { name: 'maintenance_work_mem', value: '64MB' },
  { name: 'synchronous_commit', value: 'on' },
  { name: 'row_security', value: 'on', kind: 'bool' },
  { name: 'check_function_bodies', value: 'on', kind: 'bool' },
  { name: 'xmloption', value: 'content' },
  { name: 'datestyle', value: 'ISO, MDY' },
  { name: 'escape_string_warning', value: 'on', kind: 'bool' },
  { name: 'jit', value: 'off', kind: 'bool' },
  { name: 'enable_seqscan', value: 'on', kind: 'bool' },
  { name: 'enable_indexscan', value: 'on', kind: 'bool' },
  { name: 'enable_hashjoin', value: 'on', kind: 'bool' },
  { name: 'enable_nestloop', value: 'on', kind: 'bool' },
  { name: 'enable_mergejoin', value: 'on', kind: 'bool' },
  { name: 'enable_bitmapscan', value: 'on', kind: 'bool' },
  { name: 'random_page_cost', value: '4' },
  { name: 'default_with_oids', value: 'off', kind: 'bool' },
  { name: 'password_encryption', value: 'scram-sha-256' },
  { name: 'max_parallel_workers_per_gather', value: '0' },
  { name: 'ssl', value: 'off', readOnly: true },
  { name: 'port', value: '5432', readOnly: true },
  { name: 'listen_addresses', value: 'localhost', readOnly: true },
  { name: 'data_directory', value: '', readOnly: true },
  { name: 'default_tablespace', value: '' },
  { name: 'temp_tablespaces', value: '' },
  { name: 'timezone_abbreviations', value: 'Default' },
  { name: 'geqo', value: 'on', kind: 'bool' },
  { name: 'wal_level', value: 'replica', readOnly: true },
  { name: 'fsync', value: 'on', readOnly: true },
  { name: 'log_statement', value: 'none' },
  { name: 'log_min_duration_statement', value: '-1' },
  { name: 'vacuum_freeze_min_age', value: '50000000' },
  { name: 'session_replication_role', value: 'origin' },
  { name: 'allow_system_table_mods', value: 'off', kind: 'bool' },
  { name: 'cambium.snapshot', value: '' },
];

const byLowerName = new Map(definitions.map((definition) => [definition.name.toLowerCase(), definition]));
byLowerName.set('datestyle', definitions.find((definition) => definition.name === 'DateStyle')!);

export function settingDefinitions(): readonly SettingDefinition[] {
  return definitions.filter((definition) => definition.name !== 'datestyle');
}

export function canonicalSettingName(name: string): string | undefined {
  return byLowerName.get(name.toLowerCase())?.name;
}

export class Settings {
  private readonly values = new Map<string, string>();
  /** Values to restore when the transaction ends (SET LOCAL) or aborts (SET). */
  private transactionUndo: Map<string, string | undefined> | null = null;
  private localUndo: Map<string, string | undefined> | null = null;

  constructor(private readonly onReportedChange: (name: string, value: string) => void) {
    for (const definition of definitions) this.values.set(definition.name.toLowerCase(), definition.value);
  }

  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase());
  }

  /** current_setting(): throws 42704 for unknown names unless missingOk. */
  show(name: string, missingOk = false): string | undefined {
    const value = this.get(name);
    if (value === undefined && !missingOk) {
      throw new SqlError(SqlState.undefinedObject, `unrecognized configuration parameter "${name}"`);
    }
    return value;
  }

  /** Initial value at session start (no transaction semantics). */
  initialize(name: string, value: string): void {
    const lower = name.toLowerCase();
    if (!byLowerName.has(lower) && !lower.includes('.')) return;
    this.values.set(lower, this.normalize(lower, value));
  }

  set(name: string, value: string | null, local: boolean, inTransaction: boolean): void {
    const lower = name.toLowerCase();
    const definition = byLowerName.get(lower);
    if (!definition && !lower.includes('.')) {
      throw new SqlError(SqlState.undefinedObject, `unrecognized configuration parameter "${name}"`);
    }
    if (definition?.readOnly) {
      throw new SqlError('55P02', `parameter "${lower}" cannot be changed without restarting the server`);
    }
    const next = value === null ? (definition?.value ?? '') : this.normalize(lower, value);
    const undo = local ? (this.localUndo ??= new Map()) : inTransaction ? (this.transactionUndo ??= new Map()) : null;
    if (undo && !undo.has(lower)) undo.set(lower, this.values.get(lower));
    if (local && !inTransaction) return; // SET LOCAL outside a transaction has no effect (PostgreSQL warns)
    this.assign(lower, next);
  }

  resetAll(inTransaction: boolean): void {
    for (const definition of definitions) {
      if (!definition.readOnly && definition.name !== 'application_name') {
        this.set(definition.name, null, false, inTransaction);
      }
    }
  }

  /** End of transaction: SET LOCAL values revert; on abort, plain SETs too. */
  endTransaction(committed: boolean): void {
    const restore = (undo: Map<string, string | undefined> | null) => {
      if (!undo) return;
      for (const [name, value] of undo) {
        if (value === undefined) this.values.delete(name);
        else this.assign(name, value);
      }
    };
    restore(this.localUndo);
    if (!committed) restore(this.transactionUndo);
    this.localUndo = null;
    this.transactionUndo = null;
  }

  entries(): Array<[string, string]> {
    return settingDefinitions().map((definition) => [definition.name, this.values.get(definition.name.toLowerCase()) ?? '']);
  }

  reportedParameters(): Array<[string, string]> {
    return definitions
      .filter((definition) => definition.reported)
      .map((definition) => [definition.name, this.values.get(definition.name.toLowerCase()) ?? definition.value]);
  }

  private assign(lower: string, value: string): void {
    const previous = this.values.get(lower);
    this.values.set(lower, value);
    const definition = byLowerName.get(lower);
    if (definition?.reported && previous !== value) this.onReportedChange(definition.name, value);
  }

  private normalize(lower: string, value: string): string {
    const definition = byLowerName.get(lower);
    if (!definition) return value;
    if (definition.kind === 'bool') {
      const truthy = ['on', 'true', 'yes', '1', 't', 'y'];
      const falsy = ['off', 'false', 'no', '0', 'f', 'n'];
      const v = value.toLowerCase();
      if (truthy.includes(v)) return 'on';
      if (falsy.includes(v)) return 'off';
      throw new SqlError(SqlState.invalidParameterValue, `parameter "${lower}" requires a Boolean value`);
    }
    if (definition.unit === 'ms') {
      if (parseDurationMs(value) === undefined) throw new SqlError(SqlState.invalidParameterValue, `invalid value for parameter "${lower}": "${value}"`);
      return value.trim();
    }
    if (definition.kind === 'int' && !/^-?\d+$/.test(value.trim())) {
      throw new SqlError(SqlState.invalidParameterValue, `invalid value for parameter "${lower}": "${value}"`);
    }
    if (definition.kind === 'enum' && definition.choices && !definition.choices.includes(value.toLowerCase())) {
      throw new SqlError(SqlState.invalidParameterValue, `invalid value for parameter "${lower}": "${value}"`, {
        hint: `Available values: ${definition.choices.join(', ')}.`,
      });
    }
    if (definition.kind === 'enum') return value.toLowerCase();
    if (lower === 'datestyle') return normalizeDateStyle(value);
    if (lower === 'client_encoding') {
      const v = value.toUpperCase().replace(/[-_]/g, '');
      if (v === 'UTF8' || v === 'UNICODE') return 'UTF8';
      if (v === 'SQLASCII') return 'SQL_ASCII';
      if (v === 'LATIN1') return 'LATIN1';
      throw new SqlError(SqlState.invalidParameterValue, `invalid value for parameter "client_encoding": "${value}"`);
    }
    if (lower === 'timezone' && /^(utc|gmt|z|zulu)$/i.test(value)) return value.toUpperCase() === 'Z' ? 'UTC' : value.toUpperCase();
    return value;
  }
}

function normalizeDateStyle(value: string): string {
  let format = 'ISO';
  let order = 'MDY';
  for (const part of value.split(',').map((item) => item.trim().toUpperCase())) {
    if (['ISO', 'SQL', 'POSTGRES', 'GERMAN'].includes(part)) format = part === 'POSTGRES' ? 'Postgres' : part === 'GERMAN' ? 'German' : part;
    else if (['MDY', 'DMY', 'YMD'].includes(part)) order = part;
    else if (part === 'US' || part === 'NONEURO' || part === 'NONEUROPEAN') order = 'MDY';
    else if (part === 'EURO' || part === 'EUROPEAN') order = 'DMY';
    else if (part !== 'DEFAULT') throw new SqlError(SqlState.invalidParameterValue, `invalid value for parameter "DateStyle": "${value}"`);
  }
  return `${format}, ${order}`;
}

const durationCache = new Map<string, number | undefined>();

/** '500', '500ms', '5s', '2min', '1h' → milliseconds (PostgreSQL's time units for *_timeout). */
export function parseDurationMs(value: string): number | undefined {
  if (value === '0') return 0;
  if (durationCache.has(value)) return durationCache.get(value);
  const parsed = parseDurationUncached(value);
  if (durationCache.size < 64) durationCache.set(value, parsed);
  return parsed;
}

function parseDurationUncached(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i.exec(value);
  if (!match) return undefined;
  const factor: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
  return Math.round(Number(match[1]) * factor[(match[2] ?? 'ms').toLowerCase()]!);
}
