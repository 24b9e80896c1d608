/**
 * kill -9 during concurrent uploads and multipart completes: after a restart every object is the
 * old or the new version, whole (hashes compared), and once unfinished uploads are aborted and the
 * start-up sweep has run, no orphan blob file remains.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import {
  S3Client, PutObjectCommand, GetObjectCommand, CreateMultipartUploadCommand, UploadPartCommand,
  CompleteMultipartUploadCommand, ListMultipartUploadsCommand, AbortMultipartUploadCommand, ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { startDataPlane, bodyBytes, REGION, type DataPlaneFixture } from './clientsHarness.js';
import { countBlobFiles } from './rawBlobFiles.js';

let fx: DataPlaneFixture;
// The sweep must not wait for its usual grace period in this test.
before(async () => { fx = await startDataPlane({ env: { SAILBUCKET_SWEEP_GRACE_MS: '0' } }); });
after(async () => { await fx?.close(); });

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const SINGLE = 16;
const MULTI = 4;

test(`kill -9 during ${SINGLE} uploads and ${MULTI} multipart completes leaves only whole old or new versions and no orphan blobs`, async () => {
  const s3 = fx.s3;
  const versions = new Map<string, { old: string; neu: string }>();
  // Old versions.
  for (let i = 0; i < SINGLE + MULTI; i++) {
    const key = i < SINGLE ? `single/${i}` : `multi/${i}`;
    const old = randomBytes(100_000 + i);
    await s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: old }));
    versions.set(key, { old: md5(old), neu: '' });
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
    versions.get(key)!.neu = md5(Buffer.concat([p1, p2]));
    pending.push({ key, uploadId: UploadId!, parts: [{ PartNumber: 1, ETag: e1.ETag! }, { PartNumber: 2, ETag: e2.ETag! }] });
  }
  // One attempt per request: a retry must not reach the restarted server.
  const racer = new S3Client({ endpoint: fx.server.endpoint, region: REGION, credentials: fx.key, maxAttempts: 1 });
  const ops: Promise<unknown>[] = [];
  for (let i = 0; i < SINGLE; i++) {
    const key = `single/${i}`;
    const neu = randomBytes(randomInt(500_000, 3_000_000));
    versions.get(key)!.neu = md5(neu);
    ops.push(racer.send(new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: neu })));
  }
  for (const p of pending) {
    ops.push(racer.send(new CompleteMultipartUploadCommand({ Bucket: fx.bucket, Key: p.key, UploadId: p.uploadId, MultipartUpload: { Parts: p.parts } })));
  }
  await new Promise((r) => setTimeout(r, randomInt(20, 400)));
  await fx.server.kill9();
  const settled = await Promise.allSettled(ops);
  racer.destroy();
  await fx.server.restart();

  let newCount = 0;
  for (const [key, v] of versions) {
    const got = await s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: key }));
    const h = md5(await bodyBytes(got.Body));
    assert.ok(h === v.old || h === v.neu, `${key} is neither the old nor the new version (a torn write)`);
    if (h === v.neu) newCount++;
  }
  const acknowledged = settled.filter((s) => s.status === 'fulfilled').length;
  assert.ok(newCount >= acknowledged, `${acknowledged} writes were acknowledged but only ${newCount} new versions survived`);

  // Remove unfinished uploads, then restart so the start-up sweep runs, and count blob files.
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: fx.bucket }));
  for (const u of uploads.Uploads ?? []) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: fx.bucket, Key: u.Key, UploadId: u.UploadId }));
  }
  await fx.server.restart();
  let expectedBlobs = 0;
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: fx.bucket }));
  for (const o of listed.Contents ?? []) {
    const m = /-(\d+)"?$/.exec(o.ETag ?? '');
    expectedBlobs += m ? Number(m[1]) : 1;
  }
  const deadline = Date.now() + 10_000;
  let files = countBlobFiles(fx.server.dataDir);
  while (files !== expectedBlobs && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    files = countBlobFiles(fx.server.dataDir);
  }
  assert.equal(files, expectedBlobs, `blob files on disk (${files}) = blobs the ${listed.KeyCount} objects reference (${expectedBlobs})`);
});
