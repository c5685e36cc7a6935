// Statements the session itself carries out: transaction control, SET / SHOW / RESET,
// SQL-level PREPARE / EXECUTE / DEALLOCATE, DISCARD, LISTEN/NOTIFY (accepted).
import { defElems, nameList, nodeBody, nodeKind, positionOf, stringValue, type AstBody, type ParsedStatement } from '../parser/index.js';
import { ExprBinder, Scope, T, lookupTypeName, type OutputColumn, type Row } from '../plan/index.js';
import type { IsolationLevel, TransactionOptions } from '../txn/api.js';
import type { Value } from '../types/index.js';
import { SqlError, SqlState } from '../util/errors.js';
import type { ExecuteOutcome } from './contract.js';
import type { Session } from './session.js';
import { canonicalSettingName } from './settings.js';
import { runSnapshotCommand, snapshotCommandOf } from './snapshots.js';

export type SessionCommandContext = Session;

const sessionKinds = new Set(['TransactionStmt', 'VariableSetStmt', 'VariableShowStmt', 'PrepareStmt', 'ExecuteStmt', 'DeallocateStmt', 'DiscardStmt', 'ListenStmt', 'UnlistenStmt', 'NotifyStmt', 'DeclareCursorStmt', 'FetchStmt', 'ClosePortalStmt']);

export function isSessionCommand(ast: AstBody): boolean {
  return sessionKinds.has(nodeKind(ast));
}

function textColumn(name: string): OutputColumn {
  return { name, type: T.text, typmod: -1, tableOid: 0, attnum: 0 };
}

export function sessionCommandFields(session: Session, ast: AstBody): OutputColumn[] | null {
  const body = nodeBody(ast);
  switch (nodeKind(ast)) {
    case 'VariableShowStmt': {
      const name: string = body.name;
      if (name === 'all') return [textColumn('name'), textColumn('setting'), textColumn('description')];
      return [textColumn(showColumnName(name))];
    }
    case 'ExecuteStmt':
      return session.preparedFields(body.name);
    case 'FetchStmt':
      return body.ismove ? null : session.cursorFields(body.portalname);
    default:
      return null;
  }
}

function showColumnName(name: string): string {
  const lower = name.toLowerCase();
  if (lower === 'timezone') return 'TimeZone';
  if (lower === 'datestyle') return 'DateStyle';
  if (lower === 'intervalstyle') return 'IntervalStyle';
  if (lower === 'transaction_isolation' || lower === 'transaction isolation level') return 'transaction_isolation';
  return canonicalSettingName(lower) ?? lower;
}

function isolationFrom(value: string): IsolationLevel {
  const lower = value.toLowerCase();
  if (lower === 'serializable' || lower === 'repeatable read' || lower === 'read committed' || lower === 'read uncommitted') return lower;
  throw new SqlError(SqlState.invalidParameterValue, `invalid value for parameter "transaction_isolation": "${value}"`);
}

function constText(node: AstBody): string {
  const kind = nodeKind(node);
  const body = nodeBody(node);
  if (kind === 'A_Const') {
    if (body.sval !== undefined) return body.sval.sval ?? '';
    if (body.ival !== undefined) return String(body.ival.ival ?? 0);
    if (body.fval !== undefined) return body.fval.fval;
    if (body.boolval !== undefined) return body.boolval.boolval ? 'on' : 'off';
  }
  if (kind === 'TypeCast') return constText(body.arg);
  return stringValue(node);
}

function transactionOptions(list: AstBody[] | undefined): Partial<TransactionOptions> {
  const options: Partial<TransactionOptions> = {};
  for (const [name, arg] of defElems(list)) {
    const value = constText(arg);
    if (name === 'transaction_isolation') options.isolation = isolationFrom(value);
    else if (name === 'transaction_read_only') options.readOnly = value === '1' || value === 'on' || value === 'true';
    else if (name === 'transaction_deferrable') options.deferrable = value === '1' || value === 'on' || value === 'true';
  }
  return options;
}

