/**
 * kill -9 during concurrent uploads and multipart completes: after a restart every object is the
 * old or the new version, whole (SHA-256 computed by the client when writing), every acknowledged
 * write is there with exactly its bytes, and once unfinished uploads are aborted and the
 * orphan sweep has run, no orphan blob file remains (and no referenced one was removed).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import {
  S3Client,
  PutObjectCommand,
  GetObjectCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  CompleteMultipartUploadCommand,
  ListMultipartUploadsCommand,
  AbortMultipartUploadCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { startDataPlane, bodyBytes, REGION, type DataPlaneFixture } from './clientsHarness.js';
import { join } from 'node:path';
import { countBlobFiles } from './rawBlobFiles.js';
import { BlobSweeper } from '../../src/domain/objects/blobSweeper.js';
import { FsBlobStore } from '../../src/store/blob/fs/FsBlobStore.js';
import { MAX_INLINE_BYTES } from '../../src/domain/objects/limits.js';
import { SqliteMetadataStore } from '../../src/store/metadata/sqlite/SqliteMetadataStore.js';

let fx: DataPlaneFixture;
before(async () => {
  fx = await startDataPlane();
});
after(async () => {
  await fx?.close();
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Replay a failure with the kill time the diagnostic printed: SAILBUCKET_CRASH_KILL_MS=<ms>. */
const KILL_AFTER_MS = Number(process.env.SAILBUCKET_CRASH_KILL_MS ?? randomInt(200, 3000));
const SINGLE = 16;
const MULTI = 4;

