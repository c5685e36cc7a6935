// The objects a new cluster starts with: database `postgres`, superuser `postgres`, schema public.
import { FixedOid, type CatalogObject } from './model.js';

export function bootstrapObjects(superuser = 'postgres'): CatalogObject[] {
  return [
    {
      kind: 'role', oid: FixedOid.bootstrapSuperuser, name: superuser, superuser: true, inherit: true,
      createRole: true, createDatabase: true, canLogin: true, replication: true, bypassRls: true,
      connectionLimit: -1, password: null, validUntil: null, memberOf: [],
    },
    { kind: 'database', oid: FixedOid.postgresDatabase, name: 'postgres', ownerOid: FixedOid.bootstrapSuperuser, allowConnections: true, isTemplate: false },
    { kind: 'database', oid: FixedOid.templateDatabase, name: 'template1', ownerOid: FixedOid.bootstrapSuperuser, allowConnections: true, isTemplate: true },
    { kind: 'schema', oid: FixedOid.publicNamespace, name: 'public', databaseOid: FixedOid.postgresDatabase, ownerOid: FixedOid.bootstrapSuperuser },
    { kind: 'schema', oid: 2201, name: 'public', databaseOid: FixedOid.templateDatabase, ownerOid: FixedOid.bootstrapSuperuser },
  ];
}
