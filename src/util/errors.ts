// One error class carries every ErrorResponse field (pg-protocol's habit). User mistakes are
// SqlErrors with a SQLSTATE; broken invariants are AssertionErrors (see assert.ts) and are never
// swallowed.

/** SQLSTATE codes used across Cambium, named as PostgreSQL's errcodes.txt names them. */
export const SqlState = {
  successfulCompletion: '00000',
  warning: '01000',
  featureNotSupported: '0A000',
  invalidTransactionInitiation: '0B000',
  cardinalityViolation: '21000',
  stringDataRightTruncation: '22001',
  numericValueOutOfRange: '22003',
  nullValueNotAllowed: '22004',
  invalidDatetimeFormat: '22007',
  datetimeFieldOverflow: '22008',
  divisionByZero: '22012',
  invalidParameterValue: '22023',
  characterNotInRepertoire: '22021',
  invalidTextRepresentation: '22P02',
  invalidBinaryRepresentation: '22P03',
  badCopyFileFormat: '22P04',
  invalidEscapeSequence: '22025',
  arraySubscriptError: '2202E',
  dataException: '22000',
  integrityConstraintViolation: '23000',
  restrictViolation: '23001',
  notNullViolation: '23502',
  foreignKeyViolation: '23503',
  uniqueViolation: '23505',
  checkViolation: '23514',
  exclusionViolation: '23P01',
  invalidCursorState: '24000',
  invalidTransactionState: '25000',
  activeSqlTransaction: '25001',
  readOnlySqlTransaction: '25006',
  noActiveSqlTransaction: '25P01',
  inFailedSqlTransaction: '25P02',
  invalidSqlStatementName: '26000',
  invalidAuthorizationSpecification: '28000',
  invalidPassword: '28P01',
  invalidCatalogName: '3D000',
  invalidCursorName: '34000',
  invalidSchemaName: '3F000',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  syntaxError: '42601',
  insufficientPrivilege: '42501',
  undefinedColumn: '42703',
  undefinedFunction: '42883',
  undefinedTable: '42P01',
  undefinedParameter: '42P02',
  undefinedObject: '42704',
  duplicateColumn: '42701',
  duplicateDatabase: '42P04',
  duplicateObject: '42710',
  duplicateSchema: '42P06',
  duplicateTable: '42P07',
  duplicatePreparedStatement: '42P05',
  duplicateCursor: '42P03',
  ambiguousColumn: '42702',
  duplicateAlias: '42712',
  ambiguousFunction: '42725',
  datatypeMismatch: '42804',
  wrongObjectType: '42809',
  groupingError: '42803',
  windowingError: '42P20',
  invalidColumnReference: '42P10',
  invalidTableDefinition: '42P16',
  invalidObjectDefinition: '42P17',
  indeterminateDatatype: '42P18',
  cannotCoerce: '42846',
  dependentObjectsStillExist: '2BP01',
  programLimitExceeded: '54000',
  tooManyConnections: '53300',
  diskFull: '53100',
  outOfMemory: '53200',
  objectNotInPrerequisiteState: '55000',
  objectInUse: '55006',
  lockNotAvailable: '55P03',
  queryCanceled: '57014',
  adminShutdown: '57P01',
  snapshotTooOld: '72000',
  protocolViolation: '08P01',
  connectionException: '08000',
  invalidSqlStatement: '07000',
  internalError: 'XX000',
  dataCorrupted: 'XX001',
  indexCorrupted: 'XX002',
  ioError: '58030',
} as const;
export type SqlStateCode = (typeof SqlState)[keyof typeof SqlState] | string;

export type Severity = 'ERROR' | 'FATAL' | 'PANIC' | 'WARNING' | 'NOTICE' | 'DEBUG' | 'INFO' | 'LOG';

export interface SqlErrorFields {
  severity?: Severity;
  detail?: string;
  hint?: string;
  /** 1-based character position in the query text (ErrorResponse field P). */
  position?: number;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  where?: string;
}

/** An error reported to the client as an ErrorResponse with a SQLSTATE. */
export class SqlError extends Error {
  readonly code: SqlStateCode;
  severity: Severity;
  detail?: string;
  hint?: string;
  position?: number;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  where?: string;

  constructor(code: SqlStateCode, message: string, fields: SqlErrorFields = {}) {
    super(message);
    this.name = 'SqlError';
    this.code = code;
    this.severity = fields.severity ?? 'ERROR';
    Object.assign(this, fields);
  }
}

export function isSqlError(error: unknown): error is SqlError {
  return error instanceof SqlError;
}

/** Wraps anything thrown into a SqlError; unexpected errors become XX000 (internal_error). */
export function toSqlError(error: unknown): SqlError {
  if (error instanceof SqlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SqlError(SqlState.internalError, message);
}
