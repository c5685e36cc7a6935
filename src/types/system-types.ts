// System types the catalogs use: int2vector and oidvector (space-separated, lower bound 0),
// xid, the reg* OID aliases (regclass, regtype, regproc, …), pg_node_tree, aclitem and
// unknown. reg* names of catalog objects come from resolvers the catalog layer installs
// (a layer above this one); regtype resolves built-in types itself.
import type { FormatSettings, KeyReader, KeyWriter, PgType, Value } from './api.js';
import { SqlError, SqlState } from '../util/errors.js';
import { compareArrays, decodeArrayBinary, encodeArrayBinary, type PgArray } from './arrays.js';
import { combineHashes } from './hash.js';
import { int2Type, oidType } from './integers.js';
import { TypeOid } from './oids.js';
import { registerType, typeByName, typeByOid } from './registry.js';
import { textType } from './strings.js';
import { formatType } from './typmod.js';

export const SystemTypeOid = {
  int2vector: 22,
  regproc: 24,
  xid: 28,
  oidvector: 30,
  pgNodeTree: 194,
  aclitem: 1033,
  regprocedure: 2202,
  regoper: 2203,
  regoperator: 2204,
  regclass: 2205,
  regtype: 2206,
  regnamespace: 4089,
  regrole: 4096,
  _int2vector: 1006,
  _regproc: 1008,
  _xid: 1011,
  _oidvector: 1013,
  _aclitem: 1034,
  _regprocedure: 2207,
  _regoper: 2208,
  _regoperator: 2209,
  _regclass: 2210,
  _regtype: 2211,
  _regnamespace: 4090,
  _regrole: 4097,
} as const;

// ---- int2vector / oidvector

function vectorType(oid: number, name: string, element: PgType, arrayOid: number): PgType {
  const parse = (text: string, settings: FormatSettings): PgArray => {
    const words = text.split(/[ \t\n\r\f\v]+/).filter(Boolean);
    const elements = words.map((word) => element.parseText(word, -1, settings));
    return elements.length === 0 ? { elements, dims: [], lowerBounds: [] } : { elements, dims: [elements.length], lowerBounds: [0] };
  };
  return {
    oid,
    name,
    length: -1,
    category: 'A',
    preferred: false,
    arrayOid,
    element,
    parseText: (text: string, _typmod: number, settings: FormatSettings) => parse(text, settings),
    formatText: (value: Value, settings: FormatSettings) => (value as PgArray).elements.map((e) => element.formatText(e, settings)).join(' '),
    decodeBinary: (data: Uint8Array) => decodeArrayBinary(data, element, -1),
    // Always one dimension with lower bound 0, even when empty.
    encodeBinary: (value: Value) => encodeArrayBinary({ elements: (value as PgArray).elements, dims: [(value as PgArray).elements.length], lowerBounds: [0] }, element),
    applyTypmod: (value: Value) => value,
    compare: (a: Value, b: Value) => {
      const x = a as PgArray;
      const y = b as PgArray;
      // oidvectorcmp: shorter vectors first, then element by element.
      if (x.elements.length !== y.elements.length) return x.elements.length - y.elements.length;
      return compareArrays(x, y, element);
    },
    hash: (value: Value) => (value as PgArray).elements.reduce<number>((h, e) => combineHashes(h, element.hash(e)), 7),
    encodeKey: (value: Value, out: KeyWriter) => {
      const elements = (value as PgArray).elements;
      out.byte(Math.min(elements.length, 255));
      for (const e of elements) element.encodeKey(e, out);
    },
    decodeKey: (input: KeyReader) => {
      const count = input.buffer[input.offset++]!;
      const elements = Array.from({ length: count }, () => element.decodeKey(input));
      return elements.length === 0 ? { elements, dims: [], lowerBounds: [] } : { elements, dims: [count], lowerBounds: [0] };
    },
  };
}

export const int2vectorType = vectorType(SystemTypeOid.int2vector, 'int2vector', int2Type, SystemTypeOid._int2vector);
export const oidvectorType = vectorType(SystemTypeOid.oidvector, 'oidvector', oidType, SystemTypeOid._oidvector);

// ---- OID-valued types

/** Names ↔ OIDs of catalog objects for the reg* types, installed by the catalog layer. */
export interface RegNameResolver {
  toName(oid: number): string | undefined;
  toOid(name: string): number | undefined;
}

const resolvers = new Map<number, RegNameResolver>();

/** Installs the resolver for one reg* type (regclass, regproc, regnamespace, regrole, …). */
export function setRegNameResolver(typeOid: number, resolver: RegNameResolver): void {
  resolvers.set(typeOid, resolver);
}

