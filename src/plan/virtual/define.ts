// Declaring virtual relations: a column list with types, and a row generator over the catalog.
import type { Value } from '../../types/api.js';
import type { RuntimeContext } from '../expr.js';
import type { OutputColumn, VirtualRelationSource } from '../nodes.js';
import { T } from '../type-access.js';

export interface VirtualRelation extends VirtualRelationSource {
  columns: OutputColumn[];
  /** pg_class OID shown for the relation (fixed, as in PostgreSQL where known). */
  oid: number;
}

const registry = new Map<string, VirtualRelation>();

const typeNames: Record<string, number> = {
  oid: T.oid, name: T.name, text: T.text, bool: T.bool, int2: T.int2, int4: T.int4, int8: T.int8, char: T.char,
  float4: T.float4, float8: T.float8, _oid: T._oid, _text: T._text, _name: T._name, int2vector: T._int2, oidvector: T._oid,
  _int2: T._int2, _char: T._char, timestamptz: T.timestamptz, _aclitem: T._text, aclitem: T.text, regproc: T.oid,
  pg_node_tree: T.text, xid: T.int8, regtype: T.oid, regclass: T.oid, numeric: T.numeric, _float4: T._float4, anyarray: T._text,
  _bool: T._bool, interval: T.interval, varchar: T.varchar,
};

/** `columns` as "name type" pairs, e.g. ['oid oid', 'relname name']. */
export function defineVirtual(qualifiedName: string, oid: number, columns: string[], rows: (context: RuntimeContext) => Iterable<Value[]>): void {
  registry.set(qualifiedName, {
    oid,
    columns: columns.map((spec, i) => {
      const [name, typeName] = spec.split(' ') as [string, string];
      const type = typeNames[typeName];
      if (type === undefined) throw new Error(`virtual relation ${qualifiedName}: unknown type ${typeName}`);
      return { name, type, typmod: -1, tableOid: oid, attnum: i + 1 };
    }),
    rows: (context) => rows(context as RuntimeContext),
  });
}

export function lookupVirtual(qualifiedName: string): VirtualRelation | undefined {
  return registry.get(qualifiedName);
}

export function virtualRelations(): IterableIterator<[string, VirtualRelation]> {
  return registry.entries();
}
