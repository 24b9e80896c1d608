/**
 * `/-/metrics`: the Prometheus text exposition, scraped with curl and with Node's fetch, parsed
 * line by line, and checked to move as real clients (JS SDK) make requests: requests by operation
 * and status, errors by code, latency histograms, bytes in and out, connections, uploads in
 * flight, metadata commit batches and WAL fsyncs, blobs written and deleted, the blob store's size
 * and the orphan sweep. The bearer token is enforced when set.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { REPO_ROOT, startServer } from '../helpers/server.js';
import { bodyBytes, createBucketWithKey, REGION } from '../s3/clientsHarness.js';
import { runProcess } from '../s3/clientsProcess.js';
import { signRequest } from '../s3/rawSigner.js';

type Samples = Map<string, number>;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (\S+)$/;

/**
 * Parses the text exposition format (version 0.0.4) strictly: every line is empty, a HELP, a TYPE
 * or a sample of a family whose TYPE came before; returns `name{labels as sent}` → value.
 */
function parseExposition(text: string): { samples: Samples; types: Map<string, string> } {
  const samples: Samples = new Map();
  const types = new Map<string, string>();
  assert.ok(text.endsWith('\n'), 'the exposition ends with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    // Empty lines are allowed (prom-client separates families with one).
    if (line === '' || line.startsWith('# HELP ')) continue;
    const t = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (t) {
      types.set(t[1], t[2]);
      continue;
    }
    const m = SAMPLE.exec(line);
    assert.ok(m, `not an exposition line: ${JSON.stringify(line)}`);
    const family = m[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(m[1]) || types.has(family), `sample before its TYPE: ${line}`);
    // prom-client writes NaN as `Nan` (Prometheus parses floats case-insensitively), e.g. event-loop lag before a sample.
    const value = /^nan$/i.test(m[3]) ? NaN : Number(m[3]);
    assert.ok(!Number.isNaN(value) || /^nan$/i.test(m[3]), `bad value in ${line}`);
    samples.set(m[1] + (m[2] ?? ''), value);
  }
  return { samples, types };
}

const TOKEN = randomBytes(24).toString('hex');

