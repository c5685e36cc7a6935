// `npm run bench [-- SUITE]`: runs Cambium side by side with its peers and prints ratios.
const suites = ['storage', 'pgbench', 'txn', 'analytics', 'snapshots', 'blobs'];
const chosen = process.argv[2];
console.log(`bench suites: ${suites.join(', ')}${chosen ? ` (asked for ${chosen})` : ''}`);
