// The parser layer's door: PostgreSQL's own grammar (libpg-query, WASM) with a bounded parse
// cache, positions in characters, and a hook for Cambium's extension syntax.
export { loadParser, parseStatements, parseCacheStats } from './parse.js';
export type { ParsedStatement, ExtensionClause, ExtensionPreParser } from './parse.js';
export { registerExtensionPreParser } from './parse.js';
export * from './nodes.js';
// Cambium's snapshot syntax (CREATE/DROP/ALTER SNAPSHOT, AS OF …), issue 9.
import { registerExtensionPreParser as registerPreParser } from './parse.js';
import { snapshotPreParser } from './snapshot-syntax.js';
registerPreParser(snapshotPreParser);
export { asOfKind, snapshotCommandKind, type AsOfTarget, type SnapshotCommand } from './snapshot-syntax.js';