async function scrape(endpoint: string): Promise<Samples> {
  const res = await fetch(`${endpoint}/-/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text()).samples;
}

const value = (s: Samples, key: string): number => s.get(key) ?? 0;

/** Scrapes until `ready` holds (bounded: 100 scrapes, 50 ms apart); returns the last scrape. */
async function scrapeUntil(endpoint: string, ready: (s: Samples) => boolean): Promise<Samples> {
  let s = await scrape(endpoint);
  for (let i = 0; i < 100 && !ready(s); i++) {
    await new Promise((r) => setTimeout(r, 50));
    s = await scrape(endpoint);
  }
  return s;
}

/** The start-up sweep runs once the listener is up: wait for it to have counted the store. */
const swept = (s: Samples) => value(s, 'sailbucket_blob_sweeps_total{result="ok"}') >= 1;

test('metrics: token enforced, exposition parses, figures move with requests', async () => {
  const server = await startServer({ env: { SAILBUCKET_METRICS_TOKEN: TOKEN } });
  let s3: S3Client | undefined;
  try {
    // curl, as a Prometheus operator would try it: 401 without the token, the exposition with it.
    const url = `${server.endpoint}/-/metrics`;
    const anonymous = await runProcess('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', url]);
    assert.equal(anonymous.stdout, '401');
    const wrong = await runProcess('curl', ['-s', '-w', '\n%{http_code}', '-H', 'Authorization: Bearer nope', url]);
    assert.match(wrong.stdout, /--metrics-token[\s\S]*\n401$/);
    const curl = await runProcess('curl', ['-s', '-f', '-H', `Authorization: Bearer ${TOKEN}`, url]);
    assert.equal(curl.code, 0, curl.stderr);
    const first = parseExposition(curl.stdout);
    assert.equal(first.types.get('sailbucket_requests_total'), 'counter');
    assert.equal(first.types.get('sailbucket_request_duration_seconds'), 'histogram');
    assert.equal(first.types.get('sailbucket_connections_open'), 'gauge');
    assert.ok(first.types.has('process_cpu_user_seconds_total'), 'process metrics are there too');

    // Every sailbucket_* family is documented, and every documented one exists.
    const docs = readFileSync(join(REPO_ROOT, 'docs', 'operations.md'), 'utf8');
    const documented = new Set([...docs.matchAll(/`(sailbucket_[a-z_]+)`/g)].map((m) => m[1]));
    const exposed = new Set([...first.types.keys()].filter((n) => n.startsWith('sailbucket_')));
    for (const name of exposed) assert.ok(documented.has(name), `${name} is not in docs/operations.md`);
    for (const name of documented) assert.ok(exposed.has(name), `docs/operations.md names ${name}, not exposed`);

    const before = await scrapeUntil(server.endpoint, swept);
    assert.ok(swept(before), 'the start-up sweep ran');
    const { bucket, key } = await createBucketWithKey(server);
    s3 = new S3Client({ endpoint: server.endpoint, region: REGION, credentials: key });
    const big = randomBytes(300_000);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: big }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'b', Body: big }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'small', Body: 'tiny' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a' }));
    assert.equal((await bodyBytes(got.Body)).length, big.length);
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'nope' })), { name: 'NoSuchKey' });

    // A signed upload whose body is still arriving, on a connection of its own.
    const endpointUrl = new URL(server.endpoint);
    const signed = signRequest({
      method: 'PUT',
      path: `/${bucket}/stalled`,
      headers: { host: endpointUrl.host, 'content-length': '1000' },
      payloadHash: 'UNSIGNED-PAYLOAD',
      creds: key,
    });
    const stalled = request({
      host: endpointUrl.hostname,
      port: endpointUrl.port,
      method: 'PUT',
      path: `/${bucket}/stalled`,
      headers: signed.headers,
    });
    stalled.on('error', () => undefined);
    stalled.write(Buffer.alloc(10));
    const during = await scrapeUntil(server.endpoint, (s) => value(s, 'sailbucket_uploads_in_flight') >= 1);
    assert.ok(value(during, 'sailbucket_uploads_in_flight') >= 1, 'the stalled upload is in flight');
    assert.ok(value(during, 'sailbucket_requests_in_flight') >= 2, 'the upload and the scrape are in flight');
    assert.ok(value(during, 'sailbucket_connections_open') >= 2, 'two connections are open');
    stalled.destroy();
    const after = await scrapeUntil(server.endpoint, (s) => value(s, 'sailbucket_uploads_in_flight') === 0);
    assert.equal(value(after, 'sailbucket_uploads_in_flight'), 0, 'the cut upload is no longer in flight');
    const delta = (k: string) => value(after, k) - value(before, k);
    assert.equal(delta('sailbucket_requests_total{operation="PutObject",status="200"}'), 3);
    assert.equal(delta('sailbucket_requests_total{operation="PutObject",status="499"}'), 1, 'the cut upload');
    assert.equal(delta('sailbucket_requests_total{operation="GetObject",status="200"}'), 1);
    assert.equal(delta('sailbucket_requests_total{operation="GetObject",status="404"}'), 1);
    assert.equal(delta('sailbucket_request_errors_total{operation="GetObject",code="NoSuchKey"}'), 1);
    assert.equal(delta('sailbucket_requests_total{operation="Lightsail.CreateBucket",status="200"}'), 1);
    assert.ok(delta('sailbucket_request_bytes_total{operation="PutObject"}') >= 2 * big.length);
    assert.ok(delta('sailbucket_response_bytes_total{operation="GetObject"}') >= big.length);
    assert.equal(delta('sailbucket_request_duration_seconds_count{operation="PutObject"}'), 4);
    assert.equal(
      value(after, 'sailbucket_request_duration_seconds_bucket{le="+Inf",operation="PutObject"}'),
      value(after, 'sailbucket_request_duration_seconds_count{operation="PutObject"}'),
    );
    assert.ok(delta('sailbucket_request_duration_seconds_sum{operation="PutObject"}') > 0);
    assert.ok(delta('sailbucket_metadata_commit_batch_jobs_count') >= 4, 'bucket, key and three objects committed');
    assert.ok(
      delta('sailbucket_metadata_commit_batch_jobs_sum') >= delta('sailbucket_metadata_commit_batch_jobs_count'),
    );
    assert.ok(delta('sailbucket_metadata_wal_fsync_seconds_count') >= 1, 'commits were made durable by a WAL fsync');
    assert.equal(delta('sailbucket_blobs_written_total'), 2, 'two bodies over 64 KiB became blobs, the small one not');
    assert.equal(delta('sailbucket_blob_written_bytes_total'), 2 * big.length);
    assert.ok(delta('sailbucket_connections_total') >= 2);

    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'b' }));
    // The replaced blob is freed after the commit, possibly after the answer.
    const deletedBefore = value(after, 'sailbucket_blobs_deleted_total');
    const deleted = await scrapeUntil(
      server.endpoint,
      (s) => value(s, 'sailbucket_blobs_deleted_total') > deletedBefore,
    );
    assert.equal(value(deleted, 'sailbucket_blobs_deleted_total') - value(after, 'sailbucket_blobs_deleted_total'), 1);

    // The blob store's size is counted by the orphan sweep (at start-up, then hourly).
    s3.destroy();
    s3 = undefined;
    await server.restart();
    const restarted = await scrapeUntil(server.endpoint, swept);
    assert.equal(value(restarted, 'sailbucket_blob_store_blobs'), 1);
    assert.equal(value(restarted, 'sailbucket_blob_store_bytes'), big.length);
    assert.equal(value(restarted, 'sailbucket_blob_sweeps_total{result="ok"}'), 1);
    assert.ok(value(restarted, 'sailbucket_blob_sweep_last_success_timestamp_seconds') > Date.now() / 1000 - 60);
  } finally {
    s3?.destroy();
    await server.stop();
  }
});

test('metrics: without a token /-/metrics is open; HEAD answers without a body', async () => {
  const server = await startServer();
  try {
    const res = await fetch(`${server.endpoint}/-/metrics`);
    assert.equal(res.status, 200);
    const { samples } = parseExposition(await res.text());
    assert.ok(samples.has('sailbucket_connections_open'));
    const head = await fetch(`${server.endpoint}/-/metrics`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  } finally {
    await server.stop();
  }
});
