// The checked-in per-class minimum agreement (test/differential/querygen-baseline.json). It only
// ratchets up: a class that reached a rate may not fall below it again.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureClass } from './querygen/index.js';

export interface Baseline {
  seed: number;
  perClass: number;
  /** Agreement rate in [0, 1] per class. */
  minimumAgreement: Partial<Record<FeatureClass, number>>;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const baselinePath = join(repoRoot, 'test', 'differential', 'querygen-baseline.json');

export function readBaseline(): Baseline {
  return JSON.parse(readFileSync(baselinePath, 'utf8')) as Baseline;
}

/** Classes whose measured rate fell below the baseline. */
export function regressions(baseline: Baseline, rates: Map<FeatureClass, number>): Array<{ featureClass: FeatureClass; rate: number; minimum: number }> {
  const found: Array<{ featureClass: FeatureClass; rate: number; minimum: number }> = [];
  for (const [featureClass, minimum] of Object.entries(baseline.minimumAgreement) as Array<[FeatureClass, number]>) {
    const rate = rates.get(featureClass) ?? 0;
    if (rate + 1e-9 < minimum) found.push({ featureClass, rate, minimum });
  }
  return found;
}

/** A class below 100 % may lose this much agreement (another engineer's change moving a few queries) without failing. */
const partialClassSlack = 0.02;

/**
 * Raises each class's minimum toward the measured rate (never lowers one) and writes the file:
 * a class at 100 % must stay there; others keep a little slack below what was measured.
 */
export function ratchet(baseline: Baseline, rates: Map<FeatureClass, number>): Baseline {
  const next: Baseline = { ...baseline, minimumAgreement: { ...baseline.minimumAgreement } };
  for (const [featureClass, rate] of rates) {
    const rounded = rate >= 1 ? 1 : Math.max(0, Math.floor((rate - partialClassSlack) * 10_000) / 10_000);
    next.minimumAgreement[featureClass] = Math.max(next.minimumAgreement[featureClass] ?? 0, rounded);
  }
  writeFileSync(baselinePath, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
