// kill -9 at random moments, at least 50 times: a child process commits concurrently and reports
// each acknowledged commit; after every kill the database must open with every acknowledged
// commit present and every transaction either wholly there or wholly absent.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEngine } from '../../src/engine/index.js';
import { tempDir } from './helpers.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'crash-child.js');
const cycles = Number(process.env.CRASH_CYCLES ?? 50);

function runAndKill(dir: string, cycle: number, killAfterMs: number): Promise<Set<number>> {
  return new Promise((resolve, reject) => {
    const acknowledged = new Set<number>();
    const process_ = spawn(process.execPath, [child, dir, String(cycle)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    process_.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        // The clock starts at the first acknowledgement, so every cycle kills a busy writer.
        if (line.startsWith('ack ')) {
          acknowledged.add(Number(line.slice(4)));
          if (!timer) timer = setTimeout(() => process_.kill('SIGKILL'), killAfterMs);
        }
      }
    });
    process_.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    process_.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`crash child exited with ${code}: ${stderr}`));
    });
  });
}

describe('engine (kill -9 crash test)', function () {
  this.timeout(300_000);
  it(`keeps every acknowledged commit across ${cycles} SIGKILLs`, async () => {
    // Node's start-up dominates a cycle, so independent databases crash in parallel lanes.
    const lanes = 4;
    const results = await Promise.all(Array.from({ length: lanes }, (_, lane) => crashLane(lane, Math.ceil(cycles / lanes))));
    const totalAcknowledged = results.reduce((sum, count) => sum + count, 0);
    expect(totalAcknowledged).to.be.at.least(cycles);
  });
});

async function crashLane(lane: number, laneCycles: number): Promise<number> {
  const dir = tempDir(`cambium-crash-${lane}-`);
  try {
    let totalAcknowledged = 0;
    let seed = 12345 + lane;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let cycle = 1; cycle <= laneCycles; cycle++) {
      const acknowledged = await runAndKill(dir.path, cycle, Math.floor(random() * 120));
      totalAcknowledged += acknowledged.size;
      const engine = await openEngine({ dir: dir.path, checkpointIntervalMs: 0 });
      const view = engine.view();
      for (const id of acknowledged) expect(view.get(2, Buffer.from(String(id))), `lane ${lane} cycle ${cycle}: acknowledged ${id}`).to.not.equal(undefined);
      // Atomicity: a transaction's marker in tree 2 exists exactly when its keys in tree 1 do.
      const inCycle = (id: number) => id >= cycle * 1_000_000 && id < (cycle + 1) * 1_000_000;
      const cursor = view.cursor(2, { lower: Buffer.from(String(cycle * 1_000_000)), upper: Buffer.from(String((cycle + 1) * 1_000_000)) });
      const present = new Set<number>();
      while (cursor.next()) {
        const id = Number(Buffer.from(cursor.key).toString());
        if (inCycle(id)) present.add(id);
      }
      for (const id of present) {
        for (let part = 0; part < 4; part++) expect(view.get(1, Buffer.from(`${id}:${part}`)), `lane ${lane} cycle ${cycle}: ${id}:${part}`).to.not.equal(undefined);
      }
      const parts = view.cursor(1, { lower: Buffer.from(`${cycle * 1_000_000}:`), upper: Buffer.from(`${(cycle + 1) * 1_000_000}:`) });
      while (parts.next()) {
        const id = Number(Buffer.from(parts.key).toString().split(':')[0]);
        if (inCycle(id)) expect(present.has(id), `lane ${lane} cycle ${cycle}: orphan part of ${id}`).to.equal(true);
      }
      view.release();
      if (cycle % 5 === 0 || cycle === laneCycles) expect(engine.check(), `lane ${lane} cycle ${cycle}`).to.deep.equal([]);
      await engine.close();
    }
    return totalAcknowledged;
  } finally {
    dir.remove();
  }
}