const notFound: Record<number, (name: string) => SqlError> = {
  [SystemTypeOid.regclass]: (n) => new SqlError(SqlState.undefinedTable, `relation "${n}" does not exist`),
  [SystemTypeOid.regtype]: (n) => new SqlError(SqlState.undefinedObject, `type "${n}" does not exist`),
  [SystemTypeOid.regproc]: (n) => new SqlError(SqlState.undefinedFunction, `function "${n}" does not exist`),
  [SystemTypeOid.regprocedure]: (n) => new SqlError(SqlState.undefinedFunction, `function "${n}" does not exist`),
  [SystemTypeOid.regoper]: (n) => new SqlError(SqlState.undefinedFunction, `operator does not exist: ${n}`),
  [SystemTypeOid.regoperator]: (n) => new SqlError(SqlState.undefinedFunction, `operator does not exist: ${n}`),
  [SystemTypeOid.regnamespace]: (n) => new SqlError(SqlState.invalidSchemaName, `schema "${n}" does not exist`),
  [SystemTypeOid.regrole]: (n) => new SqlError(SqlState.undefinedObject, `role "${n}" does not exist`),
};

function regType(oid: number, name: string, arrayOid: number): PgType {
  return {
    ...oidType,
    oid,
    name,
    arrayOid,
    parseText: (text: string, typmod: number, settings: FormatSettings) => {
      const trimmed = text.trim();
      if (/^\d+$/.test(trimmed)) return oidType.parseText(trimmed, typmod, settings);
      if (trimmed === '-') return 0;
      if (oid === SystemTypeOid.regtype) {
        const type = typeByName(trimmed.replace(/\(\s*[\d\s,]+\)/, ''));
        if (type) return type.oid;
      }
      const found = resolvers.get(oid)?.toOid(trimmed);
      if (found !== undefined) return found;
      throw notFound[oid]!(trimmed);
    },
    formatText: (value: Value) => {
      const id = value as number;
      if (id === 0) return '-';
      if (oid === SystemTypeOid.regtype && typeByOid(id)) return formatType(id);
      return resolvers.get(oid)?.toName(id) ?? String(id);
    },
  };
}

export const regprocType = regType(SystemTypeOid.regproc, 'regproc', SystemTypeOid._regproc);
export const regprocedureType = regType(SystemTypeOid.regprocedure, 'regprocedure', SystemTypeOid._regprocedure);
export const regoperType = regType(SystemTypeOid.regoper, 'regoper', SystemTypeOid._regoper);
export const regoperatorType = regType(SystemTypeOid.regoperator, 'regoperator', SystemTypeOid._regoperator);
export const regclassType = regType(SystemTypeOid.regclass, 'regclass', SystemTypeOid._regclass);
export const regtypeType = regType(SystemTypeOid.regtype, 'regtype', SystemTypeOid._regtype);
export const regnamespaceType = regType(SystemTypeOid.regnamespace, 'regnamespace', SystemTypeOid._regnamespace);
export const regroleType = regType(SystemTypeOid.regrole, 'regrole', SystemTypeOid._regrole);

export const xidType: PgType = {
  ...oidType,
  oid: SystemTypeOid.xid,
  name: 'xid',
  category: 'U',
  arrayOid: SystemTypeOid._xid,
  // xidin is C's strtoul(…, 0) without checks: leading digits (or 0x hex), wrapping, else 0.
  parseText: (text: string) => {
    const match = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|\d+)/.exec(text);
    if (!match) return 0;
    let value = BigInt(match[2]!.toLowerCase().startsWith('0x') ? match[2]! : match[2]!.replace(/^0+(?=\d)/, ''));
    if (value >= 1n << 64n) return 0xffffffff; // strtoul saturates at ULONG_MAX
    if (match[1] === '-') value = -value;
    return Number(BigInt.asUintN(32, value)); // unsigned long truncated to 32 bits
  },
};

// ---- text-like system types

export const pgNodeTreeType: PgType = { ...textType, oid: SystemTypeOid.pgNodeTree, name: 'pg_node_tree', category: 'Z', preferred: false, arrayOid: 0 };
export const aclitemType: PgType = { ...textType, oid: SystemTypeOid.aclitem, name: 'aclitem', category: 'U', preferred: false, arrayOid: SystemTypeOid._aclitem };
/** unknown: the type of untyped string literals until resolved (typlen -2 in PostgreSQL). */
export const unknownType: PgType = { ...textType, oid: TypeOid.unknown, name: 'unknown', category: 'X', preferred: false, arrayOid: 0 };

export function registerSystemTypes(): void {
  for (const type of [
    int2vectorType, oidvectorType, regprocType, regprocedureType, regoperType, regoperatorType, regclassType, regtypeType,
    regnamespaceType, regroleType, xidType, pgNodeTreeType, aclitemType, unknownType,
  ]) {
    registerType(type);
  }
}