export interface CommandResult {
  rows: Row[];
  tag: string;
  outcome?: ExecuteOutcome;
}

export async function runSessionCommand(session: Session, ast: AstBody, parsed: ParsedStatement): Promise<CommandResult> {
  const body = nodeBody(ast);
  const snapshotCommand = snapshotCommandOf(parsed);
  if (snapshotCommand) return runSnapshotCommand(session, snapshotCommand);
  if (nodeKind(ast) === 'VariableSetStmt' && body.name === 'TRANSACTION SNAPSHOT') {
    session.importSnapshot(session.server.snapshots.importable(constText(body.args?.[0])));
    return { rows: [], tag: 'SET' };
  }
  switch (nodeKind(ast)) {
    case 'TransactionStmt':
      return { rows: [], tag: await transactionStatement(session, body) };
    case 'VariableSetStmt':
      return { rows: [], tag: setStatement(session, body) };
    case 'VariableShowStmt': {
      const name: string = body.name;
      if (name === 'all') return { rows: session.settings.entries().map(([n, v]) => [n, v, '']), tag: 'SHOW' };
      const lower = name.toLowerCase();
      const value = lower === 'transaction isolation level' ? session.currentIsolation() : session.getSetting(lower, false);
      return { rows: [[value]], tag: 'SHOW' };
    }
    case 'PrepareStmt': {
      const types = ((body.argtypes ?? []) as AstBody[]).map((typeName) => {
        const t = typeName.TypeName ?? typeName;
        return lookupTypeName(nameList(t.names), [], (t.arrayBounds ?? []).length).oid;
      });
      const inner = { ast: body.query, text: parsed.text, offset: parsed.offset, extensions: [] } as ParsedStatement;
      session.sqlPrepare(body.name, inner, types);
      return { rows: [], tag: 'PREPARE' };
    }
    case 'ExecuteStmt': {
      const binder = new ExprBinder(session.host.bindContext([]));
      const runtime = session.host.runtime([]);
      const params: Value[] = ((body.params ?? []) as AstBody[]).map((param) => {
        const expr = binder.bind(param, new Scope(null));
        if (expr.kind !== 'const') throw new SqlError(SqlState.featureNotSupported, 'EXECUTE parameters must be constants', positionOf(nodeBody(param)));
        void runtime;
        return expr.value;
      });
      const result = await session.sqlExecute(body.name, params);
      return { rows: result.rows, tag: result.tag };
    }
    case 'DeallocateStmt':
      session.deallocate(body.isall ? null : body.name);
      return { rows: [], tag: body.isall ? 'DEALLOCATE ALL' : 'DEALLOCATE' };
    case 'DiscardStmt':
      if (body.target === 'DISCARD_ALL') {
        session.discardAll();
        return { rows: [], tag: 'DISCARD ALL' };
      }
      return { rows: [], tag: `DISCARD ${String(body.target).replace('DISCARD_', '')}` };
    case 'DeclareCursorStmt': {
      const inner = { ast: body.query, text: parsed.text, offset: parsed.offset, extensions: [] } as ParsedStatement;
      await session.declareCursor(body.portalname, inner, ((body.options ?? 0) & 0x20) !== 0);
      return { rows: [], tag: 'DECLARE CURSOR' };
    }
    case 'FetchStmt': {
      if (body.direction !== 'FETCH_FORWARD') throw new SqlError(SqlState.featureNotSupported, 'only forward FETCH/MOVE is supported');
      const rows = session.fetchCursor(body.portalname, body.howMany ?? 1);
      return { rows: body.ismove ? [] : rows, tag: `${body.ismove ? 'MOVE' : 'FETCH'} ${rows.length}` };
    }
    case 'ClosePortalStmt':
      session.closeCursor(body.portalname ?? null);
      return { rows: [], tag: 'CLOSE CURSOR' };
    case 'ListenStmt':
      return { rows: [], tag: 'LISTEN' };
    case 'UnlistenStmt':
      return { rows: [], tag: 'UNLISTEN' };
    case 'NotifyStmt':
      return { rows: [], tag: 'NOTIFY' };
    default:
      throw new SqlError(SqlState.internalError, `not a session command: ${nodeKind(ast)}`);
  }
}

