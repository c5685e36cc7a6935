// CREATE / ALTER / DROP SEQUENCE options with PostgreSQL's defaults and checks. The running
// value lives outside transactions (like PostgreSQL): see the session's sequence store.
import { CatalogEditor, type SequenceObject } from '../../catalog/index.js';
import { nameList, nodeBody, nodeKind, positionOf, type AstBody } from '../../parser/index.js';
import { T } from '../../plan/index.js';
import { SqlError, SqlState } from '../../util/errors.js';
import { completed, type Execution, type StatementHost } from '../api.js';
import { columnType } from './create-table.js';
import { creationSchema, lookupRelation, notice, ownerOf } from './common.js';

type Bounds = Pick<SequenceObject, 'start' | 'increment' | 'min' | 'max' | 'cache' | 'cycle'> & { typeOid: number };

function numberArg(arg: AstBody): bigint {
  if (!arg) throw new SqlError(SqlState.syntaxError, 'sequence option requires a value');
  const kind = nodeKind(arg);
  const body = nodeBody(arg);
  if (kind === 'Integer') return BigInt(body.ival ?? 0);
  if (kind === 'Float') return BigInt(body.fval);
  if (kind === 'String') return BigInt(body.sval);
  throw new SqlError(SqlState.syntaxError, 'invalid sequence option value');
}

const typeRange: Record<number, [bigint, bigint]> = {
  [T.int2]: [-32768n, 32767n],
  [T.int4]: [-2147483648n, 2147483647n],
  [T.int8]: [-9223372036854775808n, 9223372036854775807n],
};

export function sequenceBounds(options: AstBody[], defaultType: number, existing: SequenceObject | null): Bounds & { restart?: bigint } {
  let typeOid = existing?.typeOid ?? defaultType;
  let increment = existing?.increment ?? 1n;
  let start: bigint | undefined = existing?.start;
  let min: bigint | undefined | null = existing?.min;
  let max: bigint | undefined | null = existing?.max;
  let cache = existing?.cache ?? 1n;
  let cycle = existing?.cycle ?? false;
  let restart: bigint | undefined;
  for (const item of options) {
    const def = item.DefElem;
    switch (def.defname) {
      case 'as':
        typeOid = columnType(def.arg.TypeName ?? def.arg).oid;
        if (!typeRange[typeOid]) throw new SqlError(SqlState.invalidParameterValue, 'sequence type must be smallint, integer, or bigint');
        break;
      case 'increment':
        increment = numberArg(def.arg);
        if (increment === 0n) throw new SqlError(SqlState.invalidParameterValue, 'INCREMENT must not be zero');
        break;
      case 'start':
        start = numberArg(def.arg);
        break;
      case 'minvalue':
        min = def.arg ? numberArg(def.arg) : null;
        break;
      case 'maxvalue':
        max = def.arg ? numberArg(def.arg) : null;
        break;
      case 'cache':
        cache = numberArg(def.arg);
        break;
      case 'cycle':
        cycle = def.arg ? nodeBody(def.arg).boolval === true || nodeBody(def.arg).ival === 1 : true;
        break;
      case 'restart':
        restart = def.arg ? numberArg(def.arg) : (start ?? 1n);
        break;
      case 'owned_by':
      case 'sequence_name':
        break;
      default:
        throw new SqlError(SqlState.syntaxError, `option "${def.defname}" not recognized`, positionOf(def));
    }
  }
  const [typeMin, typeMax] = typeRange[typeOid]!;
  if (min === undefined || min === null) min = increment > 0n ? 1n : typeMin;
  if (max === undefined || max === null) max = increment > 0n ? typeMax : -1n;
  if (start === undefined) start = increment > 0n ? min : max;
  if (start < min) throw new SqlError(SqlState.invalidParameterValue, `START value (${start}) cannot be less than MINVALUE (${min})`);
  if (start > max) throw new SqlError(SqlState.invalidParameterValue, `START value (${start}) cannot be greater than MAXVALUE (${max})`);
  return { typeOid, increment, start, min, max, cache, cycle, ...(restart !== undefined ? { restart } : {}) };
}

export async function createSequence(host: StatementHost, body: AstBody): Promise<Execution> {
  const catalog = host.catalog();
  const rangeVar = body.sequence;
  const schema = creationSchema(host, catalog, rangeVar.schemaname);
  if (catalog.relation(schema.oid, rangeVar.relname)) {
    if (body.if_not_exists) {
      notice(host, `relation "${rangeVar.relname}" already exists, skipping`, '42P07');
      return completed('CREATE SEQUENCE');
    }
    throw new SqlError(SqlState.duplicateTable, `relation "${rangeVar.relname}" already exists`);
  }
  const options = (body.options ?? []) as AstBody[];
  const bounds = sequenceBounds(options, T.int8, null);
  const sequence: SequenceObject = {
    kind: 'sequence', oid: host.allocateOid(), name: rangeVar.relname, schemaOid: schema.oid, ownerOid: ownerOf(host),
    typeOid: bounds.typeOid, start: bounds.start, increment: bounds.increment, min: bounds.min, max: bounds.max, cache: bounds.cache,
    cycle: bounds.cycle, ownedBy: ownedBy(host, options),
  };
  const editor = new CatalogEditor(catalog);
  editor.put(sequence);
  host.applyCatalog(editor.finish());
  host.resetSequence(sequence.oid, sequence.start, false);
  return completed('CREATE SEQUENCE');
}

function ownedBy(host: StatementHost, options: AstBody[]): SequenceObject['ownedBy'] {
  const option = options.find((item) => item.DefElem.defname === 'owned_by');
  if (!option) return null;
  const names = nameList(option.DefElem.arg.List?.items ?? option.DefElem.arg);
  if (names.length === 1 && names[0]!.toLowerCase() === 'none') return null;
  const column = names.pop()!;
  const relname = names.pop()!;
  const table = lookupRelation(host, host.catalog(), { relname, schemaname: names.pop() });
  if (!table || table.kind !== 'table') throw new SqlError(SqlState.undefinedTable, `relation "${relname}" does not exist`);
  const def = table.columns.find((candidate) => candidate.name === column && !candidate.dropped);
  if (!def) throw new SqlError(SqlState.undefinedColumn, `column "${column}" of relation "${relname}" does not exist`);
  return { tableOid: table.oid, attnum: def.attnum };
}

export async function alterSequence(host: StatementHost, body: AstBody): Promise<Execution> {
  const catalog = host.catalog();
  const relation = lookupRelation(host, catalog, body.sequence);
  if (!relation || relation.kind !== 'sequence') {
    if (body.missing_ok) {
      notice(host, `relation "${body.sequence.relname}" does not exist, skipping`);
      return completed('ALTER SEQUENCE');
    }
    throw new SqlError(SqlState.undefinedTable, `relation "${body.sequence.relname}" does not exist`);
  }
  const options = (body.options ?? []) as AstBody[];
  const bounds = sequenceBounds(options, relation.typeOid, relation);
  const editor = new CatalogEditor(catalog);
  const owner = options.some((item) => item.DefElem.defname === 'owned_by') ? ownedBy(host, options) : relation.ownedBy;
  editor.put({ ...relation, typeOid: bounds.typeOid, start: bounds.start, increment: bounds.increment, min: bounds.min, max: bounds.max, cache: bounds.cache, cycle: bounds.cycle, ownedBy: owner });
  host.applyCatalog(editor.finish());
  if (bounds.restart !== undefined) host.resetSequence(relation.oid, bounds.restart, false);
  return completed('ALTER SEQUENCE');
}
