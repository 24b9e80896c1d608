/**
 * Online backup: `sailbucket backup` against a running server while a stream of writes (new objects,
 * overwrites, deletes, small inline bodies and blob-backed ones) goes on; then the backup directory is
 * served by a second server with the same bucket key, and every object its listing shows is read back
 * and compared byte for byte (by SHA-256) with what was written under that ETag. Also: a backup with no
 * server running takes the lock itself, and a target that is not empty is refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { bodyBytes, REGION, startDataPlane, type DataPlaneFixture } from '../s3/clientsHarness.js';
import { startServer } from '../helpers/server.js';
import { sailbucket } from './adminRun.js';

let fx: DataPlaneFixture;
const tmp = mkdtempSync(join(tmpdir(), 'sb-backup-'));
before(async () => {
  fx = await startDataPlane();
});
after(async () => {
  await fx?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('backup of a running server during a stream of writes serves every listed object byte for byte', async () => {
  const s3 = fx.s3;
  /** ETag → SHA-256 of every body ever written (an ETag is the MD5 of its body, or of its parts). */
  const written = new Map<string, string>();
  const put = async (key: string, body: Buffer) => {
    const r = await s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: body }));
    written.set(r.ETag!, sha(body));
  };
  const body = () => randomBytes(randomInt(2) === 0 ? randomInt(1, 60_000) : randomInt(70_000, 400_000));
  for (let i = 0; i < 60; i++) await put(`k/${i}`, body());
  // a multipart object (segments of part blobs)
  const big = randomBytes(11 * 1024 * 1024);
  const up = new Upload({
    client: s3,
    params: { Bucket: fx.bucket, Key: 'multi/big', Body: big },
    partSize: 5 * 1024 * 1024,
  });
  const done = await up.done();
  written.set(done.ETag!, sha(big));

  let writing = true;
  let writes = 0;
  const writer = (async () => {
    while (writing) {
      const key = `k/${randomInt(80)}`;
      if (randomInt(5) === 0) await s3.send(new DeleteObjectCommand({ Bucket: fx.bucket, Key: key }));
      else await put(key, body());
      writes++;
    }
  })();
  const to = join(tmp, 'online');
  let r;
  try {
    r = await sailbucket(['backup', '--data-dir', fx.server.dataDir, '--to', to]);
  } finally {
    writing = false;
    await writer;
  }
  assert.equal(r.code, 0, r.stderr);
  assert.ok(writes > 0, 'writes went on during the backup');
  assert.match(r.stderr, /backup: metadata snapshot done/);
  assert.match(r.stderr, /backup: \d+\/\d+ blobs/);
  assert.match(r.stdout, new RegExp(`backup of .* written to ${to}: metadata snapshot .*master\\.key`));
  assert.ok(!existsSync(join(to, 'lock')) && !existsSync(join(to, 'admin.sock')), 'no lock or socket copied');
  assert.deepEqual(readFileSync(join(to, 'master.key')), readFileSync(join(fx.server.dataDir, 'master.key')));

  // the backup is itself a consistent data directory
  const v = await sailbucket(['verify', '--data-dir', to]);
  assert.equal(v.code, 0, v.stdout + v.stderr);

  const copy = await startServer({ dataDir: to, accountId: fx.server.accountId });
  const s3b = new S3Client({ endpoint: copy.endpoint, region: REGION, credentials: fx.key });
  try {
    let listed = 0;
    let token: string | undefined;
    do {
      const page = await s3b.send(new ListObjectsV2Command({ Bucket: fx.bucket, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        const got = await bodyBytes((await s3b.send(new GetObjectCommand({ Bucket: fx.bucket, Key: o.Key! }))).Body);
        assert.equal(got.length, o.Size, `${o.Key}: size`);
        assert.equal(sha(got), written.get(o.ETag!), `${o.Key}: bytes of ETag ${o.ETag}`);
        listed++;
      }
      token = page.NextContinuationToken;
    } while (token);
    assert.ok(listed >= 40, `the backup lists the objects (${listed})`);
  } finally {
    s3b.destroy();
    await copy.stop();
  }
});

test('backup with no server running takes the lock itself; a non-empty target is refused', async () => {
  const to = join(tmp, 'offline');
  const busy = join(tmp, 'busy');
  mkdirSync(busy);
  writeFileSync(join(busy, 'x'), 'x');
  const refused = await sailbucket(['backup', '--data-dir', fx.server.dataDir, '--to', busy]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /the backup directory '.*busy' is not empty/);
  const usage = await sailbucket(['backup', '--data-dir', fx.server.dataDir]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--to BACKUP_DIR is required/);

  const dir = join(tmp, 'stopped');
  const f2 = await startDataPlane({ dataDir: dir });
  await f2.s3.send(new PutObjectCommand({ Bucket: f2.bucket, Key: 'a', Body: randomBytes(100_000) }));
  await f2.close();
  const r = await sailbucket(['backup', '--data-dir', dir, '--to', to]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(to, 'metadata.db')));
  assert.ok(!existsSync(join(to, 'metadata.db-wal')), 'the copy is closed cleanly');
  const v = await sailbucket(['verify', '--data-dir', to]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
});
