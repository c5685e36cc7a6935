// The transaction layer's user-facing errors, worded as PostgreSQL words them.
import { SqlError, SqlState } from '../util/errors.js';

export function concurrentUpdateError(): SqlError {
  return new SqlError(SqlState.serializationFailure, 'could not serialize access due to concurrent update');
}

export function readWriteDependencyError(reason: string): SqlError {
  return new SqlError(SqlState.serializationFailure, 'could not serialize access due to read/write dependencies among transactions', {
    detail: `Reason code: Canceled on identification as a pivot, during commit attempt. ${reason}`,
    hint: 'The transaction might succeed if retried.',
  });
}

export function readOnlyTransactionError(commandName: string): SqlError {
  return new SqlError(SqlState.readOnlySqlTransaction, `cannot execute ${commandName} in a read-only transaction`);
}

export function inFailedTransactionError(): SqlError {
  return new SqlError(SqlState.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
}

export function transactionEndedError(state: string): SqlError {
  return new SqlError(SqlState.invalidTransactionState, `transaction is already ${state}`);
}
