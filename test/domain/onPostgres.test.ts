/**
 * The domain suites again, on the PostgreSQL store: every test file of test/domain that does not
 * look inside SQLite runs in a child `node --test` with SAILBUCKET_TEST_DOMAIN_STORE=postgres
 * (testStore.ts), against the run's PostgreSQL (SAILBUCKET_TEST_POSTGRES_URL) or a throwaway
 * cluster started here. Any failing test there fails this one, with the child's report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPgCluster, type PgCluster } from '../helpers/pgCluster.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Suites that inspect or crash the SQLite file itself. */
const SQLITE_ONLY = new Set(['objectsInline.test.js', 'onPostgres.test.js']);
/** The child run fails loudly instead of hanging. */
const CHILD_TIMEOUT_MS = 10 * 60_000;

test('the domain suites pass on the PostgreSQL store', async () => {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.test.js') && !SQLITE_ONLY.has(f))
    .sort()
    .map((f) => join(here, f));
  assert.ok(files.length >= 10, `domain suites found: ${files.length}`);
  let cluster: PgCluster | undefined;
  let url = process.env.SAILBUCKET_TEST_POSTGRES_URL;
  if (!url) {
    cluster = await startPgCluster();
    url = cluster.url;
  }
  try {
    // Without the parent runner's NODE_TEST_CONTEXT, the child reports in TAP like any run.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SAILBUCKET_TEST_DOMAIN_STORE: 'postgres',
      SAILBUCKET_TEST_POSTGRES_URL: url,
    };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(process.execPath, ['--test', '--test-reporter=tap', '--test-concurrency=2', ...files], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    const pass = /^# pass (\d+)$/m.exec(out)?.[1];
    assert.equal(code, 0, `domain suites on PostgreSQL failed (exit ${code}):\n${failures(out) || out.slice(-20_000)}`);
    assert.ok(Number(pass) >= 50, `tests passed on PostgreSQL: ${pass}`);
  } finally {
    cluster?.stop();
  }
});

/** The failing subtests of a TAP report, each with its YAML block (what CI's shortened log must keep). */
function failures(tap: string): string {
  const lines = tap.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*not ok /.test(lines[i])) continue;
    const indent = /^\s*/.exec(lines[i])![0].length;
    kept.push(lines[i]);
    for (let j = i + 1; j < lines.length && j < i + 60; j++) {
      kept.push(lines[j]);
      if (lines[j].trim() === '...' && /^\s*/.exec(lines[j])![0].length <= indent + 2) break;
    }
  }
  return kept.join('\n').slice(0, 20_000);
}
