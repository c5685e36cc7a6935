// Runs a Hermitage scenario over the wire: one `pg` connection per session, statements issued
// in the scenario's order. A statement still running after a short wait counts as blocked; it
// is awaited before its session's next statement. Each statement's outcome (rows, command tag or
// SQLSTATE, and whether it blocked) is recorded for comparison with PostgreSQL's.
import pg from 'pg';
import { setupStatements, type Level, type Scenario } from './scenarios.js';

export interface Connection {
  host: string;
  port: number;
  user: string;
  database: string;
}

export interface StepOutcome {
  step: string;
  blocked: boolean;
  /** Rows as "id=value" lists, the command tag, or "ERROR <sqlstate>: <message>". */
  result: string;
}

/** A statement still running after this long counts as blocked… */
const blockedAfterMs = 250;
/** …unless the reference run says it should not block: then a slow machine gets this long. */
const notBlockedGraceMs = 3_000;
const unblockWaitMs = 5_000;

type Pending = Promise<string>;

function describeResult(result: pg.QueryResult): string {
  if (result.command === 'SELECT') return `[${result.rows.map((row) => `${row.id}=${row.value}`).join(', ')}]`;
  return `${result.command}${result.rowCount === null ? '' : ` ${result.rowCount}`}`;
}

function describeError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return `ERROR ${code ?? '?'}: ${message ?? String(error)}`;
}

function settleWithin(promise: Pending, ms: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * @param reference the reference run's outcomes (PostgreSQL's): a statement that did not block
 *   there gets a longer grace period before it counts as blocked, so a loaded machine does not
 *   turn a slow statement into a "blocked" one.
 */
export async function runScenario(connection: Connection, scenario: Scenario, level: Level, reference?: StepOutcome[]): Promise<StepOutcome[]> {
  const sessionCount = Math.max(...scenario.steps.map(([session]) => session));
  const setup = new pg.Client(connection);
  await setup.connect();
  try {
    for (const statement of setupStatements) await setup.query(statement);
  } finally {
    await setup.end();
  }
  const clients = Array.from({ length: sessionCount }, () => new pg.Client(connection));
  await Promise.all(clients.map((client) => client.connect()));
  const outcomes: StepOutcome[] = [];
  const pending = new Map<number, { promise: Pending; outcome: StepOutcome }>();
  const send = (session: number, sql: string): Pending =>
    clients[session - 1]!.query(sql).then(describeResult, describeError);
  try {
    for (const [session, sql] of scenario.steps) {
      const waiting = pending.get(session);
      if (waiting !== undefined) {
        const result = await settleWithin(waiting.promise, unblockWaitMs);
        waiting.outcome.result = result ?? 'STILL BLOCKED';
        pending.delete(session);
        if (result === undefined) throw new Error(`session ${session} is still blocked at: ${sql}`);
      }
      const statements = sql === 'begin' ? ['begin', `set transaction isolation level ${level}`] : [sql];
      for (const statement of statements) {
        const outcome: StepOutcome = { step: `T${session}: ${statement}`, blocked: false, result: '' };
        outcomes.push(outcome);
        const promise = send(session, statement);
        const expectedToBlock = reference?.[outcomes.length - 1]?.blocked ?? true;
        const result = await settleWithin(promise, expectedToBlock ? blockedAfterMs : notBlockedGraceMs);
        if (result === undefined) {
          outcome.blocked = true;
          pending.set(session, { promise, outcome });
        } else {
          outcome.result = result;
        }
      }
      // Give sessions this step may have unblocked the chance to finish before the next step.
      for (const [other, waiting] of pending) {
        if (other === session) continue;
        const result = await settleWithin(waiting.promise, blockedAfterMs);
        if (result !== undefined) {
          waiting.outcome.result = result;
          pending.delete(other);
        }
      }
    }
    for (const [, waiting] of pending) waiting.outcome.result = (await settleWithin(waiting.promise, unblockWaitMs)) ?? 'STILL BLOCKED';
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  }
  return outcomes;
}

export function formatOutcomes(outcomes: StepOutcome[]): string {
  return outcomes.map((outcome) => `${outcome.step}${outcome.blocked ? '  (blocked)' : ''}  -> ${outcome.result}`).join('\n');
}
