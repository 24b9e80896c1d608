/**
 * `serve --workers 2` on the embedded store (SQLite + local files), driven with the AWS SDK v3
 * clients over fresh connections (keep-alive off), which the primary spreads over the workers. The
 * worker that answered a request is read from the server's request log line (`worker` field, found
 * by the request id). What one worker writes the other reads; the invariants hold when requests
 * race across workers; a revoked key or a bucket made private stops working on every worker at
 * once (the IPC change feed, not the 1 s cache TTL); `/-/metrics` adds up every worker; kill -9 of
 * a worker is survived and the worker replaced; SIGTERM stops everything.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Agent } from 'node:http';
import { randomBytes } from 'node:crypto';
import {
  CreateBucketAccessKeyCommand,
  GetBucketAccessKeysCommand,
  LightsailClient,
  UpdateBucketCommand,
} from '@aws-sdk/client-lightsail';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { accountsFor, REGION, type Accounts } from '../s3/support/accounts.js';
import { sendAs, type Creds } from '../s3/support/s3Requests.js';

let server: TestServer;
let acc: Accounts;

/**
 * A handler that opens a new connection for every request (so the primary picks a worker each
 * time). The timeout bounds a connection that node:cluster handed to a worker in the instant it was
 * killed (the primary never hears back about it; see docs/operations.md, *Workers*).
 */
const freshConnections = () =>
  new NodeHttpHandler({
    httpAgent: new Agent({ keepAlive: false }),
    requestTimeout: 3_000,
    throwOnRequestTimeout: true,
    connectionTimeout: 3_000,
  });
const s3 = (creds: Creds, maxAttempts = 1) =>
  new S3Client({
    endpoint: server.endpoint,
    region: REGION,
    credentials: creds,
    forcePathStyle: true,
    maxAttempts,
    requestHandler: freshConnections(),
  });

/** Which worker answered the request with this id (from its request log line). */
async function workerOf(requestId: string | undefined): Promise<number> {
  assert.ok(requestId, 'the response carries a request id');
  const line = await server.waitForStderrLine(
    (l) => l.includes(`"requestId":"${requestId}"`) && l.includes('"msg":"request"'),
    0,
    5_000,
  );
  const worker = (JSON.parse(line) as { worker?: unknown }).worker;
  assert.equal(typeof worker, 'number', `request log line names its worker: ${line}`);
  return worker as number;
}

/** GET with a fresh connection (Connection: close), signed with `creds` or anonymous. */
const rawGet = (path: string, creds?: Creds) =>
  sendAs(server.endpoint, creds ? { kind: 'header', creds } : { kind: 'anonymous' }, {
    method: 'GET',
    path,
    headers: { connection: 'close' },
  });

/** Sends `get` until every worker has answered it with `status` (at most 20 tries); returns the workers seen. */
async function onEveryWorker(get: () => ReturnType<typeof rawGet>, status: number): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < 20 && seen.size < 2; i++) {
    const r = await get();
    assert.equal(r.status, status, `try ${i}: ${r.status} ${r.code ?? ''}`);
    seen.add(await workerOf(r.headers['x-amz-request-id'] as string));
  }
  assert.equal(seen.size, 2, `both workers answered (${[...seen].join(', ')})`);
  return seen;
}

const workerPids = (): number[] => {
  let out: string;
  try {
    out = execFileSync('pgrep', ['-P', String(server.pid())], { encoding: 'utf8' });
  } catch {
    return []; // pgrep exits 1 when there is no child
  }
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map(Number);
};

before(async () => {
  server = await startServer({ args: ['--workers', '2'] });
  acc = accountsFor(server.endpoint, server.credentials);
});

after(async () => {
  acc?.close();
  await server?.stop();
});

