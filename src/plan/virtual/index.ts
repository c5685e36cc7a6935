// pg_catalog and information_schema relations computed from the catalog at scan time.
import './pg-catalog.js';
import './pg-catalog-more.js';
import './information-schema.js';
export { lookupVirtual as virtualRelation, virtualRelations } from './define.js';
export type { VirtualRelation } from './define.js';
