/** Access keys end to end: the two-key limit (also under concurrency), sealed secrets, restarts, logs. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketAccessKeyCommand,
  CreateBucketCommand,
  GetBucketAccessKeysCommand,
  GetBucketsCommand,
  GetOperationCommand,
  type LightsailClient,
} from '@aws-sdk/client-lightsail';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { expectError, lightsailClient, rawCall } from './support.js';

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) filesUnder(p, out);
    else if (st.isFile()) out.push(p); // not the admin socket (admin.sock): it holds no bytes
  }
  return out;
}

describe('access keys', () => {
  let server: TestServer;
  let ls: LightsailClient;
  const secrets: string[] = [];
  before(async () => {
    server = await startServer();
    ls = lightsailClient(server);
  });
  after(async () => {
    ls?.destroy();
    await server?.stop();
  });

  it('a third key is refused with InvalidInputException naming the limit', async () => {
    const name = uniqueBucketName('three');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    for (let i = 0; i < 2; i++)
      secrets.push((await ls.send(new CreateBucketAccessKeyCommand({ bucketName: name }))).accessKey!.secretAccessKey!);
    await expectError(ls.send(new CreateBucketAccessKeyCommand({ bucketName: name })), 'InvalidInputException', /2/);
    assert.equal((await ls.send(new GetBucketAccessKeysCommand({ bucketName: name }))).accessKeys!.length, 2);
  });

  it('20 concurrent CreateBucketAccessKey on one bucket yield exactly two keys', async () => {
    const name = uniqueBucketName('race');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => ls.send(new CreateBucketAccessKeyCommand({ bucketName: name }))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(
      ok.length,
      2,
      `exactly two creates succeed (${failed.map((f) => (f.reason as Error).name).join(',')})`,
    );
    for (const f of failed)
      assert.equal((f.reason as Error).name, 'InvalidInputException', (f.reason as Error).message);
    for (const r of ok)
      secrets.push(
        (r as PromiseFulfilledResult<{ accessKey?: { secretAccessKey?: string } }>).value.accessKey!.secretAccessKey!,
      );
    const listed = await ls.send(new GetBucketAccessKeysCommand({ bucketName: name }));
    assert.equal(listed.accessKeys!.length, 2);
  });

  it('no secret appears in clear in any file of the data dir', async () => {
    assert.ok(secrets.length >= 4);
    const files = filesUnder(server.dataDir);
    assert.ok(files.length > 0);
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const s of secrets) {
        assert.equal(bytes.indexOf(Buffer.from(s, 'utf8')), -1, `secret found in clear in ${f}`);
        assert.equal(bytes.indexOf(Buffer.from(s, 'utf16le')), -1, `secret found (utf16) in ${f}`);
      }
    }
  });

  it('a restart keeps buckets, keys and operations; a kill -9 too', async () => {
    const name = uniqueBucketName('persist');
    const created = await ls.send(
      new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0', tags: [{ key: 'k', value: 'v' }] }),
    );
    const key = (await ls.send(new CreateBucketAccessKeyCommand({ bucketName: name }))).accessKey!;
    secrets.push(key.secretAccessKey!);
    await server.restart();
    ls.destroy();
    ls = lightsailClient(server); // restart() moved the server to a fresh port
    const b = (await ls.send(new GetBucketsCommand({ bucketName: name }))).buckets![0];
    assert.equal(b.arn, created.bucket!.arn);
    assert.deepEqual(b.tags, [{ key: 'k', value: 'v' }]);
    const keys = (await ls.send(new GetBucketAccessKeysCommand({ bucketName: name }))).accessKeys!;
    assert.deepEqual(
      keys.map((k) => k.accessKeyId),
      [key.accessKeyId],
    );
    const op = await ls.send(new GetOperationCommand({ operationId: created.operations![0].id! }));
    assert.equal(op.operation!.operationType, 'CreateBucket');
    await server.kill9();
    await server.restart();
    ls.destroy();
    ls = lightsailClient(server);
    assert.equal((await ls.send(new GetBucketsCommand({ bucketName: name }))).buckets!.length, 1);
  });

  it('lastUsed is N/A before use and records date, region and s3 after a signed S3 request', async () => {
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const name = uniqueBucketName('used');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    const key = (await ls.send(new CreateBucketAccessKeyCommand({ bucketName: name }))).accessKey!;
    secrets.push(key.secretAccessKey!);
    const before = (await ls.send(new GetBucketAccessKeysCommand({ bucketName: name }))).accessKeys![0];
    assert.deepEqual(before.lastUsed, { region: 'N/A', serviceName: 'N/A' });
    const s3 = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: key.accessKeyId!, secretAccessKey: key.secretAccessKey! },
    });
    const usedAt = Date.now();
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'hello.txt', Body: 'hello' }));
    s3.destroy();
    let lastUsed: { lastUsedDate?: Date; region?: string; serviceName?: string } | undefined;
    for (let i = 0; i < 40; i++) {
      // bounded: up to ~10 s for the coalesced flush
      lastUsed = (await ls.send(new GetBucketAccessKeysCommand({ bucketName: name }))).accessKeys![0].lastUsed;
      if (lastUsed?.lastUsedDate) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(lastUsed?.lastUsedDate instanceof Date, `lastUsedDate recorded: ${JSON.stringify(lastUsed)}`);
    assert.ok(Math.abs(lastUsed.lastUsedDate.getTime() - usedAt) < 10_000);
    assert.equal(lastUsed.region, 'us-east-1');
    assert.equal(lastUsed.serviceName, 's3');
  });

  it('secrets and Authorization headers never reach the logs', async () => {
    await rawCall(server, 'GetBuckets', {}); // one more signed request
    const logs = server.stderr() + server.stdout();
    assert.ok(logs.length > 0, 'the server logged something');
    for (const s of [...secrets, server.credentials.secretAccessKey])
      assert.ok(!logs.includes(s), 'a secret was logged');
    assert.ok(!/AWS4-HMAC-SHA256 Credential=/.test(logs), 'an Authorization header was logged');
  });
});