test(`kill -9 during ${SINGLE} uploads and ${MULTI} multipart completes leaves only whole old or new versions and no orphan blobs`, async (t) => {
  const s3 = fx.s3;
  const versions = new Map<string, { old: string; neu: string }>();
  // Old versions.
  for (let i = 0; i < SINGLE + MULTI; i++) {
    const key = i < SINGLE ? `single/${i}` : `multi/${i}`;
    const old = randomBytes(100_000 + i);
    await s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: old }));
    versions.set(key, { old: sha256(old), neu: '' });
  }
  // Multipart uploads with their parts in place, so the completes race with the kill.
  const pending: { key: string; uploadId: string; parts: { PartNumber: number; ETag: string }[] }[] = [];
  for (let i = SINGLE; i < SINGLE + MULTI; i++) {
    const key = `multi/${i}`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: fx.bucket, Key: key }));
    const p1 = randomBytes(5 * 1024 * 1024);
    const p2 = randomBytes(300_000 + i);
    const e1 = await s3.send(new UploadPartCommand({ Bucket: fx.bucket, Key: key, UploadId, PartNumber: 1, Body: p1 }));
    const e2 = await s3.send(new UploadPartCommand({ Bucket: fx.bucket, Key: key, UploadId, PartNumber: 2, Body: p2 }));
    versions.get(key)!.neu = sha256(Buffer.concat([p1, p2]));
    pending.push({
      key,
      uploadId: UploadId!,
      parts: [
        { PartNumber: 1, ETag: e1.ETag! },
        { PartNumber: 2, ETag: e2.ETag! },
      ],
    });
  }
  // One attempt per request: a retry must not reach the restarted server.
  const racer = new S3Client({ endpoint: fx.server.endpoint, region: REGION, credentials: fx.key, maxAttempts: 1 });
  // Each outcome is observed at once (acknowledged: the key), so a refused request is never an unhandled rejection.
  const ops: Promise<string | undefined>[] = [];
  let ackedBeforeKill = 0;
  const settle = (key: string, p: Promise<unknown>) =>
    ops.push(
      p.then(
        () => {
          ackedBeforeKill++;
          return key;
        },
        () => undefined,
      ),
    );
  const startedAt = Date.now();
  for (let i = 0; i < SINGLE; i++) {
    const key = `single/${i}`;
    const neu = randomBytes(randomInt(20_000, 6_000_000)); // some new versions are small enough to be inline
    versions.get(key)!.neu = sha256(neu);
    settle(key, racer.send(new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: neu })));
  }
  for (const p of pending) {
    settle(
      p.key,
      racer.send(
        new CompleteMultipartUploadCommand({
          Bucket: fx.bucket,
          Key: p.key,
          UploadId: p.uploadId,
          MultipartUpload: { Parts: p.parts },
        }),
      ),
    );
  }
  // The random kill point is what this test explores (not a wait for an event); it is logged for replay.
  await new Promise((r) => setTimeout(r, KILL_AFTER_MS));
  const killedAt = Date.now() - startedAt;
  const ackedAtKill = ackedBeforeKill;
  await fx.server.kill9();
  const ackedKeys = (await Promise.all(ops)).filter((k): k is string => k !== undefined);
  const acknowledged = ackedKeys.length;
  t.diagnostic(
    `kill -9 after ${killedAt} ms (planned ${KILL_AFTER_MS} ms; replay with SAILBUCKET_CRASH_KILL_MS=${KILL_AFTER_MS}); ` +
      `${ackedAtKill} acknowledged before the kill, ${acknowledged} in all: ${ackedKeys.join(' ')}`,
  );
  racer.destroy();
  await fx.server.restart();
  // A fresh client: the old one's kept-alive sockets died with the server.
  const after1 = fx.s3For(fx.key);

  let newCount = 0;
  for (const [key, v] of versions) {
    const got = await after1.send(new GetObjectCommand({ Bucket: fx.bucket, Key: key }));
    const h = sha256(await bodyBytes(got.Body));
    assert.ok(h === v.old || h === v.neu, `${key} is neither the old nor the new version (a torn write)`);
    if (h === v.neu) newCount++;
  }
  for (const key of ackedKeys) {
    const got = await after1.send(new GetObjectCommand({ Bucket: fx.bucket, Key: key }));
    assert.equal(
      sha256(await bodyBytes(got.Body)),
      versions.get(key)!.neu,
      `${key} was acknowledged before the kill (after ${killedAt} ms) but its new version (SHA-256) did not survive`,
    );
  }

  // Remove unfinished uploads, stop the server, and run the project's orphan sweep over its data
  // directory with no grace period (the server's own start-up sweep waits 10 minutes before it
  // touches a blob, so that an in-flight upload is never swept).
  const uploads = await after1.send(new ListMultipartUploadsCommand({ Bucket: fx.bucket }));
  for (const u of uploads.Uploads ?? []) {
    await after1.send(new AbortMultipartUploadCommand({ Bucket: fx.bucket, Key: u.Key, UploadId: u.UploadId }));
  }
  await fx.server.kill9();
  const report = await sweepNow(fx.server.dataDir);
  await fx.server.restart();
  const after2 = fx.s3For(fx.key);
  let expectedBlobs = 0;
  const listed = await after2.send(new ListObjectsV2Command({ Bucket: fx.bucket }));
  for (const o of listed.Contents ?? []) {
    const m = /-(\d+)"?$/.exec(o.ETag ?? '');
    // multipart: one blob per part; single part: a blob file unless small enough to be stored inline
    expectedBlobs += m ? Number(m[1]) : (o.Size ?? 0) > MAX_INLINE_BYTES ? 1 : 0;
  }
  const files = countBlobFiles(fx.server.dataDir);
  t.diagnostic(
    `acknowledged ${acknowledged}/${SINGLE + MULTI}, new versions ${newCount}, sweep ${JSON.stringify(report)}`,
  );
  assert.equal(
    files,
    expectedBlobs,
    `blob files on disk (${files}) = blobs the ${listed.KeyCount} objects reference (${expectedBlobs}); sweep: ${JSON.stringify(report)}`,
  );
  // The sweep removed orphans only: every object is still whole.
  for (const [key, v] of versions) {
    const got = await after2.send(new GetObjectCommand({ Bucket: fx.bucket, Key: key }));
    const h = sha256(await bodyBytes(got.Body));
    assert.ok(h === v.old || h === v.neu, `${key} lost data in the sweep`);
    if (ackedKeys.includes(key)) assert.equal(h, v.neu, `${key} (acknowledged) lost its new version in the sweep`);
  }
});

/** The project's BlobSweeper over a stopped server's data directory, grace 0. */
async function sweepNow(dataDir: string) {
  const store = new SqliteMetadataStore({ path: join(dataDir, 'metadata.db') });
  const blobs = new FsBlobStore({ root: join(dataDir, 'blobs') });
  try {
    return await new BlobSweeper({ store, blobs, clock: Date.now, graceMs: 0 }).sweep();
  } finally {
    await blobs.close();
    await store.close();
  }
}
