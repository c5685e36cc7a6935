#!/usr/bin/env node
// The `cambium` command. `serve` arrives with the wire server.
const command = process.argv[2] ?? 'help';
if (command === 'serve') {
  console.log('cambium serve: the PostgreSQL wire server is being built (see docs/architecture.md).');
} else {
  console.log('usage: cambium serve [--host H] [--port N] [--data DIR]');
}
