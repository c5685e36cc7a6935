// Child process of the kill -9 crash test: concurrent committers write transactions of six keys
// across two trees and print "ack <id>" once each is durable. Killed at random by the parent.
import { openEngine } from '../../src/engine/index.js';

const [dir, cycleText] = process.argv.slice(2);
const cycle = Number(cycleText);
const committers = 8;

const engine = await openEngine({ dir: dir!, checkpointWalBytes: 128 * 1024, checkpointIntervalMs: 40, cacheBytes: 64 * 8192 });
const setup = engine.view();
const needsTrees = !setup.hasTree(1);
setup.release();
if (needsTrees) await engine.commit([{ kind: 'createTree', tree: 1 }, { kind: 'createTree', tree: 2 }]).durable;
process.stdout.write('ready\n');

let next = 0;
async function committer(): Promise<void> {
  for (;;) {
    const id = cycle * 1_000_000 + next++;
    const value = Buffer.from(String(id));
    const ops = [];
    for (let part = 0; part < 5; part++) ops.push({ kind: 'put' as const, tree: 1, key: Buffer.from(`${id}:${part}`), value: Buffer.alloc(20 + ((id * 7 + part) % 300), id & 0xff) });
    ops.push({ kind: 'put' as const, tree: 2, key: Buffer.from(String(id)), value });
    if (id % 3 === 0) ops.push({ kind: 'delete' as const, tree: 1, key: Buffer.from(`${id - 3}:4`) });
    await engine.commit(ops).durable;
    process.stdout.write(`ack ${id}\n`);
  }
}
await Promise.all(Array.from({ length: committers }, committer));
