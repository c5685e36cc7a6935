// COPY data: text and CSV parsing into rows for COPY FROM STDIN, and formatting for COPY TO
// STDOUT, following PostgreSQL's escaping rules.
import { liveColumns } from '../catalog/index.js';
import { defaultExpr, ExprBinder, getType, type OutputColumn } from '../plan/index.js';
import type { Value } from '../types/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import { limits } from '../util/limits.js';
import type { CopyFromSpec, CopyToSpec, StatementHost } from './api.js';
import { compile } from './compile-expr.js';
import { execState } from './query.js';
import { TableWriter } from './table-writer.js';

const decoder = new TextDecoder();

function unescapeText(field: string): string {
  if (!field.includes('\\')) return field;
  let out = '';
  for (let i = 0; i < field.length; i++) {
    const ch = field[i]!;
    if (ch !== '\\' || i === field.length - 1) {
      out += ch;
      continue;
    }
    const next = field[++i]!;
    switch (next) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x': {
        const hex = /^[0-9a-fA-F]{1,2}/.exec(field.slice(i + 1))?.[0];
        if (hex) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += hex.length;
        } else out += 'x';
        break;
      }
      default:
        if (next >= '0' && next <= '7') {
          const octal = /^[0-7]{1,3}/.exec(field.slice(i))![0];
          out += String.fromCharCode(parseInt(octal, 8));
          i += octal.length - 1;
        } else out += next;
    }
  }
  return out;
}

export class CopyFromRunner {
  private pending = '';
  private lineNumber = 0;
  private count = 0;
  private ended = false;
  private readonly writer: TableWriter;
  private readonly types;
  private readonly defaults: Array<((row: Value[]) => Value) | null>;
  private readonly state;
  private headerSkipped = false;
  private readonly width: number;

  constructor(private readonly host: StatementHost, private readonly spec: CopyFromSpec) {
    this.state = execState(host, []);
    this.writer = new TableWriter({
      txn: () => host.txn(), catalog: () => host.catalog(), bindContext: () => host.bindContext([]), runtime: this.state.runtime,
      allocateRowId: (table) => host.allocateRowId(table),
    }, spec.table);
    const live = liveColumns(spec.table);
    this.width = live.length;
    this.types = spec.columnIndexes.map((index) => ({ type: getType(live[index]!.typeOid), typmod: live[index]!.typmod, name: live[index]!.name }));
    const binder = new ExprBinder(host.bindContext([]));
    this.defaults = live.map((column, index) => {
      if (spec.columnIndexes.includes(index) || !column.default) return null;
      const compiled = compile(defaultExpr(binder, column));
      return (row: Value[]) => compiled(row, this.state.runtime);
    });
  }

  async data(chunk: Uint8Array): Promise<void> {
    this.pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    let processed = 0;
    while ((newline = this.pending.indexOf('\n')) >= 0) {
      if (this.spec.format === 'csv' && !this.balancedQuotes(this.pending.slice(0, newline))) {
        const next = this.pending.indexOf('\n', newline + 1);
        if (next < 0) break;
        // A quoted field spans lines: find the real end of record.
        let end = next;
        while (!this.balancedQuotes(this.pending.slice(0, end))) {
          const after = this.pending.indexOf('\n', end + 1);
          if (after < 0) return;
          end = after;
        }
        newline = end;
      }
      let line = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      await this.line(line);
      if (++processed % limits.executorYieldRows === 0) await this.host.pause();
    }
  }

  private balancedQuotes(text: string): boolean {
    let count = 0;
    for (const ch of text) if (ch === this.spec.quote) count++;
    return count % 2 === 0;
  }

