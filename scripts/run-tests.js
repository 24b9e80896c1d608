// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner.
// Usage: node scripts/run-tests.js [filter-substring ...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}
const filters = process.argv.slice(2);
const files = walk('dist/test', [])
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// One throwaway PostgreSQL cluster for every test file of the run (each file makes its own database
// in it), unless SAILBUCKET_TEST_POSTGRES_URL names a server already. Failing to start one is not
// fatal here: the PostgreSQL test files then try themselves and fail with how to provide one.
const env = { ...process.env };
let cluster;
if (!env.SAILBUCKET_TEST_POSTGRES_URL) {
  try {
    const { startPgCluster } = await import('../dist/test/helpers/pgCluster.js');
    cluster = await startPgCluster();
    env.SAILBUCKET_TEST_POSTGRES_URL = cluster.url;
  } catch (err) {
    console.error(`run-tests: no shared PostgreSQL for this run: ${err.message}`);
  }
}
let r;
try {
  r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env });
} finally {
  cluster?.stop();
}
process.exit(r?.status ?? 1);
