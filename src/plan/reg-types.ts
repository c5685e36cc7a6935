// The OID alias types (regclass, regtype, regnamespace, regproc, regrole): OIDs on the wire in
// binary, object names in text. Their text output needs the catalog, so the session formats
// them (see formatRegValue); here they are registered (unless the types layer already has
// them) with oid's representation and casts to and from oid.
import { registerType, typeByOid, TypeOid } from '../types/index.js';
import type { PgType } from '../types/api.js';

export const RegType = { regproc: 24, regclass: 2205, regtype: 2206, regnamespace: 4089, regrole: 4096 } as const;
const arrays: Record<number, number> = { 24: 1008, 2205: 2210, 2206: 2211, 4089: 4090, 4096: 4097 };

export const regTypeOids: ReadonlySet<number> = new Set(Object.values(RegType));

const oid = typeByOid(TypeOid.oid)!;
for (const [name, typeOid] of Object.entries(RegType)) {
  if (typeByOid(typeOid)) continue;
  const type: PgType = { ...oid, oid: typeOid, name, arrayOid: arrays[typeOid]!, category: 'N', preferred: false };
  registerType(type);
}