test('the primary prints the listening line first, then the banner naming the workers', () => {
  const lines = server.stdout().split('\n');
  assert.match(lines[0], /^sailbucket listening on http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(
    lines.some((l) => /workers: +2 processes/.test(l)),
    server.stdout(),
  );
  assert.equal(workerPids().length, 2, 'two worker processes under the primary');
});

test('objects written through one connection are read through others, on both workers; metrics add up', async () => {
  const bucket = uniqueBucketName('wk-rw');
  await acc.createBucket(bucket);
  const key = await acc.createKey(bucket);
  const c = s3(key);
  const bodies = Array.from({ length: 8 }, (_, i) => randomBytes(i % 2 === 0 ? 100 : 200_000));
  const writers = new Set<number>();
  const readers = new Set<number>();
  for (let i = 0; i < bodies.length; i++) {
    const put = await c.send(new PutObjectCommand({ Bucket: bucket, Key: `o${i}`, Body: bodies[i] }));
    writers.add(await workerOf(put.$metadata.requestId));
  }
  for (let i = 0; i < bodies.length; i++) {
    const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: `o${i}` }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(bodies[i]), `o${i} read back`);
    readers.add(await workerOf(got.$metadata.requestId));
  }
  assert.equal(writers.size, 2, 'both workers took writes');
  assert.equal(readers.size, 2, 'both workers took reads');
  // Any worker answers the scrape with every worker's figures.
  const metrics = await (await fetch(`${server.endpoint}/-/metrics`)).text();
  const puts = /^sailbucket_requests_total\{operation="PutObject",status="200"\} (\d+)$/m.exec(metrics);
  assert.equal(Number(puts?.[1]), bodies.length, 'PUTs counted over both workers');
  const perWorker = [...metrics.matchAll(/^sailbucket_worker_requests_total\{worker="(\d+)"\} (\d+)$/gm)];
  assert.equal(perWorker.length, 2, 'one request count per worker');
});

test('at most two keys per bucket when six creations race over both workers', async () => {
  const bucket = uniqueBucketName('wk-keys');
  await acc.createBucket(bucket);
  const lightsail = new LightsailClient({
    endpoint: server.endpoint,
    region: REGION,
    credentials: server.credentials,
    maxAttempts: 1,
    requestHandler: freshConnections(),
  });
  try {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => lightsail.send(new CreateBucketAccessKeyCommand({ bucketName: bucket }))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    assert.equal(ok.length, 2, `exactly two succeed: ${JSON.stringify(results.map((r) => r.status))}`);
    for (const r of results)
      if (r.status === 'rejected') assert.equal((r.reason as Error).name, 'InvalidInputException', String(r.reason));
    const keys = await lightsail.send(new GetBucketAccessKeysCommand({ bucketName: bucket }));
    assert.equal(keys.accessKeys?.length, 2);
  } finally {
    lightsail.destroy();
  }
});

test('If-None-Match: * PUTs racing over both workers have exactly one winner', async () => {
  const bucket = uniqueBucketName('wk-cond');
  await acc.createBucket(bucket);
  const key = await acc.createKey(bucket);
  const c = s3(key);
  for (let round = 0; round < 3; round++) {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        c.send(new PutObjectCommand({ Bucket: bucket, Key: `once-${round}`, Body: `writer ${i}`, IfNoneMatch: '*' })),
      ),
    );
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    assert.equal(winners.length, 1, `round ${round}: one winner, got ${winners.length}`);
    for (const r of results) {
      if (r.status === 'rejected') {
        const status = (r.reason as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        assert.ok(status === 412 || status === 409, `loser answered ${status}: ${String(r.reason)}`);
      }
    }
    const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: `once-${round}` }));
    assert.equal(await got.Body!.transformToString(), `writer ${winners[0]}`);
  }
});

/**
 * After `change`, the next four fresh-connection requests (over both workers) must all get 403 at
 * once: the workers' caches still hold the key or bucket (warmed just before, TTL 1 s), so only the
 * change feed can make this pass.
 */
async function refusedAtOnce(change: () => Promise<void>, get: () => ReturnType<typeof rawGet>): Promise<void> {
  await onEveryWorker(get, 200);
  await change();
  const t0 = Date.now();
  const seen = new Set<number>();
  for (let i = 0; i < 4; i++) {
    const r = await get();
    assert.equal(r.status, 403, `request ${i} after the change (${Date.now() - t0} ms): ${r.status}`);
    seen.add(await workerOf(r.headers['x-amz-request-id'] as string));
  }
  assert.ok(Date.now() - t0 < 1000, `checked within 1 s (${Date.now() - t0} ms)`);
  assert.equal(seen.size, 2, 'both workers refused');
}

