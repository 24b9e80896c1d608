/**
 * `sailbucket verify` (metadata vs blobs) with blobs corrupted, truncated, removed and added on
 * purpose, against a running server and with none; `sailbucket rotate-master-key` while the server
 * serves (bucket keys keep working throughout and after a restart), after a rotation cut short by a
 * crash (every secret readable, the next run finishes it), and refused for a key from the environment.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { bodyBytes, createBucketWithKey, REGION, startDataPlane, type DataPlaneFixture } from '../s3/clientsHarness.js';
import { startServer } from '../helpers/server.js';
import { SecretBox } from '../../src/crypto/secretBox.js';
import { blobFile } from '../../src/admin/blobFiles.js';
import { sailbucket } from './adminRun.js';

const tmp = mkdtempSync(join(tmpdir(), 'sb-verify-'));
let fx: DataPlaneFixture;
before(async () => {
  fx = await startDataPlane({ dataDir: join(tmp, 'data') });
});
after(async () => {
  await fx?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const blobOf = (dataDir: string, key: string): string => {
  const db = new Database(join(dataDir, 'metadata.db'), { readonly: true });
  try {
    const id = db
      .prepare<[Buffer], string>('SELECT blob_id FROM object_versions WHERE key = ? AND is_latest = 1')
      .pluck()
      .get(Buffer.from(key))!;
    return blobFile(join(dataDir, 'blobs'), id);
  } finally {
    db.close();
  }
};

test('verify finds corrupted, truncated, missing and orphaned blobs, with the server running and without', async () => {
  const dir = fx.server.dataDir;
  for (const [k, n] of [
    ['small', 10],
    ['flip', 200_000],
    ['short', 200_000],
    ['gone', 200_000],
    ['crc', 150_000],
  ] as const)
    await fx.s3.send(
      new PutObjectCommand({
        Bucket: fx.bucket,
        Key: k,
        Body: randomBytes(n),
        ...(k === 'crc' ? { ChecksumAlgorithm: 'CRC32C' as const } : {}),
      }),
    );
  const up = new Upload({
    client: fx.s3,
    params: { Bucket: fx.bucket, Key: 'multi', Body: randomBytes(6 * 1024 * 1024), ChecksumAlgorithm: 'CRC32' },
    partSize: 5 * 1024 * 1024,
  });
  await up.done();

  const clean = await sailbucket(['verify', '--data-dir', dir]);
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, /0 missing, 0 size mismatches, 0 checksum mismatches, 0 orphaned/);
  assert.match(clean.stdout, /verify: no problems found/);
  assert.match(clean.stderr, /verify: \d+ uses checked/);

  // corruption on purpose: one byte flipped (same size), one truncated, one removed, one CRC32C object flipped
  const flip = (path: string) => {
    const b = readFileSync(path);
    b[1000] ^= 0xff;
    writeFileSync(path, b);
  };
  flip(blobOf(dir, 'flip'));
  flip(blobOf(dir, 'crc'));
  truncateSync(blobOf(dir, 'short'), 100);
  unlinkSync(blobOf(dir, 'gone'));
  // an orphan older than the grace period, and a fresh one (maybe an upload in flight) that is no problem
  const orphan = blobFile(join(dir, 'blobs'), 'A'.repeat(32));
  mkdirSync(dirname(orphan), { recursive: true });
  writeFileSync(orphan, 'orphan');
  utimesSync(orphan, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
  const fresh = blobFile(join(dir, 'blobs'), 'B'.repeat(32));
  mkdirSync(dirname(fresh), { recursive: true });
  writeFileSync(fresh, 'fresh');

  const check = (r: { code: number | null; stdout: string; stderr: string }) => {
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, new RegExp(`checksum mismatch: ${fx.bucket}/flip \\(version null\\): blob \\S+ has MD5`));
    assert.match(r.stdout, new RegExp(`checksum mismatch: ${fx.bucket}/crc \\(version null\\): blob \\S+ has`));
    assert.match(
      r.stdout,
      new RegExp(
        `size mismatch: ${fx.bucket}/short \\(version null\\): blob \\S+ has 100 bytes, the metadata says 200000`,
      ),
    );
    assert.match(r.stdout, new RegExp(`missing blob: ${fx.bucket}/gone \\(version null\\)`));
    assert.match(r.stdout, new RegExp(`orphaned blob: ${'A'.repeat(32)}`));
    assert.doesNotMatch(r.stdout, /B{32}/);
    assert.match(r.stdout, /1 missing, 1 size mismatches, 2 checksum mismatches, 1 orphaned \(1 recent unreferenced/);
    assert.match(r.stdout, /verify: 5 problems found/);
  };
  check(await sailbucket(['verify', '--data-dir', dir]));
  // the running server is what did the work: its log says so
  assert.match(fx.server.stderr(), /admin task finished/);

  await fx.server.stop();
  check(await sailbucket(['verify', '--data-dir', dir]));
});

test('rotate-master-key while serving, after a crash half-way, and refused for an environment key', async () => {
  const dir = join(tmp, 'rotate');
  const server = await startServer({ dataDir: dir });
  const clients: S3Client[] = [];
  const s3 = (endpoint: string, creds: { accessKeyId: string; secretAccessKey: string }) => {
    const c = new S3Client({ endpoint, region: REGION, credentials: creds });
    clients.push(c);
    return c;
  };
  try {
    const a = await createBucketWithKey(server, 'rota');
    const b = await createBucketWithKey(server, 'rotb');
    await s3(server.endpoint, a.key).send(new PutObjectCommand({ Bucket: a.bucket, Key: 'x', Body: 'a-bytes' }));
    await s3(server.endpoint, b.key).send(new PutObjectCommand({ Bucket: b.bucket, Key: 'x', Body: 'b-bytes' }));
    const read = async (
      endpoint: string,
      f: { bucket: string; key: { accessKeyId: string; secretAccessKey: string } },
    ) =>
      (
        await bodyBytes((await s3(endpoint, f.key).send(new GetObjectCommand({ Bucket: f.bucket, Key: 'x' }))).Body)
      ).toString();

    const oldKey = readFileSync(join(dir, 'master.key'), 'utf8');
    // reads go on during the rotation
    let reading = true;
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        assert.equal(await read(server.endpoint, a), 'a-bytes');
        reads++;
      }
    })();
    const r = await sailbucket(['rotate-master-key', '--data-dir', dir]);
    reading = false;
    await reader;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /master key rotated: 2 bucket key secrets re-sealed/);
    assert.ok(reads > 0);
    const newKey = readFileSync(join(dir, 'master.key'), 'utf8');
    assert.notEqual(newKey, oldKey);
    assert.ok(!existsSync(join(dir, 'master.key.next')));
    // the stored secrets no longer open with the old key
    const db = new Database(join(dir, 'metadata.db'), { readonly: true });
    const rows = db
      .prepare<[], { access_key_id: string; sealed_secret: string }>(
        'SELECT access_key_id, sealed_secret FROM access_keys',
      )
      .all();
    db.close();
    const oldBox = new SecretBox(Buffer.from(oldKey.trim(), 'base64'));
    for (const row of rows) assert.throws(() => oldBox.open(row.sealed_secret, row.access_key_id));
    // keys made after the rotation, and the old ones, work now and after a restart
    const c = await createBucketWithKey(server, 'rotc');
    await s3(server.endpoint, c.key).send(new PutObjectCommand({ Bucket: c.bucket, Key: 'x', Body: 'c-bytes' }));
    await server.restart();
    assert.equal(await read(server.endpoint, a), 'a-bytes');
    assert.equal(await read(server.endpoint, c), 'c-bytes');

    // a crash half-way: master.key.next written, one secret re-sealed under it, the other not
    await server.kill9();
    const k1 = Buffer.from(newKey.trim(), 'base64');
    const k2 = randomBytes(32);
    writeFileSync(join(dir, 'master.key.next'), k2.toString('base64') + '\n', { mode: 0o600 });
    const rw = new Database(join(dir, 'metadata.db'));
    const row = rw
      .prepare<[string], { sealed_secret: string }>('SELECT sealed_secret FROM access_keys WHERE access_key_id = ?')
      .get(b.key.accessKeyId)!;
    const secret = new SecretBox(k1).open(row.sealed_secret, b.key.accessKeyId);
    rw.prepare('UPDATE access_keys SET sealed_secret = ? WHERE access_key_id = ?').run(
      new SecretBox(k2).seal(secret, b.key.accessKeyId),
      b.key.accessKeyId,
    );
    rw.close();
    await server.restart();
    assert.equal(await read(server.endpoint, a), 'a-bytes', 'a secret still under the old key opens');
    assert.equal(await read(server.endpoint, b), 'b-bytes', 'a secret already under the new key opens');
    await server.stop();
    // with no server running, the command takes the lock and finishes the rotation with the key left behind
    const finish = await sailbucket(['rotate-master-key', '--data-dir', dir]);
    assert.equal(finish.code, 0, finish.stderr);
    assert.match(finish.stderr, /finishing the rotation left in/);
    assert.equal(readFileSync(join(dir, 'master.key'), 'utf8').trim(), k2.toString('base64'));
    assert.ok(!existsSync(join(dir, 'master.key.next')));
    const again = await startServer({ dataDir: dir, accountId: server.accountId });
    try {
      for (const f of [a, b, c]) assert.match(await read(again.endpoint, f), /^[abc]-bytes$/);
    } finally {
      await again.stop();
    }

    const help = await sailbucket(['help', 'rotate-master-key']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: sailbucket rotate-master-key \[--data-dir DIR\]/);
    const env = await sailbucket(['rotate-master-key', '--data-dir', dir], {
      SAILBUCKET_MASTER_KEY: k2.toString('base64'),
    });
    assert.equal(env.code, 1);
    assert.match(env.stderr, /the master key comes from SAILBUCKET_MASTER_KEY/);
  } finally {
    for (const c of clients) c.destroy();
    await server.stop();
  }
});