async function transactionStatement(session: Session, body: AstBody): Promise<string> {
  switch (body.kind as string) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      session.beginBlock(transactionOptions(body.options));
      return body.kind === 'TRANS_STMT_BEGIN' ? 'BEGIN' : 'START TRANSACTION';
    case 'TRANS_STMT_COMMIT':
      if (body.chain) throw new SqlError(SqlState.featureNotSupported, 'COMMIT AND CHAIN is not supported');
      return session.commitBlock();
    case 'TRANS_STMT_ROLLBACK':
      return session.rollbackBlock();
    case 'TRANS_STMT_SAVEPOINT':
      session.savepoint(body.savepoint_name);
      return 'SAVEPOINT';
    case 'TRANS_STMT_RELEASE':
      session.releaseSavepoint(body.savepoint_name);
      return 'RELEASE';
    case 'TRANS_STMT_ROLLBACK_TO':
      session.rollbackToSavepoint(body.savepoint_name);
      return 'ROLLBACK';
    default:
      throw new SqlError(SqlState.featureNotSupported, 'prepared transactions are not supported');
  }
}

function setStatement(session: Session, body: AstBody): string {
  const kind: string = body.kind;
  const local = body.is_local === true;
  const name: string | undefined = body.name;
  switch (kind) {
    case 'VAR_SET_VALUE': {
      const values = ((body.args ?? []) as AstBody[]).map(constText);
      const lower = name!.toLowerCase();
      if (lower === 'transaction_isolation' || lower === 'transaction_read_only' || lower === 'transaction_deferrable') {
        session.setSetting(lower, values[0] ?? '', true);
        return 'SET';
      }
      const value = lower === 'search_path'
        ? ((body.args ?? []) as AstBody[]).map((arg) => quoteIfNeeded(constText(arg), arg)).join(', ')
        : values.join(', ');
      session.setSetting(name!, value, local);
      return 'SET';
    }
    case 'VAR_SET_DEFAULT':
    case 'VAR_RESET':
      session.setSetting(name!, null, local);
      return kind === 'VAR_RESET' ? 'RESET' : 'SET';
    case 'VAR_RESET_ALL':
      session.settings.resetAll(session.inExplicitBlock());
      return 'RESET';
    case 'VAR_SET_CURRENT':
      return 'SET';
    case 'VAR_SET_MULTI': {
      const options = transactionOptions(body.args);
      if (name === 'TRANSACTION') {
        if (!session.inExplicitBlock()) {
          session.notice('WARNING', '25P01', 'SET TRANSACTION can only be used in transaction blocks');
          return 'SET';
        }
        session.applyCharacteristics(options);
      } else {
        if (options.isolation) session.setSetting('default_transaction_isolation', options.isolation, false);
        if (options.readOnly !== undefined) session.setSetting('default_transaction_read_only', options.readOnly ? 'on' : 'off', false);
        if (options.deferrable !== undefined) session.setSetting('default_transaction_deferrable', options.deferrable ? 'on' : 'off', false);
      }
      return 'SET';
    }
    default:
      throw new SqlError(SqlState.featureNotSupported, `SET ${kind} is not supported`);
  }
}

/** search_path elements keep their quoting when they need it. */
function quoteIfNeeded(value: string, node: AstBody): string {
  if (nodeKind(node) !== 'A_Const' || nodeBody(node).sval === undefined) return value;
  if (/^[a-z_][a-z0-9_$]*$/.test(value) || value === '$user') return value === '$user' ? '"$user"' : value;
  return `"${value.replace(/"/g, '""')}"`;
}
