// pg_cast entries of the OID alias types (reg*) and pg_node_tree.
import { registerCast } from './casts.js';
import { SqlError, SqlState } from '../util/errors.js';
import { TypeOid } from './oids.js';
import { SystemTypeOid as S, regclassType } from './system-types.js';

const regTypes = [S.regproc, S.regclass, S.regtype, S.regnamespace, S.regrole];
for (const reg of regTypes) {
  registerCast(TypeOid.oid, reg, 'implicit', (v) => v);
  registerCast(reg, TypeOid.oid, 'implicit', (v) => v);
  registerCast(TypeOid.int2, reg, 'implicit', (v) => (v as number) >>> 0);
  registerCast(TypeOid.int4, reg, 'implicit', (v) => (v as number) >>> 0);
  registerCast(TypeOid.int8, reg, 'implicit', (v) => {
    const x = v as bigint;
    if (x < 0n || x > 4294967295n) throw new SqlError(SqlState.numericValueOutOfRange, 'OID out of range');
    return Number(x);
  });
  registerCast(reg, TypeOid.int4, 'assignment', (v) => (v as number) | 0);
  registerCast(reg, TypeOid.int8, 'assignment', (v) => BigInt(v as number));
}
registerCast(S.regproc, S.regprocedure, 'implicit', (v) => v);
registerCast(S.regprocedure, S.regproc, 'implicit', (v) => v);
registerCast(TypeOid.text, S.regclass, 'implicit', (v, settings) => regclassType.parseText(v as string, -1, settings));
registerCast(TypeOid.varchar, S.regclass, 'implicit', (v, settings) => regclassType.parseText(v as string, -1, settings));
registerCast(S.pgNodeTree, TypeOid.text, 'implicit', (v) => v);
