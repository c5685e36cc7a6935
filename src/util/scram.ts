// SCRAM-SHA-256 verifiers exactly as PostgreSQL stores them in pg_authid.rolpassword:
//   SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>
// It lives in util (not server) because the SQL side builds verifiers for CREATE/ALTER ROLE …
// PASSWORD, and the server checks them. The password is never stored.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** PostgreSQL's defaults: scram_iterations = 4096, SCRAM_DEFAULT_SALT_LEN = 16. */
export const scramIterationsDefault = 4096;
export const scramSaltBytesDefault = 16;
const scramKeyBytes = 32;

export interface ScramVerifier {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

export function sha256(data: Buffer | string): Buffer {
  return createHash('sha256').update(data).digest();
}

export function hmacSha256(key: Buffer, data: Buffer | string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * SASLprep (RFC 4013) as PostgreSQL applies it: ASCII passwords pass through; otherwise map
 * non-ASCII spaces to ' ', drop characters "commonly mapped to nothing", NFKC-normalise. Where
 * PostgreSQL's full SASLprep would reject the string (prohibited output), it uses the raw bytes;
 * we approximate that by falling back to the raw string when control characters remain.
 */
export function saslPrep(password: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(password)) return password;
  const mapped = password
    .replace(/[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u00ad\u034f\u1806\u180b-\u180d\u200c\u200d\u2060\ufe00-\ufe0f\ufeff]/g, '')
    .normalize('NFKC');
  // eslint-disable-next-line no-control-regex
  if (mapped.length === 0 || /[\x00-\x1f\x7f-\x9f\ufff9-\ufffd]/.test(mapped)) return password;
  return mapped;
}

export function saltedPassword(password: string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(Buffer.from(saslPrep(password), 'utf8'), salt, iterations, scramKeyBytes, 'sha256');
}

export function scramKeysFromPassword(password: string, salt: Buffer, iterations: number): ScramVerifier {
  const salted = saltedPassword(password, salt, iterations);
  const clientKey = hmacSha256(salted, 'Client Key');
  return { iterations, salt, storedKey: sha256(clientKey), serverKey: hmacSha256(salted, 'Server Key') };
}

/** Builds the pg_authid.rolpassword text for a password (what CREATE ROLE … PASSWORD stores). */
export function buildScramVerifier(
  password: string,
  options: { iterations?: number; salt?: Buffer } = {},
): string {
  const iterations = options.iterations ?? scramIterationsDefault;
  const salt = options.salt ?? randomBytes(scramSaltBytesDefault);
  return formatScramVerifier(scramKeysFromPassword(password, salt, iterations));
}

export function formatScramVerifier(verifier: ScramVerifier): string {
  const b64 = (b: Buffer) => b.toString('base64');
  return `SCRAM-SHA-256$${verifier.iterations}:${b64(verifier.salt)}$${b64(verifier.storedKey)}:${b64(verifier.serverKey)}`;
}

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses a stored verifier; null when the text is not a SCRAM-SHA-256 verifier. */
export function parseScramVerifier(text: string): ScramVerifier | null {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(text);
  if (!match) return null;
  const [, iterationsText, saltText, storedText, serverText] = match;
  if (![saltText, storedText, serverText].every((part) => base64Pattern.test(part!))) return null;
  const iterations = Number(iterationsText);
  const storedKey = Buffer.from(storedText!, 'base64');
  const serverKey = Buffer.from(serverText!, 'base64');
  if (!Number.isSafeInteger(iterations) || iterations < 1) return null;
  if (storedKey.length !== scramKeyBytes || serverKey.length !== scramKeyBytes) return null;
  return { iterations, salt: Buffer.from(saltText!, 'base64'), storedKey, serverKey };
}

export function isScramVerifier(text: string): boolean {
  return parseScramVerifier(text) !== null;
}

/** Checks a cleartext password against a stored verifier (cleartext auth, CREATE ROLE reuse). */
export function scramVerifyPassword(password: string, verifier: ScramVerifier): boolean {
  const keys = scramKeysFromPassword(password, verifier.salt, verifier.iterations);
  return timingSafeEqual(keys.storedKey, verifier.storedKey) && timingSafeEqual(keys.serverKey, verifier.serverKey);
}
