// libpg-query parses with PostgreSQL's grammar; we add: a bounded LRU cache keyed by SQL text,
// byte offsets mapped to character offsets (ErrorResponse positions count characters), syntax
// errors as SqlError 42601, and a pre-parser hook over scanSync tokens for extension syntax
// (`AS OF SNAPSHOT 'x'`, `CREATE SNAPSHOT …`, issue 9) that strips its clauses before parsing.
import { loadModule, parseSync, scanSync, type Node, type ScanToken } from 'libpg-query';
import { SqlError, SqlState } from '../util/errors.js';
import { limits } from '../util/limits.js';

export interface ExtensionClause {
  kind: string;
  /** Whatever the pre-parser extracted (e.g. a snapshot name). */
  value: unknown;
  /** Extension (issue 9): the clause's character offset in the whole query text. */
  offset?: number;
}

export interface ParsedStatement {
  /** The statement node (SelectStmt, InsertStmt, …), positions in characters of the whole text. */
  readonly ast: Node;
  /** The statement's own source text. */
  readonly text: string;
  /** Character offset of `text` in the whole query string. */
  readonly offset: number;
  /** Clauses an extension pre-parser removed from this statement. */
  readonly extensions: readonly ExtensionClause[];
}

/**
 * Sees the tokens of the whole query text; may return a rewritten text of the same length
 * (clauses blanked with spaces, so positions stay right) plus the clauses it removed, or
 * undefined when it has nothing to do.
 */
export type ExtensionPreParser = (
  sql: string,
  tokens: readonly ScanToken[],
) => { sql: string; clauses: Array<ExtensionClause & { offset: number }> } | undefined;

const preParsers: ExtensionPreParser[] = [];
export function registerExtensionPreParser(preParser: ExtensionPreParser): void {
  preParsers.push(preParser);
}

let loaded = false;
export async function loadParser(): Promise<void> {
  if (loaded) return;
  await loadModule();
  loaded = true;
}

const cache = new Map<string, readonly ParsedStatement[]>();
let hits = 0;
let misses = 0;
export function parseCacheStats(): { hits: number; misses: number; size: number } {
  return { hits, misses, size: cache.size };
}

/** Parses a query string into its statements (cached; callers must not mutate the ASTs). */
export function parseStatements(sql: string): readonly ParsedStatement[] {
  const cached = cache.get(sql);
  if (cached !== undefined) {
    hits++;
    // LRU: re-insert to mark as recently used.
    cache.delete(sql);
    cache.set(sql, cached);
    return cached;
  }
  misses++;
  const parsed = parseUncached(sql);
  if (sql.length <= limits.parseCacheSqlCharsMax) {
    cache.set(sql, parsed);
    if (cache.size > limits.parseCacheEntriesMax) cache.delete(cache.keys().next().value as string);
  }
  return parsed;
}

function parseUncached(originalSql: string): readonly ParsedStatement[] {
  if (!loaded) throw new SqlError(SqlState.internalError, 'parser not loaded (call loadParser first)');
  let sql = originalSql;
  const clauses: Array<ExtensionClause & { offset: number }> = [];
  if (preParsers.length > 0 && mayHaveExtensionSyntax(sql)) {
    let tokens: ScanToken[] | undefined;
    for (const preParser of preParsers) {
      tokens ??= safeScan(sql);
      if (!tokens) break;
      const result = preParser(sql, tokens);
      if (result) {
        sql = result.sql;
        clauses.push(...result.clauses);
        tokens = undefined;
      }
    }
  }
  const ascii = isAscii(sql);
  const toChar = ascii ? (byteOffset: number) => byteOffset : byteToCharMapper(sql);
  let result;
  try {
    result = parseSync(sql);
  } catch (error) {
    throw syntaxError(error, sql, ascii);
  }
  const statements: ParsedStatement[] = [];
  for (const raw of result.stmts ?? []) {
    if (!raw.stmt) continue;
    const startByte = raw.stmt_location ?? 0;
    const start = toChar(startByte);
    const end = raw.stmt_len ? toChar(startByte + raw.stmt_len) : sql.length;
    if (!ascii) remapLocations(raw.stmt, toChar);
    const own = clauses.filter((clause) => clause.offset >= start && clause.offset < end);
    statements.push({
      ast: raw.stmt,
      text: originalSql.slice(start, end),
      offset: start,
      extensions: own.map(({ kind, value, offset }) => ({ kind, value, offset })),
    });
  }
  return statements;
}

function mayHaveExtensionSyntax(sql: string): boolean {
  return /snapshot|\bof\s+timestamp|\btemplate\b/i.test(sql);
}

function safeScan(sql: string): ScanToken[] | undefined {
  try {
    return scanSync(sql).tokens;
  } catch {
    return undefined;
  }
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Maps UTF-8 byte offsets to offsets in code points (what PostgreSQL reports as positions). */
function byteToCharMapper(sql: string): (byteOffset: number) => number {
  const encoded = Buffer.from(sql, 'utf8');
  const charAt = new Int32Array(encoded.length + 1);
  let chars = 0;
  for (let i = 0; i < encoded.length; i++) {
    charAt[i] = chars;
    if ((encoded[i]! & 0xc0) !== 0x80) chars++;
  }
  charAt[encoded.length] = chars;
  // JS string offsets count UTF-16 units; convert code points back to units for slicing.
  const unitOfCodePoint: number[] = [];
  let unit = 0;
  for (const ch of sql) {
    unitOfCodePoint.push(unit);
    unit += ch.length;
  }
  unitOfCodePoint.push(unit);
  return (byteOffset) => {
    if (byteOffset < 0) return byteOffset;
    const codePoint = charAt[Math.min(byteOffset, encoded.length)]!;
    return unitOfCodePoint[codePoint]!;
  };
}

function remapLocations(node: unknown, toChar: (byteOffset: number) => number): void {
  if (Array.isArray(node)) {
    for (const item of node) remapLocations(item, toChar);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value === 'number') {
      if (key === 'location' || key.endsWith('_location') || key === 'rexpr_list_start' || key === 'rexpr_list_end') {
        record[key] = toChar(value);
      }
    } else if (typeof value === 'object') {
      remapLocations(value, toChar);
    }
  }
}

function syntaxError(error: unknown, sql: string, ascii: boolean): SqlError {
  const details = (error as { sqlDetails?: { message: string; cursorPosition: number } }).sqlDetails;
  const message = details?.message ?? (error instanceof Error ? error.message : String(error));
  let position: number | undefined;
  if (details && details.cursorPosition >= 0) {
    // libpg-query reports a 0-based character cursor; PostgreSQL's position is 1-based.
    position = details.cursorPosition + 1;
    if (!ascii) position = Math.min(position, [...sql].length + 1);
  }
  return new SqlError(SqlState.syntaxError, message, position !== undefined ? { position } : {});
}
