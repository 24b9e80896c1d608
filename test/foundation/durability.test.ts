/**
 * `--durability relaxed` really skips fsync, and still leaves no torn object after a process kill:
 * the server's threads are traced with strace (fsync and fdatasync system calls) while a client
 * (@aws-sdk/client-s3) writes small (inline) and large (blob file) objects, in both modes; then a
 * relaxed server is killed with SIGKILL in the middle of a stream of writes and, restarted, every
 * acknowledged object is there and every object it lists reads back exactly as written.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startServer, type TestServer } from '../helpers/server.js';
import { createBucketWithKey, REGION } from '../s3/clientsHarness.js';

const STRACE = '/usr/bin/strace';
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tracerOf = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^TracerPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
};

/** fsync + fdatasync calls made by the server's threads while `work` runs. */
async function syncCallsDuring(server: TestServer, work: () => Promise<void>): Promise<number> {
  assert.equal(
    spawnSync(STRACE, ['-V']).status,
    0,
    `strace is needed at ${STRACE} (apt-get install strace, as .ci/run does)`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'sailbucket-strace-'));
  dirs.push(dir);
  const out = join(dir, 'trace');
  const pid = server.pid()!;
  const tracer = spawn(STRACE, ['-f', '-qq', '-e', 'trace=fsync,fdatasync', '-o', out, '-p', String(pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  tracer.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const deadline = Date.now() + 10_000;
  while (tracerOf(pid) === 0) {
    assert.ok(Date.now() < deadline, `strace did not attach to the server in 10 s: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300)); // every thread attached
  try {
    await work();
    await new Promise((r) => setTimeout(r, 500)); // group commits and directory syncs after the answers
  } finally {
    tracer.kill('SIGINT');
    await new Promise((r) => tracer.once('exit', r));
  }
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => /\b(fsync|fdatasync)\(/.test(l)).length;
}

async function writeSome(server: TestServer): Promise<void> {
  const { bucket, key } = await createBucketWithKey(server, 'dur');
  const s3 = new S3Client({ endpoint: server.endpoint, region: REGION, credentials: key });
  try {
    for (let i = 0; i < 4; i++) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `small/${i}`, Body: randomBytes(1000) }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `large/${i}`, Body: randomBytes(300_000) }));
    }
  } finally {
    s3.destroy();
  }
}

test('durable (default) fsyncs every write; --durability relaxed never does, and says so in its banner', async () => {
  const durable = await startServer();
  const relaxed = await startServer({ args: ['--durability', 'relaxed'] });
  try {
    assert.doesNotMatch(durable.stdout(), /durability/);
    assert.match(relaxed.stdout(), /durability: +relaxed — writes are acknowledged before they reach the disk/);
    assert.match(relaxed.stdout().split('\n')[0], /^sailbucket listening on http:\/\/127\.0\.0\.1:\d+$/);
    const durableCalls = await syncCallsDuring(durable, () => writeSome(durable));
    const relaxedCalls = await syncCallsDuring(relaxed, () => writeSome(relaxed));
    assert.ok(durableCalls >= 8, `durable: ${durableCalls} fsync/fdatasync calls for 8 writes`);
    assert.equal(relaxedCalls, 0, 'relaxed: no fsync or fdatasync at all');
  } finally {
    await durable.stop();
    await relaxed.stop();
  }
});

test('--durability relaxed: a SIGKILL mid-stream leaves every acknowledged object and no torn one', async () => {
  const server = await startServer({ args: ['--durability', 'relaxed'] });
  try {
    const { bucket, key } = await createBucketWithKey(server, 'kill');
    const sent = new Map<string, Buffer>();
    const acknowledged = new Set<string>();
    const s3 = new S3Client({ endpoint: server.endpoint, region: REGION, credentials: key, maxAttempts: 1 });
    let stop = false;
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; i < 200 && !stop; i++) {
        const k = `w${w}/${i}`;
        const body = randomBytes(i % 2 === 0 ? 2_000 : 200_000);
        sent.set(k, body);
        try {
          await s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: body }));
          acknowledged.add(k);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    while (acknowledged.size < 40) await new Promise((r) => setTimeout(r, 20));
    await server.kill9();
    stop = true;
    await Promise.all(writers);
    s3.destroy();
    assert.ok(acknowledged.size >= 40);

    await server.restart();
    const after = new S3Client({ endpoint: server.endpoint, region: REGION, credentials: key });
    try {
      const listed: string[] = [];
      let token: string | undefined;
      do {
        const page = await after.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        listed.push(...(page.Contents ?? []).map((o) => o.Key!));
        token = page.NextContinuationToken;
      } while (token);
      for (const k of acknowledged) assert.ok(listed.includes(k), `acknowledged ${k} is there after the kill`);
      for (const k of listed) {
        const got = await after.send(new GetObjectCommand({ Bucket: bucket, Key: k }));
        const bytes = Buffer.from(await got.Body!.transformToByteArray());
        assert.ok(sent.get(k)?.equals(bytes), `${k} reads back exactly as written (${bytes.length} bytes)`);
      }
    } finally {
      after.destroy();
    }
  } finally {
    await server.stop();
  }
});
