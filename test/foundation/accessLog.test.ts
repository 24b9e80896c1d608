/**
 * The access log answers "what failed": every request's line names the operation (S3 and
 * `Lightsail.*`), bucket and key (also virtual-hosted), principal kind and access key id (never a
 * secret), status, error code, bytes in and out, and duration. Driven with the JS SDKs and
 * hand-signed raw requests against a real server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetBucketAccessKeysCommand, LightsailClient } from '@aws-sdk/client-lightsail';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { REPO_ROOT } from '../helpers/server.js';
import { bodyBytes, startDataPlane, REGION } from '../s3/clientsHarness.js';
import { EMPTY_SHA256, sendRaw, signRequest } from '../s3/rawSigner.js';

type Line = Record<string, unknown>;

const requestLines = (stderr: string): Line[] =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line)
    .filter((e) => e.msg === 'request');

test('access log: operation, bucket, key, principal, status, error code, bytes and duration per request', async () => {
  const fx = await startDataPlane();
  const ls = new LightsailClient({ endpoint: fx.server.endpoint, region: REGION, credentials: fx.server.credentials });
  try {
    const body = randomBytes(300_000);
    const key = 'dir/report "q1".bin';
    await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: body }));
    const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: key }));
    assert.equal((await bodyBytes(got.Body)).length, body.length);
    await assert.rejects(fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'missing' })), {
      name: 'NoSuchKey',
    });

    // Virtual-hosted: the bucket is in the Host header only.
    const url = new URL(fx.server.endpoint);
    const host = `${fx.bucket}.localhost:${url.port}`;
    const path = '/dir/report%20%22q1%22.bin';
    const signed = signRequest({ method: 'GET', path, headers: { host }, payloadHash: EMPTY_SHA256, creds: fx.key });
    const vhost = await sendRaw(fx.server.endpoint, { method: 'GET', path, headers: signed.headers });
    assert.equal(vhost.status, 200);

    // A wrong secret: the key id is logged, the error code too, the secret is not.
    const wrong = { accessKeyId: fx.key.accessKeyId, secretAccessKey: 'W'.repeat(40) };
    const bad = signRequest({
      method: 'GET',
      path: `/${fx.bucket}/x`,
      headers: { host: url.host },
      payloadHash: EMPTY_SHA256,
      creds: wrong,
    });
    const denied = await sendRaw(fx.server.endpoint, { method: 'GET', path: `/${fx.bucket}/x`, headers: bad.headers });
    assert.equal(denied.status, 403);

    const forged = new LightsailClient({
      endpoint: fx.server.endpoint,
      region: REGION,
      credentials: { accessKeyId: fx.server.credentials.accessKeyId, secretAccessKey: 'F'.repeat(40) },
      maxAttempts: 1,
    });
    await assert.rejects(forged.send(new GetBucketAccessKeysCommand({ bucketName: 'forged-call' })), {
      name: 'InvalidSignatureException',
    });
    forged.destroy();
    await ls.send(new GetBucketAccessKeysCommand({ bucketName: fx.bucket }));
    await assert.rejects(ls.send(new GetBucketAccessKeysCommand({ bucketName: 'no-such-bucket-here' })), {
      name: 'NotFoundException',
    });

    // The line of the last request is written once its response is done: wait for it (bounded).
    await fx.server.waitForStderrLine((l) => l.includes('no-such-bucket-here') && l.includes('"request"'), 0, 5000);
    const lines = requestLines(fx.server.stderr());
    const find = (pred: (e: Line) => boolean, what: string): Line => {
      const e = lines.find(pred);
      assert.ok(e, `no access-log line for ${what}:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
      return e;
    };
    for (const e of lines) {
      assert.match(String(e.requestId), /^[0-9A-F]{16}$/);
      assert.equal(typeof e.status, 'number');
      assert.equal(typeof e.ms, 'number');
      assert.ok(Number(e.bytesIn) > 0 && Number(e.bytesOut) > 0, JSON.stringify(e));
    }

    const put = find((e) => e.operation === 'PutObject', 'PutObject');
    assert.equal(put.bucket, fx.bucket);
    assert.equal(put.key, key);
    assert.equal(put.principal, 'bucketKey');
    assert.equal(put.accessKeyId, fx.key.accessKeyId);
    assert.equal(put.status, 200);
    assert.equal(put.errorCode, undefined);
    assert.ok(Number(put.bytesIn) >= body.length, `PutObject bytesIn ${String(put.bytesIn)}`);
    assert.ok(Number(put.bytesOut) < 2000);

    const get = find((e) => e.operation === 'GetObject' && e.key === key && e.path !== path, 'GetObject');
    assert.equal(get.status, 200);
    assert.ok(Number(get.bytesOut) >= body.length, `GetObject bytesOut ${String(get.bytesOut)}`);
    assert.ok(Number(get.bytesIn) < 4000);

    const missing = find((e) => e.key === 'missing', 'NoSuchKey');
    assert.equal(missing.operation, 'GetObject');
    assert.equal(missing.status, 404);
    assert.equal(missing.errorCode, 'NoSuchKey');

    const virtual = find((e) => e.path === path, 'virtual-hosted GetObject');
    assert.equal(virtual.operation, 'GetObject');
    assert.equal(virtual.bucket, fx.bucket, 'the bucket of a virtual-hosted request comes from its Host');
    assert.equal(virtual.key, key);

    const mismatch = find((e) => e.errorCode === 'SignatureDoesNotMatch', 'SignatureDoesNotMatch');
    assert.equal(mismatch.accessKeyId, fx.key.accessKeyId, 'the key id of a failed signature is logged');
    assert.equal(mismatch.principal, undefined, 'no principal: the signature did not verify');
    assert.equal(mismatch.status, 403);

    const control = find((e) => e.operation === 'Lightsail.GetBucketAccessKeys' && e.status === 200, 'control plane');
    assert.equal(control.bucket, fx.bucket);
    assert.equal(control.principal, 'root');
    assert.equal(control.accessKeyId, fx.server.credentials.accessKeyId);
    assert.equal(control.path, '/');

    const forgedLine = find(
      (e) => e.errorCode === 'InvalidSignatureException',
      'a control-plane call with a bad secret',
    );
    assert.equal(forgedLine.operation, 'Lightsail.GetBucketAccessKeys');
    assert.equal(forgedLine.accessKeyId, fx.server.credentials.accessKeyId, 'the key id of a failed signature');
    assert.equal(forgedLine.principal, undefined);
    assert.equal(forgedLine.bucket, undefined, 'the input of an unauthenticated call is not read');

    const notFound = find((e) => e.bucket === 'no-such-bucket-here', 'NotFoundException');
    assert.equal(notFound.operation, 'Lightsail.GetBucketAccessKeys');
    assert.equal(notFound.errorCode, 'NotFoundException');
    assert.equal(notFound.status, 400);

    const all = fx.server.stderr();
    assert.ok(!all.includes(fx.key.secretAccessKey), 'a bucket key secret never reaches the log');
    assert.ok(!all.includes(fx.server.credentials.secretAccessKey), 'the root secret never reaches the log');
    assert.ok(!all.includes('W'.repeat(40)) && !all.includes('F'.repeat(40)));
  } finally {
    ls.destroy();
    await fx.close();
  }
});

test('docs/operations.md lists every message the server logs, with its level', () => {
  const root = join(REPO_ROOT, 'src');
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  const call = /\.(debug|info|warn|error)\(\s*'([^']+)'/g;
  const logged = new Map<string, string>();
  for (const f of files) {
    if (f.startsWith('cli/') && !f.startsWith('cli/serve')) continue; // the client CLI prints, it does not log
    for (const m of readFileSync(join(root, f), 'utf8').matchAll(call)) logged.set(m[2], m[1]);
  }
  assert.ok(logged.size >= 25, `found only ${logged.size} log calls: the scan is broken`);
  const docs = readFileSync(join(REPO_ROOT, 'docs', 'operations.md'), 'utf8');
  const table = docs.slice(docs.indexOf('### Every message'), docs.indexOf('## Background work'));
  const rows = table.split('\n').filter((l) => l.startsWith('| `'));
  for (const [msg, level] of logged) {
    const row = rows.find((r) => r.split('|')[1].includes(`\`${msg}\``));
    assert.ok(row, `the log message '${msg}' (${level}) is not in docs/operations.md`);
    assert.equal(row.split('|')[2].trim(), level, `the level of '${msg}'`);
  }
});
