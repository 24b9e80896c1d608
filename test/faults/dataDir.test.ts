import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { BIN, REPO_ROOT, startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';

const cleanEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('SAILBUCKET_')) delete env[k];
  return env;
};

const s3For = (server: TestServer): S3Client =>
  new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
    forcePathStyle: true,
  });

/** Every path under dir (dir included). */
function walk(dir: string, out: string[] = [dir]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out.push(p);
    if (lstatSync(p).isDirectory()) walk(p, out);
  }
  return out;
}

test('a second server on the same data directory exits 1 naming the directory and the PID; the first one keeps its upload; after kill -9 a new server starts', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-lock-'));
  const first = await startServer({ dataDir });
  try {
    const s3 = s3For(first);
    const bucket = uniqueBucketName('lock');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));

    // An upload in flight: headers and half the body sent, the rest after the second server gave up.
    const u = new URL(first.endpoint);
    const body = Buffer.alloc(64 * 1024, 7);
    const signer = new SignatureV4({
      service: 's3',
      region: first.region,
      credentials: first.credentials,
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: 'PUT',
      protocol: 'http:',
      hostname: u.hostname,
      port: Number(u.port),
      path: `/${bucket}/in-flight`,
      headers: {
        host: u.host,
        'content-length': String(body.length),
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      },
    });
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(
        { host: u.hostname, port: u.port, method: 'PUT', path: `/${bucket}/in-flight`, headers: signed.headers },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, body.length / 2), () => {
        const second = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
          cwd: REPO_ROOT,
          env: cleanEnv(),
          encoding: 'utf8',
          timeout: 20_000,
        });
        try {
          assert.equal(second.status, 1, second.stderr);
          assert.equal(second.stdout, '');
          assert.ok(second.stderr.includes(`data directory '${dataDir}'`), second.stderr);
          assert.match(second.stderr, /in use by another sailbucket server \(PID \d+\)/);
          assert.doesNotMatch(second.stderr, /\n\s+at /);
        } catch (err) {
          req.destroy();
          reject(err);
          return;
        }
        req.end(body.subarray(body.length / 2));
      });
    });
    assert.equal(await answered, 200);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'in-flight' }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);

    await first.kill9();
    const third = await startServer({ dataDir, accountId: first.accountId, region: first.region });
    try {
      const got2 = await s3For(third).send(new GetObjectCommand({ Bucket: bucket, Key: 'in-flight' }));
      assert.equal((await got2.Body!.transformToByteArray()).length, body.length);
    } finally {
      await third.stop();
    }
  } finally {
    await first.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a failed start (address in use) on a fresh data directory writes no credentials and no master key', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'sb-nocreds-')), 'data');
  const blocker = await startServer();
  try {
    const port = new URL(blocker.endpoint).port;
    const r = spawnSync(process.execPath, [BIN, 'serve', '--port', port, '--data-dir', dataDir], {
      cwd: REPO_ROOT,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /already in use/);
    for (const f of ['credentials', 'master.key', 'account.json'])
      assert.equal(existsSync(join(dataDir, f)), false, `${f} written by a start that could not listen`);
  } finally {
    await blocker.stop();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  }
});

test('a pre-created 0755 data directory is tightened to 0700 and nothing under it is group/world accessible', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'sb-perm-'));
  const dataDir = join(parent, 'data');
  mkdirSync(dataDir);
  chmodSync(dataDir, 0o755);
  const server = await startServer({ dataDir, env: {} });
  try {
    const s3 = s3For(server);
    const bucket = uniqueBucketName('perm');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.txt', Body: 'secret' }));
    const open = walk(dataDir).filter((p) => (lstatSync(p).mode & 0o077) !== 0);
    assert.deepEqual(
      open.map((p) => `${p} ${(lstatSync(p).mode & 0o777).toString(8)}`),
      [],
      'group/world accessible paths',
    );
    assert.equal(lstatSync(dataDir).mode & 0o777, 0o700);
  } finally {
    await server.stop();
    rmSync(parent, { recursive: true, force: true });
  }
});
