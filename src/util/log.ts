// Structured logs through pino: JSON by default, pretty on a TTY. Tests stay quiet unless
// CAMBIUM_LOG_LEVEL asks otherwise.
import { pino, type Logger } from 'pino';

function defaultLevel(): string {
  if (process.env.CAMBIUM_LOG_LEVEL) return process.env.CAMBIUM_LOG_LEVEL;
  if (process.env.npm_lifecycle_event === 'test' || process.env.MOCHA_WORKER_ID !== undefined) return 'silent';
  return 'info';
}

export function createLogger(name = 'cambium', level = defaultLevel()): Logger {
  const pretty = process.stdout.isTTY && !process.env.CAMBIUM_LOG_JSON;
  if (pretty) {
    return pino({ name, level, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino({ name, level });
}

export const log: Logger = createLogger();
export type { Logger };
