// Asserted invariants (TigerBeetle's habit): a broken invariant is a bug or corruption and must
// stop the operation loudly; it is never turned into a user-facing SQLSTATE silently.

export class AssertionError extends Error {
  constructor(message: string) {
    super(`assertion failed: ${message}`);
    this.name = 'AssertionError';
  }
}

export function assert(condition: unknown, message = 'invariant violated'): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function unreachable(value: never, message = 'unreachable'): never {
  throw new AssertionError(`${message}: ${JSON.stringify(value)}`);
}