  private async line(line: string): Promise<void> {
    this.lineNumber++;
    if (this.ended) return;
    if (line === '\\.') {
      this.ended = true;
      return;
    }
    if (this.spec.header && !this.headerSkipped) {
      this.headerSkipped = true;
      return;
    }
    const fields = this.spec.format === 'csv' ? this.splitCsv(line) : line.split(this.spec.delimiter);
    if (fields.length !== this.types.length) {
      const message = fields.length < this.types.length ? `missing data for column "${this.types[fields.length]!.name}"` : 'extra data after last expected column';
      throw new SqlError(SqlState.badCopyFileFormat, message, { where: `COPY ${this.spec.table.name}, line ${this.lineNumber}` });
    }
    const row: Value[] = new Array(this.width).fill(null);
    const settings = this.state.runtime.functions.settings;
    try {
      fields.forEach((field, i) => {
        const target = this.types[i]!;
        let text: string | null;
        if (this.spec.format === 'csv') text = field === null ? null : field;
        else text = field === this.spec.nullString ? null : unescapeText(field as string);
        if (text === null) return;
        let value = target.type.parseText(text, target.typmod, settings);
        if (target.typmod >= 0) value = target.type.applyTypmod(value, target.typmod, false);
        row[this.spec.columnIndexes[i]!] = value;
      });
      this.defaults.forEach((fill, index) => {
        if (fill) row[index] = fill(row);
      });
      await this.writer.insert(row);
    } catch (error) {
      if (error instanceof SqlError && !error.where) error.where = `COPY ${this.spec.table.name}, line ${this.lineNumber}`;
      throw error;
    }
    this.count++;
  }

  /** CSV fields: quoted fields may hold delimiters, quotes (doubled) and newlines; unquoted empty = NULL. */
  private splitCsv(line: string): Array<string | null> {
    const { delimiter, quote, escape, nullString } = this.spec;
    const fields: Array<string | null> = [];
    let i = 0;
    for (;;) {
      let value = '';
      let quoted = false;
      let raw = '';
      while (i < line.length && line[i] !== delimiter) {
        if (line[i] === quote) {
          quoted = true;
          i++;
          while (i < line.length) {
            if (line[i] === escape && line[i + 1] === quote && (escape !== quote || true)) {
              if (escape === quote && line[i + 1] !== quote) break;
              value += quote;
              i += 2;
              continue;
            }
            if (line[i] === quote) {
              i++;
              break;
            }
            value += line[i++];
          }
        } else {
          value += line[i];
          raw += line[i];
          i++;
        }
      }
      fields.push(!quoted && raw === nullString ? null : value);
      if (i >= line.length) break;
      i++;
    }
    return fields;
  }

  async done(): Promise<string> {
    if (this.pending.length > 0) {
      const line = this.pending;
      this.pending = '';
      await this.line(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    return `COPY ${this.count}`;
  }
}

function escapeText(text: string, delimiter: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t' && delimiter === '\t') out += '\\t';
    else if (ch === delimiter) out += `\\${ch}`;
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else out += ch;
  }
  return out;
}

function csvField(text: string, spec: CopyToSpec): string {
  const needsQuotes = text === '' || text.includes(spec.delimiter) || text.includes(spec.quote) || text.includes('\n') || text.includes('\r') || text === spec.nullString;
  if (!needsQuotes) return text;
  return `${spec.quote}${text.split(spec.quote).join(spec.escape + spec.quote)}${spec.quote}`;
}

const encoder = new TextEncoder();

export async function* copyToChunks(spec: CopyToSpec, host: StatementHost): AsyncGenerator<Uint8Array, string, void> {
  const settings = host.runtime([]).functions.settings;
  const types = spec.columns.map((column: OutputColumn) => getType(column.type));
  if (spec.header) {
    const names = spec.columns.map((column) => (spec.format === 'csv' ? csvField(column.name, spec) : column.name));
    yield encoder.encode(`${names.join(spec.delimiter)}\n`);
  }
  const execution = spec.rows();
  let count = 0;
  try {
    for (let row = execution.next(); row; row = execution.next()) {
      const fields = row.map((value, i) => {
        if (value === null) return spec.nullString;
        const text = types[i]!.formatText(value, settings);
        return spec.format === 'csv' ? csvField(text, spec) : escapeText(text, spec.delimiter);
      });
      yield encoder.encode(`${fields.join(spec.delimiter)}\n`);
      count++;
      if (count % limits.executorYieldRows === 0) await host.pause();
    }
  } finally {
    execution.close();
  }
  return `COPY ${count}`;
}
