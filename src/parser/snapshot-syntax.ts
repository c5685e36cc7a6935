// Cambium's snapshot syntax (issue 9), recognised over libpg-query's scanSync tokens before the
// PostgreSQL grammar sees the text:
//   CREATE SNAPSHOT name [WITH (retention = '7 days')]
//   DROP SNAPSHOT [IF EXISTS] name
//   ALTER SNAPSHOT name SET (retention = '…')
//   RESTORE TABLE [schema.]t FROM SNAPSHOT 'name' | <commit number>
//   CREATE DATABASE b FROM SNAPSHOT 'name' | <commit number>;  CREATE DATABASE b TEMPLATE a
//   (the TEMPLATE form only when a is not template0/template1 and no other option is given)
//   … FROM t AS OF SNAPSHOT 'name' | AS OF SNAPSHOT <commit number> | AS OF TIMESTAMP '…'
// Snapshot commands become `SELECT 1` padded with spaces (the session runs the clause instead);
// AS OF clauses are blanked with spaces, so every other token keeps its position and error
// positions stay right. Clause offsets are in UTF-16 units of the query, like AST locations.
import type { ScanToken } from 'libpg-query';
import { SqlError, SqlState } from '../util/errors.js';
import type { ExtensionClause, ExtensionPreParser } from './parse.js';

export type AsOfTarget = { snapshot: string } | { commit: number } | { timestamp: string };

export type SnapshotCommand =
  | { action: 'create'; name: string; retention?: string }
  | { action: 'drop'; name: string; ifExists: boolean }
  | { action: 'alter'; name: string; retention: string | null }
  /** RESTORE TABLE [schema.]table FROM SNAPSHOT 'name' | <commit number>. */
  | { action: 'restore'; schema?: string; table: string; from: AsOfTarget }
  /** CREATE DATABASE name FROM SNAPSHOT 'x' | <commit>, or CREATE DATABASE name TEMPLATE a (a user database). */
  | { action: 'branch'; database: string; from: AsOfTarget | { template: string } };

export const snapshotCommandKind = 'snapshotCommand';
export const asOfKind = 'asOf';

interface Located {
  text: string;
  lower: string;
  tokenName: string;
  /** UTF-16 offsets in the query string. */
  start: number;
  end: number;
}

/** A byte-offset → string-offset mapper (identity for ASCII text). */
function unitMapper(sql: string): (byteOffset: number) => number {
  let ascii = true;
  for (let i = 0; i < sql.length && ascii; i++) if (sql.charCodeAt(i) > 0x7f) ascii = false;
  if (ascii) return (offset) => offset;
  const bytes = Buffer.from(sql, 'utf8');
  const unitAt = new Int32Array(bytes.length + 1);
  let unit = 0;
  let byte = 0;
  for (const ch of sql) {
    const length = Buffer.byteLength(ch, 'utf8');
    for (let k = 0; k < length; k++) unitAt[byte + k] = unit;
    byte += length;
    unit += ch.length;
  }
  unitAt[bytes.length] = unit;
  return (offset) => unitAt[Math.min(Math.max(offset, 0), bytes.length)]!;
}

function syntax(message: string, at: Located | undefined, sql: string): SqlError {
  const position = (at ? at.start : sql.length) + 1;
  return new SqlError(SqlState.syntaxError, message, { position });
}

