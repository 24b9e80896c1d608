import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  DeleteBucketCommand as LightsailDeleteBucket,
  GetBucketsCommand,
  LightsailClient,
} from '@aws-sdk/client-lightsail';
import { startServer, uniqueBucketName } from '../helpers/server.js';

const MiB = 1024 * 1024;

/**
 * A real 16 MiB file system (tmpfs, mounted as root) holds the whole data directory: PUTs fill it,
 * new writes get 507 StorageFull, deletes through the API recover it, and a restart on the full
 * disk works. Not being able to mount is a failure, never a skip.
 */
test('full disk: 507 StorageFull for new writes, logged once; deletes recover it; restart on a full disk', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dataDir]);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = await startServer({ dataDir });
    // restart() moves the server to a fresh port: the client is made anew after it.
    const s3For = (endpoint: string) =>
      new S3Client({ endpoint, region: server!.region, credentials: server!.credentials, forcePathStyle: true });
    let s3 = s3For(server.endpoint);
    const bucket = uniqueBucketName('full');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const spare = uniqueBucketName('spare');
    await s3.send(new CreateBucketCommand({ Bucket: spare }));
    const lightsail = new LightsailClient({
      endpoint: server.endpoint,
      region: server.region,
      credentials: server.credentials,
    });
    const body = Buffer.alloc(MiB, 1);

    /** PUTs 1 MiB objects until one is refused; returns the keys stored and the refusal. */
    const fill = async (prefix: string): Promise<{ keys: string[]; refusal: S3ServiceException }> => {
      const keys: string[] = [];
      for (let i = 0; i < 40; i++) {
        const key = `${prefix}/${i}`;
        try {
          await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
          keys.push(key);
        } catch (err) {
          assert.ok(err instanceof S3ServiceException, String(err));
          return { keys, refusal: err };
        }
      }
      throw new Error('16 MiB file system never filled up after 40 MiB of PUTs');
    };
    const assertStorageFull = (err: S3ServiceException) => {
      assert.equal(err.name, 'StorageFull');
      assert.equal(err.$metadata.httpStatusCode, 507);
      assert.match(err.message, /disk .*is full/);
      assert.equal(err.$metadata.attempts, 1, 'not retried by the SDK');
    };

    const first = await fill('a');
    assert.ok(first.keys.length >= 3, `only ${first.keys.length} objects fit`);
    assertStorageFull(first.refusal);
    // More writes while full, small (inline in SQLite) ones included: still 507, no log line per request.
    for (const more of [body, Buffer.from('small'), body]) {
      const again = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'more', Body: more })).then(
        () => undefined,
        (err: unknown) => err,
      );
      assertStorageFull(again as S3ServiceException);
    }
    const warnLines = () =>
      server!
        .stderr()
        .split('\n')
        .filter((l) => l.includes('disk full')).length;
    assert.equal(warnLines(), 1, server.stderr());
    assert.doesNotMatch(server.stderr(), /"level":"error"/);

    // A control-plane delete commits on the full disk.
    await lightsail.send(new LightsailDeleteBucket({ bucketName: spare }));
    const names = (await lightsail.send(new GetBucketsCommand({}))).buckets?.map((b) => b.name);
    assert.deepEqual(names, [bucket]);

    // Reads still work; deletes through the API recover space.
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: first.keys[0] }));
    assert.equal((await got.Body!.transformToByteArray()).length, MiB);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: first.keys[0] }));
    const many = first.keys.slice(1, 10);
    const deleted = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: many.map((Key) => ({ Key })) } }),
    );
    assert.equal(deleted.Errors?.length ?? 0, 0);
    assert.equal(deleted.Deleted?.length, many.length);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'after-recovery', Body: body }));
    assert.match(server.stderr(), /disk space recovered/);

    // Fill again, then restart on the full disk.
    const second = await fill('b');
    assertStorageFull(second.refusal);
    await server.restart();
    s3 = s3For(server.endpoint);
    assert.deepEqual(
      readdirSync(dataDir).filter((f) => f.startsWith('.write-probe') || f.includes('.tmp-')),
      [],
    );
    const refused = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'x', Body: body })).then(
      () => undefined,
      (err: unknown) => err,
    );
    assertStorageFull(refused as S3ServiceException);
    const left = [...first.keys.slice(10), ...second.keys, 'after-recovery'];
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: left.map((Key) => ({ Key })) } }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'after-restart', Body: body }));
    const back = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'after-restart' }));
    assert.equal((await back.Body!.transformToByteArray()).length, MiB);
  } finally {
    await server?.stop();
    execFileSync('umount', [dataDir]);
    rmdirSync(dataDir);
  }
});
