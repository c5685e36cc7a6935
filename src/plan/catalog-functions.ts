// Functions that need the catalog or the session (sequences, settings, search path, catalog
// introspection for psql and drivers). The functions layer below cannot see these, so the
// binder resolves them here before looking in the built-in registry.
import type { Value } from '../types/api.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { ExprBinder } from './bind-expr.js';
import type { Expr, RuntimeContext } from './expr.js';
import { describeConstraint, describeIndex } from './describe.js';
import { formatTypeName, T, UNKNOWN } from './type-access.js';

type Impl = (args: Value[], context: RuntimeContext) => Value;

interface SessionFunction {
  args: number[][];
  result: number;
  strict?: boolean;
  volatile?: boolean;
  impl: Impl;
}

const text = T.text;
const oid = T.oid;
const regclass = 2205;

function schemaNames(context: RuntimeContext): string[] {
  const catalog = context.services.catalog();
  return context.services.searchPathOids().map((schemaOid) => catalog.schemaByOid(schemaOid)?.name ?? (schemaOid === 11 ? 'pg_catalog' : '')).filter(Boolean);
}

function sequenceOid(context: RuntimeContext, value: Value): number {
  if (typeof value === 'number') return value;
  const found = context.services.relationOid(String(value), false)!;
  return found;
}

const definitions: Record<string, SessionFunction> = {
  current_schema: {
    args: [[]], result: T.name,
    impl: (_args, c) => schemaNames(c).find((name) => name !== 'pg_catalog') ?? null,
  },
  current_schemas: {
    args: [[T.bool]], result: T._name, strict: true,
    impl: ([implicit], c) => {
      const names = schemaNames(c).filter((name) => name !== 'pg_catalog');
      const all = implicit ? ['pg_catalog', ...names] : names;
      return { elements: all, dims: [all.length], lowerBounds: [1] };
    },
  },
  current_setting: {
    args: [[text], [text, T.bool]], result: text, strict: true, volatile: true,
    impl: ([name, missingOk], c) => c.services.getSetting(String(name), missingOk === true),
  },
  set_config: {
    args: [[text, text, T.bool]], result: text, volatile: true, strict: false,
    impl: ([name, value, isLocal], c) => {
      if (name === null) throw new SqlError(SqlState.nullValueNotAllowed, 'SET requires parameter name');
      return c.services.setSetting(String(name), value === null ? '' : String(value), isLocal === true);
    },
  },
  nextval: { args: [[regclass], [text]], result: T.int8, strict: true, volatile: true, impl: ([s], c) => c.services.nextval(sequenceOid(c, s!)) },
  currval: { args: [[regclass], [text]], result: T.int8, strict: true, volatile: true, impl: ([s], c) => c.services.currval(sequenceOid(c, s!)) },
  lastval: { args: [[]], result: T.int8, volatile: true, impl: (_a, c) => c.services.lastval() },
  setval: {
    args: [[regclass, T.int8], [regclass, T.int8, T.bool], [text, T.int8], [text, T.int8, T.bool]], result: T.int8, strict: true, volatile: true,
    impl: ([s, value, called], c) => c.services.setval(sequenceOid(c, s!), value as bigint, called !== false),
  },
  pg_get_serial_sequence: {
    args: [[text, text]], result: text, strict: true,
    impl: ([table, column], c) => {
      const tableOid = c.services.relationOid(String(table), false)!;
      const catalog = c.services.catalog();
      for (const sequence of catalog.all('sequence')) {
        if (sequence.ownedBy?.tableOid !== tableOid) continue;
        const def = catalog.table(tableOid).columns.find((col) => col.attnum === sequence.ownedBy!.attnum);
        if (def?.name === column) return `${catalog.schemaByOid(sequence.schemaOid)?.name}.${sequence.name}`;
      }
      return null;
    },
  },
  pg_export_snapshot: {
    args: [[]], result: T.text, volatile: true,
    impl: (_a, c) => {
      if (!c.services.exportSnapshot) throw new SqlError(SqlState.featureNotSupported, 'pg_export_snapshot is not supported here');
      return c.services.exportSnapshot();
    },
  },
  txid_current: { args: [[]], result: T.int8, volatile: true, impl: (_a, c) => BigInt(c.services.transactionId()) },
  pg_current_xact_id: { args: [[]], result: T.int8, volatile: true, impl: (_a, c) => BigInt(c.services.transactionId()) },
  pg_table_is_visible: {
    args: [[oid]], result: T.bool, strict: true,
    impl: ([relation], c) => {
      const object = c.services.catalog().get(relation as number);
      if (!object || !('schemaOid' in object)) return relation as number < 16384;
      if (!c.services.searchPathOids().includes(object.schemaOid)) return false;
      return c.services.relationOid(object.name, true) === object.oid;
    },
  },
  pg_type_is_visible: { args: [[oid]], result: T.bool, strict: true, impl: () => true },
  pg_function_is_visible: { args: [[oid]], result: T.bool, strict: true, impl: () => true },
  format_type: {
    args: [[oid, T.int4]], result: text, strict: false,
    impl: ([typeOid, typmod]) => (typeOid === null ? null : formatTypeName(typeOid as number, (typmod as number | null) ?? -1)),
  },
  pg_get_userbyid: {
    args: [[oid]], result: T.name, strict: true,
    impl: ([roleOid], c) => c.services.catalog().roleByOid(roleOid as number)?.name ?? `unknown (OID=${roleOid})`,
  },
  obj_description: { args: [[oid], [oid, T.name]], result: text, strict: true, impl: ([o], c) => {
    const object = c.services.catalog().get(o as number);
    return object?.kind === 'table' ? object.comment : null;
  } },
  col_description: { args: [[oid, T.int4]], result: text, strict: true, impl: () => null },
  shobj_description: { args: [[oid, T.name]], result: text, strict: true, impl: () => null },
  pg_get_expr: {
    args: [[T.text, oid], [T.text, oid, T.bool]], result: text, strict: true,
    impl: ([expression]) => expression,
  },
  pg_get_indexdef: {
    args: [[oid], [oid, T.int4, T.bool]], result: text, strict: true,
    impl: ([indexOid, column], c) => describeIndex(c.services.catalog(), indexOid as number, (column as number | undefined) ?? 0),
  },
  pg_get_constraintdef: {
    args: [[oid], [oid, T.bool]], result: text, strict: true,
    impl: ([constraintOid], c) => describeConstraint(c.services.catalog(), constraintOid as number),
  },
  pg_get_viewdef: {
    args: [[oid], [oid, T.bool]], result: text, strict: true,
    impl: ([viewOid], c) => {
      const object = c.services.catalog().get(viewOid as number);
      return object?.kind === 'view' ? ` ${object.text};` : null;
    },
  },
  pg_encoding_to_char: { args: [[T.int4]], result: T.name, strict: true, impl: ([e]) => (e === 6 ? 'UTF8' : e === 0 ? 'SQL_ASCII' : '') },
  pg_relation_size: { args: [[regclass], [regclass, text]], result: T.int8, strict: true, impl: () => 0n },
  pg_total_relation_size: { args: [[regclass]], result: T.int8, strict: true, impl: () => 0n },
  pg_table_size: { args: [[regclass]], result: T.int8, strict: true, impl: () => 0n },
  pg_indexes_size: { args: [[regclass]], result: T.int8, strict: true, impl: () => 0n },
  pg_database_size: { args: [[T.name], [oid]], result: T.int8, strict: true, impl: () => 0n },
  pg_is_in_recovery: { args: [[]], result: T.bool, impl: () => false },
  has_table_privilege: { args: [[text, text], [oid, text], [text, text, text], [T.name, oid, text]], result: T.bool, strict: true, impl: () => true },
  has_schema_privilege: { args: [[text, text], [oid, text], [text, text, text], [T.name, oid, text]], result: T.bool, strict: true, impl: () => true },
  has_database_privilege: { args: [[text, text], [oid, text], [text, text, text]], result: T.bool, strict: true, impl: () => true },
  has_sequence_privilege: { args: [[text, text], [oid, text], [text, text, text]], result: T.bool, strict: true, impl: () => true },
  has_column_privilege: { args: [[text, text, text], [oid, T.int2, text]], result: T.bool, strict: true, impl: () => true },
  pg_has_role: { args: [[text, text], [oid, text], [text, text, text]], result: T.bool, strict: true, impl: () => true },
  to_regclass: {
    args: [[text]], result: regclass, strict: true,
    impl: ([name], c) => c.services.relationOid(String(name), true),
  },
};

