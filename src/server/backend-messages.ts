// Encoders for every backend message the server sends, written straight into a MessageWriter.
import type { SqlError } from '../util/errors.js';
import type { FieldDescription, FormatCode, Notice, TransactionStatus } from '../session/contract.js';
import type { MessageWriter } from './message-writer.js';

/** Backend message type bytes (PostgreSQL protocol 3.0). */
export const enum BackendCode {
  authentication = 0x52, // R
  parameterStatus = 0x53, // S
  backendKeyData = 0x4b, // K
  readyForQuery = 0x5a, // Z
  rowDescription = 0x54, // T
  parameterDescription = 0x74, // t
  dataRow = 0x44, // D
  commandComplete = 0x43, // C
  emptyQueryResponse = 0x49, // I
  errorResponse = 0x45, // E
  noticeResponse = 0x4e, // N
  parseComplete = 0x31, // 1
  bindComplete = 0x32, // 2
  closeComplete = 0x33, // 3
  noData = 0x6e, // n
  portalSuspended = 0x73, // s
  copyInResponse = 0x47, // G
  copyOutResponse = 0x48, // H
  copyData = 0x64, // d
  copyDone = 0x63, // c
  notificationResponse = 0x41, // A
}

/** AuthenticationRequest subtypes. */
export const enum AuthenticationKind {
  ok = 0,
  cleartextPassword = 3,
  sasl = 10,
  saslContinue = 11,
  saslFinal = 12,
}

export function authentication(writer: MessageWriter, kind: AuthenticationKind, data?: Uint8Array): void {
  writer.begin(BackendCode.authentication);
  writer.int32(kind);
  if (data) writer.bytes(data);
  writer.end();
}

export function authenticationSasl(writer: MessageWriter, mechanisms: string[]): void {
  writer.begin(BackendCode.authentication);
  writer.int32(AuthenticationKind.sasl);
  for (const mechanism of mechanisms) writer.cstring(mechanism);
  writer.int8(0);
  writer.end();
}

export function parameterStatus(writer: MessageWriter, name: string, value: string): void {
  writer.begin(BackendCode.parameterStatus);
  writer.cstring(name);
  writer.cstring(value);
  writer.end();
}

export function backendKeyData(writer: MessageWriter, processId: number, secretKey: number): void {
  writer.begin(BackendCode.backendKeyData);
  writer.int32(processId);
  writer.int32(secretKey);
  writer.end();
}

const statusBytes: Record<TransactionStatus, number> = { I: 0x49, T: 0x54, E: 0x45 };

export function readyForQuery(writer: MessageWriter, status: TransactionStatus): void {
  writer.begin(BackendCode.readyForQuery);
  writer.int8(statusBytes[status]);
  writer.end();
}

export function rowDescription(writer: MessageWriter, fields: ReadonlyArray<FieldDescription>): void {
  writer.begin(BackendCode.rowDescription);
  writer.int16(fields.length);
  for (const field of fields) {
    writer.cstring(field.name);
    writer.int32(field.tableOid | 0); // OIDs are unsigned; the wire carries their 32 bits
    writer.int16(field.columnAttributeNumber);
    writer.int32(field.typeOid | 0);
    writer.int16(field.typeSize);
    writer.int32(field.typeModifier);
    writer.int16(field.format);
  }
  writer.end();
}

/** RowDescription when there are columns, NoData otherwise (Describe). */
export function describeResult(writer: MessageWriter, fields: ReadonlyArray<FieldDescription> | null): void {
  if (fields === null) empty(writer, BackendCode.noData);
  else rowDescription(writer, fields);
}

export function parameterDescription(writer: MessageWriter, typeOids: ReadonlyArray<number>): void {
  writer.begin(BackendCode.parameterDescription);
  writer.int16(typeOids.length);
  for (const oid of typeOids) writer.int32(oid | 0);
  writer.end();
}

/** A message with no payload: ParseComplete, BindComplete, NoData, CopyDone, … */
export function empty(writer: MessageWriter, code: BackendCode): void {
  writer.begin(code);
  writer.end();
}

export function commandComplete(writer: MessageWriter, tag: string): void {
  writer.begin(BackendCode.commandComplete);
  writer.cstring(tag);
  writer.end();
}

export function copyResponse(
  writer: MessageWriter,
  code: BackendCode.copyInResponse | BackendCode.copyOutResponse,
  overallFormat: FormatCode,
  columnFormats: ReadonlyArray<FormatCode>,
): void {
  writer.begin(code);
  writer.int8(overallFormat);
  writer.int16(columnFormats.length);
  for (const format of columnFormats) writer.int16(format);
  writer.end();
}

function field(writer: MessageWriter, tag: string, value: string | number | undefined): void {
  if (value === undefined || value === '') return;
  writer.int8(tag.charCodeAt(0));
  writer.cstring(String(value));
}

export function errorResponse(writer: MessageWriter, error: SqlError): void {
  writer.begin(BackendCode.errorResponse);
  field(writer, 'S', error.severity);
  field(writer, 'V', error.severity);
  field(writer, 'C', error.code);
  field(writer, 'M', error.message);
  field(writer, 'D', error.detail);
  field(writer, 'H', error.hint);
  field(writer, 'P', error.position);
  field(writer, 'W', error.where);
  field(writer, 's', error.schema);
  field(writer, 't', error.table);
  field(writer, 'c', error.column);
  field(writer, 'd', error.dataType);
  field(writer, 'n', error.constraint);
  writer.int8(0);
  writer.end();
}

export function noticeResponse(writer: MessageWriter, notice: Notice): void {
  writer.begin(BackendCode.noticeResponse);
  field(writer, 'S', notice.severity);
  field(writer, 'V', notice.severity);
  field(writer, 'C', notice.code);
  field(writer, 'M', notice.message);
  field(writer, 'D', notice.detail);
  field(writer, 'H', notice.hint);
  writer.int8(0);
  writer.end();
}

export function notificationResponse(writer: MessageWriter, senderProcessId: number, channel: string, payload: string): void {
  writer.begin(BackendCode.notificationResponse);
  writer.int32(senderProcessId);
  writer.cstring(channel);
  writer.cstring(payload);
  writer.end();
}
