// The project checks its own layering (users' clones have no ../shared): each folder of src/
// imports only folders on its own line of src/LAYERS or above.
import { expect } from 'chai';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const srcDir = join(repoRoot, 'src');

function layerRanks(): Map<string, number> {
  const ranks = new Map<string, number>();
  readFileSync(join(srcDir, 'LAYERS'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .forEach((line, index) => line.split(/\s+/).forEach((name) => ranks.set(name, index)));
  return ranks;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('layering (src/LAYERS)', () => {
  it('every src folder is named in LAYERS and imports no higher layer', () => {
    const ranks = layerRanks();
    const layerOf = (file: string) => relative(srcDir, file).split(sep)[0]!;
    const importPattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
    const problems: string[] = [];
    for (const file of sourceFiles(srcDir)) {
      const from = layerOf(file);
      if (from === relative(srcDir, file)) continue;
      if (!ranks.has(from)) {
        problems.push(`src/${from}/ is not named in src/LAYERS`);
        continue;
      }
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(importPattern)) {
        const spec = match[1] ?? match[2]!;
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(srcDir + sep)) continue;
        const to = layerOf(target);
        if (to !== from && ranks.has(to) && ranks.get(to)! > ranks.get(from)!) {
          problems.push(`${relative(repoRoot, file)}: '${from}' imports '${to}', a higher layer`);
        }
      }
    }
    expect([...new Set(problems)]).to.deep.equal([]);
  });
});