/** Binds a call to one of the functions above, or returns undefined for the registry to try. */
export function sessionFunction(name: string, args: Expr[], binder: ExprBinder, position: number | undefined): Expr | undefined {
  const definition = definitions[name];
  if (!definition) return undefined;
  const signature = definition.args.find((candidate) =>
    candidate.length === args.length && candidate.every((t, i) => {
      const actual = args[i]!.type;
      return actual === t || actual === UNKNOWN || (t === regclass && (actual === T.oid || actual === T.int4 || actual === T.int8 || actual === T.text))
        || (t === T.oid && (actual === T.int4 || actual === regclass || actual === 2206 || actual === 4089))
        || (t === T.text && (actual === T.name || actual === T.varchar || actual === T.bpchar))
        || (t === T.name && actual === T.text) || (t === T.int8 && (actual === T.int4 || actual === T.int2)) || (t === T.int4 && actual === T.int2)
        || (t === T.int2 && actual === T.int4);
    }));
  if (!signature) return undefined;
  const coerced = args.map((arg, i) => {
    const target = signature[i] === regclass ? (arg.type === T.text || arg.type === UNKNOWN ? T.text : T.oid) : signature[i]!;
    if (arg.type === 2205 || arg.type === 2206 || arg.type === 4089) return { ...arg, type: T.oid };
    return binder.coerce(arg, target, -1, 'implicit', undefined, position);
  });
  return {
    kind: 'call', name, args: coerced, strict: definition.strict ?? false, volatile: definition.volatile ?? true,
    type: definition.result, typmod: -1, impl: definition.impl,
  };
}
