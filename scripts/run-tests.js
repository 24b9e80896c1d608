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
// The AWS SDK prints, once per process on Node 20, that its releases from January 2027 on need
// Node 22. The @aws-sdk/* versions are pinned in package.json to ones that run on Node 20 (see
// docs/operations.md, "Node.js versions"), so the notice does not apply; it is turned off with the
// SDK's own switch, which silences only that notice (other warnings still show). A value set by
// the caller wins.
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env };
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