function stringConstant(token: Located): string {
  let text = token.text;
  if (/^[eE]'/.test(text)) text = text.slice(1);
  return text.slice(1, -1).replace(/''/g, "'");
}

/** A snapshot name: identifier (folded to lower case unless quoted) or string constant. */
function nameOf(token: Located | undefined, sql: string): string {
  if (!token) throw syntax('syntax error at end of input', token, sql);
  if (token.tokenName === 'SCONST') return stringConstant(token);
  if (token.text.startsWith('"')) return token.text.slice(1, -1).replace(/""/g, '"');
  if (token.tokenName === 'IDENT' || /^[a-z_][a-z0-9_$]*$/i.test(token.text)) return token.text.toLowerCase();
  throw syntax(`syntax error at or near "${token.text}"`, token, sql);
}

/** `( retention = 'value' )` starting at tokens[i]; returns the value (null for DEFAULT/NONE) and the next index. */
function retentionOption(tokens: Located[], i: number, sql: string): { value: string | null; next: number } {
  const expect = (index: number, lower: string) => {
    if (tokens[index]?.lower !== lower) throw syntax(tokens[index] ? `syntax error at or near "${tokens[index]!.text}"` : 'syntax error at end of input', tokens[index], sql);
  };
  expect(i, '(');
  if (tokens[i + 1]?.lower !== 'retention') {
    const token = tokens[i + 1];
    throw new SqlError(SqlState.syntaxError, token ? `unrecognized snapshot option "${token.text}"` : 'syntax error at end of input', { position: (token?.start ?? sql.length) + 1 });
  }
  expect(i + 2, '=');
  const value = tokens[i + 3];
  if (!value) throw syntax('syntax error at end of input', value, sql);
  let result: string | null;
  if (value.tokenName === 'SCONST') result = stringConstant(value);
  else if (value.lower === 'none' || value.lower === 'default') result = null;
  else throw syntax(`syntax error at or near "${value.text}"`, value, sql);
  expect(i + 4, ')');
  return { value: result, next: i + 5 };
}

/** Parses the tokens of one snapshot command statement (tokens[0] is CREATE/DROP/ALTER). */
function parseCommand(tokens: Located[], sql: string): SnapshotCommand {
  const verb = tokens[0]!.lower;
  let i = 2;
  let command: SnapshotCommand;
  if (verb === 'create' && tokens[1]!.lower === 'database') {
    const database = nameOf(tokens[i++], sql);
    if (tokens[i]?.lower === 'template') {
      if (tokens[i + 1]?.text === '=') i++;
      command = { action: 'branch', database, from: { template: nameOf(tokens[i + 1], sql) } };
      i += 2;
    } else {
      const value = tokens[i + 2];
      const from: AsOfTarget = value?.tokenName === 'ICONST' ? { commit: Number(value.text) } : { snapshot: nameOf(value, sql) };
      command = { action: 'branch', database, from };
      i += 3;
    }
  } else if (verb === 'restore') {
    const first = nameOf(tokens[i++], sql);
    let table = first;
    let schema: string | undefined;
    if (tokens[i]?.text === '.') {
      schema = first;
      table = nameOf(tokens[i + 1], sql);
      i += 2;
    }
    if (tokens[i]?.lower !== 'from' || tokens[i + 1]?.lower !== 'snapshot') {
      throw syntax(tokens[i] ? `syntax error at or near "${tokens[i]!.text}"` : 'syntax error at end of input', tokens[i], sql);
    }
    const value = tokens[i + 2];
    const from: AsOfTarget = value?.tokenName === 'ICONST' ? { commit: Number(value.text) } : { snapshot: nameOf(value, sql) };
    command = { action: 'restore', table, from, ...(schema !== undefined ? { schema } : {}) };
    i += 3;
  } else if (verb === 'create') {
    const name = nameOf(tokens[i++], sql);
    command = { action: 'create', name };
    if (tokens[i]?.lower === 'with') {
      const option = retentionOption(tokens, i + 1, sql);
      if (option.value !== null) command.retention = option.value;
      i = option.next;
    }
  } else if (verb === 'drop') {
    let ifExists = false;
    if (tokens[i]?.lower === 'if' && tokens[i + 1]?.lower === 'exists') {
      ifExists = true;
      i += 2;
    }
    command = { action: 'drop', name: nameOf(tokens[i++], sql), ifExists };
  } else {
    const name = nameOf(tokens[i++], sql);
    if (tokens[i]?.lower !== 'set') throw syntax(tokens[i] ? `syntax error at or near "${tokens[i]!.text}"` : 'syntax error at end of input', tokens[i], sql);
    const option = retentionOption(tokens, i + 1, sql);
    command = { action: 'alter', name, retention: option.value };
    i = option.next;
  }
  if (i < tokens.length) throw syntax(`syntax error at or near "${tokens[i]!.text}"`, tokens[i], sql);
  return command;
}

/** CREATE DATABASE b FROM SNAPSHOT …, or exactly CREATE DATABASE b TEMPLATE [=] a with a user database a. */
function isBranch(statement: Located[]): boolean {
  if (statement[0]?.lower !== 'create' || statement[1]?.lower !== 'database') return false;
  if (statement[3]?.lower === 'from' && statement[4]?.lower === 'snapshot') return true;
  if (statement[3]?.lower !== 'template') return false;
  const at = statement[4]?.text === '=' ? 5 : 4;
  const template = statement[at];
  if (!template || statement.length !== at + 1) return false;
  const name = template.text.startsWith('"') ? template.text.slice(1, -1) : template.lower;
  return name !== 'template0' && name !== 'template1';
}

function blank(chars: string[], start: number, end: number, replacement = ''): void {
  for (let k = start; k < end; k++) chars[k] = k - start < replacement.length ? replacement[k - start]! : ' ';
}

export const snapshotPreParser: ExtensionPreParser = (sql, scanTokens) => {
  const toUnit = unitMapper(sql);
  const tokens: Located[] = scanTokens.map((token: ScanToken) => ({
    text: token.text, lower: token.text.toLowerCase(), tokenName: token.tokenName, start: toUnit(token.start), end: toUnit(token.end),
  }));
  const chars = sql.split('');
  const clauses: Array<ExtensionClause & { offset: number }> = [];
  let statementStart = 0;
  for (let i = 0; i <= tokens.length; i++) {
    if (i < tokens.length && tokens[i]!.text !== ';') continue;
    const statement = tokens.slice(statementStart, i);
    statementStart = i + 1;
    if (statement.length === 0) continue;
    const [first, second] = statement;
    const restore = first!.lower === 'restore' && second?.lower === 'table';
    if (restore || isBranch(statement) || (second?.lower === 'snapshot' && (first!.lower === 'create' || first!.lower === 'drop' || first!.lower === 'alter'))) {
      const command = parseCommand(statement, sql);
      const start = first!.start;
      const end = statement[statement.length - 1]!.end;
      blank(chars, start, end, 'SELECT 1');
      clauses.push({ kind: snapshotCommandKind, value: command, offset: start });
      continue;
    }
    for (let k = 0; k + 3 < statement.length; k++) {
      const [as, of, what, value] = [statement[k]!, statement[k + 1]!, statement[k + 2]!, statement[k + 3]!];
      if (as.lower !== 'as' || of.lower !== 'of' || (what.lower !== 'snapshot' && what.lower !== 'timestamp')) continue;
      let target: AsOfTarget;
      if (what.lower === 'snapshot' && value.tokenName === 'ICONST') target = { commit: Number(value.text) };
      else if (value.tokenName === 'SCONST') target = what.lower === 'snapshot' ? { snapshot: stringConstant(value) } : { timestamp: stringConstant(value) };
      else if (what.lower === 'snapshot' && (value.tokenName === 'IDENT' || value.text.startsWith('"'))) target = { snapshot: nameOf(value, sql) };
      else throw syntax(`syntax error at or near "${value.text}"`, value, sql);
      blank(chars, as.start, value.end);
      clauses.push({ kind: asOfKind, value: target, offset: as.start });
      k += 3;
    }
  }
  if (clauses.length === 0) return undefined;
  return { sql: chars.join(''), clauses };
};
