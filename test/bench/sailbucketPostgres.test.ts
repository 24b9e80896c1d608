/**
 * The bench's `sailbucket-postgres` server: Sailbucket in PostgreSQL mode on a throwaway cluster
 * the starter creates — durable (fsync and synchronous_commit on), serving a PUT and a GET, with the
 * metadata really in PostgreSQL, and the cluster's postmaster gone after stop(). Without PostgreSQL
 * binaries it is skipped with the reason, or fails when named in --servers. Needs initdb/pg_ctl
 * like every PostgreSQL test (it fails, never skips, without them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createHttpPool } from '../../bench/httpPool.js';
import { parseOptions } from '../../bench/options.js';
import { createS3Ops } from '../../bench/s3Ops.js';
import { startSailbucketPostgres } from '../../bench/servers/sailbucketPostgres.js';
import { startServers } from '../../bench/servers/startAll.js';
import { createSigner, sha256Hex } from '../../bench/signer.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Running: a /proc entry that is not a zombie (an exited child its reaper has not collected yet). */
function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

test(
  'sailbucket-postgres: PUT and GET on a durable throwaway cluster, which is gone after stop',
  { timeout: 90_000 },
  async () => {
    const outcome = await startSailbucketPostgres({ repoRoot: REPO_ROOT }, { required: true });
    assert.ok('server' in outcome && outcome.cluster, `not started: ${JSON.stringify(outcome)}`);
    const { server, cluster } = outcome;
    const postmaster = cluster.pid();
    assert.ok(postmaster !== undefined && alive(postmaster), 'the PostgreSQL postmaster runs');
    let stopped = false;
    try {
      assert.equal(server.name, 'sailbucket-postgres');
      const db = new pg.Client({ connectionString: cluster.url });
      await db.connect();
      try {
        for (const setting of ['fsync', 'synchronous_commit', 'full_page_writes']) {
          const r = await db.query<{ v: string }>(`SELECT current_setting($1) AS v`, [setting]);
          assert.equal(r.rows[0].v, 'on', `${setting} is on (durable like Sailbucket's default)`);
        }
        const bucket = 'pg-bench-check';
        const creds = await server.createBucket(bucket);
        const pool = createHttpPool({ host: server.host, port: server.port, maxSockets: 2, timeoutMs: 30_000 });
        try {
          const s3 = createS3Ops(
            pool,
            createSigner({
              credentials: creds,
              region: server.region,
              service: 's3',
              host: `${server.host}:${server.port}`,
            }),
          );
          const body = randomBytes(4096);
          const put = await s3.putObject(bucket, 'k/1', body, { kind: 'sha256', sha256: sha256Hex(body) });
          assert.equal(put.headers['etag'], `"${createHash('md5').update(body).digest('hex')}"`);
          const got = await s3.getObject(bucket, 'k/1', body.length);
          assert.ok(got.body.equals(body), 'GET returns the bytes PUT');
        } finally {
          pool.close();
        }
        // The bucket lives in PostgreSQL, not in an embedded database.
        const tables = await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
        );
        assert.ok(Number(tables.rows[0].n) > 0, 'Sailbucket created its tables in the cluster');
      } finally {
        await db.end();
      }
      await server.stop();
      stopped = true;
      assert.equal(alive(postmaster), false, `the postmaster (pid ${postmaster}) is gone after stop`);
      assert.equal(alive(server.pid), false, 'Sailbucket is gone after stop');
    } finally {
      if (!stopped) await server.stop();
    }
  },
);

test('sailbucket-postgres without PostgreSQL binaries: skipped by default, fails when named in --servers', async () => {
  const saved = process.env.SAILBUCKET_PG_BIN;
  process.env.SAILBUCKET_PG_BIN = join(REPO_ROOT, 'no-such-postgres-bin-for-bench-test');
  try {
    const skipped = await startServers(['sailbucket-postgres'], { repoRoot: REPO_ROOT });
    assert.equal(skipped.servers.length, 0);
    assert.equal(skipped.statuses[0].status, 'skipped');
    assert.match(
      skipped.statuses[0].reason ?? '',
      /^sailbucket-postgres: no PostgreSQL binaries found .*initdb and pg_ctl/,
    );
    const asked = await startServers(['sailbucket-postgres'], { repoRoot: REPO_ROOT }, ['sailbucket-postgres']);
    assert.equal(asked.statuses[0].status, 'failed');
    assert.match(asked.statuses[0].reason ?? '', /no PostgreSQL binaries found.*named in --servers/);
  } finally {
    if (saved === undefined) delete process.env.SAILBUCKET_PG_BIN;
    else process.env.SAILBUCKET_PG_BIN = saved;
  }
});

test('sailbucket-postgres is opt-in: not in the default server list, kept as requested with --servers', () => {
  assert.equal(parseOptions([]).servers.includes('sailbucket-postgres'), false);
  assert.deepEqual(parseOptions([]).serversRequested, []);
  const o = parseOptions(['--servers', 'sailbucket,sailbucket-postgres']);
  assert.deepEqual(o.servers, ['sailbucket', 'sailbucket-postgres', 'floor', 'trivial']);
  assert.deepEqual(o.serversRequested, ['sailbucket', 'sailbucket-postgres']);
});
