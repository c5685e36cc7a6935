// Manual measurement aid (not a test): serves the test double session on a port so pgbench can
// measure the wire layer's per-message overhead alone, e.g.
//   node dist/test/server/fake-server-main.js 5499 &
//   pgbench -n -f select.sql -M prepared -c 1 -T 5 -h 127.0.0.1 -p 5499 -U postgres postgres
import { Server } from '../../src/server/index.js';
import { createLogger } from '../../src/util/log.js';
import { FakeSessionFactory } from './fake-session.js';

const server = new Server(new FakeSessionFactory(), { port: Number(process.argv[2] ?? 5499), logger: createLogger('fake', 'warn') });
const address = await server.listen();
console.log(`fake server listening on ${address.port}`);
process.on('SIGTERM', () => void server.shutdown().then(() => process.exit(0)));
process.on('SIGINT', () => void server.shutdown().then(() => process.exit(0)));
