// Shared helpers for storage tests: key/value encoding, temp dirs, strict-mode checking.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { CambiumEngine } from '../../src/engine/index.js';

export const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');
export const text = (value: Uint8Array | undefined): string | undefined => (value === undefined ? undefined : Buffer.from(value).toString('utf8'));
export function intKey(value: number, width = 8): Uint8Array {
  return Buffer.from(value.toString(16).padStart(width, '0'), 'latin1');
}

export function tempDir(prefix = 'cambium-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** bbolt's strict mode: every invariant the checker knows must hold. */
export function expectConsistent(engine: CambiumEngine): void {
  expect(engine.check()).to.deep.equal([]);
}