test('a key deleted or deactivated on one worker stops working on every worker at once', async () => {
  const bucket = uniqueBucketName('wk-revoke');
  await acc.createBucket(bucket);
  for (const how of ['deactivate', 'delete'] as const) {
    const key = await acc.createKey(bucket);
    await s3(key).send(new PutObjectCommand({ Bucket: bucket, Key: 'warm', Body: 'x' }));
    await refusedAtOnce(
      () =>
        how === 'delete'
          ? acc.deleteKey(bucket, key.accessKeyId)
          : acc.setKeyStatus(bucket, key.accessKeyId, 'Inactive'),
      () => rawGet(`/${bucket}/warm`, key),
    );
  }
});

test('a bucket made private stops answering anonymous reads on every worker at once', async () => {
  const bucket = uniqueBucketName('wk-private');
  await acc.createBucket(bucket);
  const key = await acc.createKey(bucket);
  await s3(key).send(new PutObjectCommand({ Bucket: bucket, Key: 'doc', Body: 'public' }));
  const rules = (getObject: 'public' | 'private') =>
    acc.lightsail.send(
      new UpdateBucketCommand({ bucketName: bucket, accessRules: { getObject, allowPublicOverrides: false } }),
    );
  await rules('public');
  await refusedAtOnce(
    async () => void (await rules('private')),
    () => rawGet(`/${bucket}/doc`),
  );
});

/** The pid of the worker the primary last named leader (from its `worker leads` and `worker listening` lines). */
function leaderPid(): number {
  const lines = server
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; worker?: unknown; pid?: number });
  const leads = lines.filter((l) => l.msg?.startsWith('worker leads') === true);
  const leader = leads[leads.length - 1]?.worker;
  const pid = lines.find((l) => l.msg === 'worker listening' && l.worker === leader)?.pid;
  assert.ok(pid, `the leader (worker ${String(leader)}) has a pid`);
  return pid;
}

test('kill -9 of the leading worker: requests keep succeeding, another leads, a replacement starts', async () => {
  const bucket = uniqueBucketName('wk-kill');
  await acc.createBucket(bucket);
  const key = await acc.createKey(bucket);
  // Retries (after the 3 s timeout at worst) cover a connection handed to the worker in the instant it died.
  const c = s3(key, 3);
  await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'kept', Body: 'kept' }));
  const before = workerPids();
  assert.equal(before.length, 2);
  const victim = leaderPid();
  assert.ok(before.includes(victim), 'the leader is one of the workers');
  const survivor = before.find((p) => p !== victim)!;
  const from = server.stderr().length;
  process.kill(victim, 'SIGKILL');
  const t0 = Date.now();
  let ok = 0;
  let slowest = 0;
  for (let i = 0; i < 60 && Date.now() - t0 < 8_000; i++) {
    const t1 = Date.now();
    const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'kept' }));
    assert.equal(await got.Body!.transformToString(), 'kept');
    slowest = Math.max(slowest, Date.now() - t1);
    ok++;
  }
  assert.ok(ok >= 5, `requests answered while a worker was replaced: ${ok} (slowest ${slowest} ms)`);
  // At worst one attempt waited for its timeout (a connection lost with the killed worker) and was retried.
  assert.ok(slowest < 6_000, `slowest request: ${slowest} ms`);
  await server.waitForStderrLine((l) => l.includes('"msg":"worker exited: starting a replacement"'), from, 5_000);
  await server.waitForStderrLine((l) => l.includes('"msg":"worker listening"'), from, 10_000);
  assert.equal(leaderPid(), survivor, 'the surviving worker leads the background jobs now');
  const now = workerPids();
  assert.equal(now.length, 2, 'two workers again');
  assert.ok(!now.includes(victim), 'the killed worker is gone');
  assert.ok(now.includes(survivor), 'the other worker kept running');
  // The replacement serves too (and reads what was written before).
  await onEveryWorker(() => rawGet(`/${bucket}/kept`, key), 200);
});

test('SIGTERM to the primary stops every worker gracefully', async () => {
  const pids = workerPids();
  assert.equal(pids.length, 2);
  await server.stop();
  const alive = pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  assert.deepEqual(alive, [], 'no worker outlives the primary');
  const stopped = server.stderr().match(/"msg":"stopped"/g) ?? [];
  assert.equal(stopped.length, 3, 'both workers and the primary said they stopped');
});
