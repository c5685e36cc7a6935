// The type registry: descriptors by OID and by name, with PostgreSQL's SQL-standard aliases.
import type { PgType } from './api.js';
import { assert } from '../util/assert.js';
import { arrayTypeOf } from './arrays.js';

const byOid = new Map<number, PgType>();
const byName = new Map<string, PgType>();

/** Registers a scalar type and (when it has one) its array type. */
export function registerType(type: PgType): void {
  assert(!byOid.has(type.oid), `type ${type.oid} registered twice`);
  byOid.set(type.oid, type);
  byName.set(type.name, type);
  if (type.arrayOid !== 0) {
    const arrayType = arrayTypeOf(type);
    byOid.set(arrayType.oid, arrayType);
    byName.set(arrayType.name, arrayType);
  }
}

/** SQL spellings PostgreSQL's grammar maps onto pg_type names (gram.y / format_type). */
const aliases: Record<string, string> = { __proto__: null as unknown as string,
  int: 'int4',
  integer: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  real: 'float4',
  float: 'float8',
  'double precision': 'float8',
  boolean: 'bool',
  'character varying': 'varchar',
  character: 'bpchar',
  char: 'bpchar',
  decimal: 'numeric',
  dec: 'numeric',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  time: 'time',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
  '"char"': 'char',
  'national character varying': 'varchar',
  'national character': 'bpchar',
  nchar: 'bpchar',
  // serial types are int columns with a sequence default; the catalog handles the sequence.
  serial: 'int4',
  serial4: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
  smallserial: 'int2',
  serial2: 'int2',
};

export function typeByOid(oid: number): PgType | undefined {
  return byOid.get(oid);
}

/** Exact pg_type.typname ('int4', 'char' is "char", '_int4'); no aliases. */
export function typeByTypname(typname: string): PgType | undefined {
  return byName.get(typname);
}

/**
 * A type by the name a user writes: pg_type names, SQL aliases (integer, double precision,
 * character varying, char → bpchar, timestamp with time zone, …), an optional pg_catalog.
 * prefix and array spellings (int[], integer[], _int4). Case-insensitive, spaces collapsed.
 */
export function typeByName(name: string): PgType | undefined {
  let normalized = name.trim().toLowerCase().replace(/\s+/g, ' ');
  if (normalized.startsWith('pg_catalog.')) normalized = normalized.slice('pg_catalog.'.length);
  const arrayMatch = /^(.*?)\s*((?:\[\d*\])+)$/.exec(normalized);
  if (arrayMatch) {
    const element = typeByName(arrayMatch[1]!);
    return element && element.arrayOid !== 0 ? byOid.get(element.arrayOid) : undefined;
  }
  const direct = byName.get(normalized);
  if (direct && normalized !== 'char') return direct;
  const alias = aliases[normalized];
  return alias === undefined ? direct : byName.get(alias);
}

/** Every registered type (scalars and arrays). */
export function allTypes(): IterableIterator<PgType> {
  return byOid.values();
}
