/** The data plane with the AWS CLI (v1 on this machine) at default settings. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDataPlane, type DataPlaneFixture } from './clientsHarness.js';
import { awsEnv, runProcess } from './clientsProcess.js';

let fx: DataPlaneFixture;
let dir: string;
let env: Record<string, string>;
before(async () => {
  fx = await startDataPlane();
  dir = mkdtempSync(join(tmpdir(), 'sailbucket-cli-'));
  env = awsEnv(fx.key, dir);
});
after(async () => {
  await fx?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const md5File = (p: string) => createHash('md5').update(readFileSync(p)).digest('hex');

async function aws(...args: string[]) {
  const r = await runProcess('aws', [...args, '--endpoint-url', fx.server.endpoint, '--region', 'us-east-1'], {
    env,
    timeoutMs: 180_000,
  });
  return r;
}
async function awsOk(...args: string[]): Promise<string> {
  const r = await aws(...args);
  assert.equal(r.code, 0, `aws ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

test('aws s3 cp: a 20 MiB file goes multipart and comes back byte-identical', async () => {
  const src = join(dir, 'big.bin');
  writeFileSync(src, randomBytes(20 * 1024 * 1024));
  await awsOk('s3', 'cp', src, `s3://${fx.bucket}/cli/big.bin`);
  const head = JSON.parse(await awsOk('s3api', 'head-object', '--bucket', fx.bucket, '--key', 'cli/big.bin'));
  assert.equal(head.ContentLength, 20 * 1024 * 1024);
  assert.match(head.ETag, /^"[0-9a-f]{32}-\d+"$/, 'a multipart ETag: the CLI used multipart upload');
  const back = join(dir, 'big.back');
  await awsOk('s3', 'cp', `s3://${fx.bucket}/cli/big.bin`, back);
  assert.equal(md5File(back), md5File(src));
});

test('aws s3 sync up and down, and aws s3 presign then fetch', async () => {
  const up = join(dir, 'tree');
  mkdirSync(join(up, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(up, 'a.txt'), 'alpha');
  writeFileSync(join(up, 'sub', 'b with space.txt'), 'beta');
  writeFileSync(join(up, 'sub', 'deeper', 'c+plus.txt'), randomBytes(1000));
  await awsOk('s3', 'sync', up, `s3://${fx.bucket}/tree`);
  const down = join(dir, 'down');
  await awsOk('s3', 'sync', `s3://${fx.bucket}/tree`, down);
  for (const rel of ['a.txt', join('sub', 'b with space.txt'), join('sub', 'deeper', 'c+plus.txt')]) {
    assert.equal(md5File(join(down, rel)), md5File(join(up, rel)), rel);
  }
  const again = await awsOk('s3', 'sync', up, `s3://${fx.bucket}/tree`);
  assert.equal(again.trim(), '', 'a second sync uploads nothing');
  assert.deepEqual(readdirSync(join(down, 'sub')).sort(), ['b with space.txt', 'deeper']);
  // AWS CLI v1 presigns with Signature Version 2 unless told otherwise; SigV2 is refused clearly.
  const v2url = (
    await awsOk('s3', 'presign', `s3://${fx.bucket}/tree/sub/b with space.txt`, '--expires-in', '300')
  ).trim();
  const v2 = await fetch(v2url);
  assert.equal(v2.status, 400);
  assert.match(await v2.text(), /<Code>InvalidRequest<\/Code>.*Signature Version 2/s);
  const config = join(dir, 'config-s3v4');
  writeFileSync(config, '[default]\ns3 =\n    signature_version = s3v4\n');
  const r = await runProcess(
    'aws',
    [
      's3',
      'presign',
      `s3://${fx.bucket}/tree/sub/b with space.txt`,
      '--expires-in',
      '300',
      '--endpoint-url',
      fx.server.endpoint,
      '--region',
      'us-east-1',
    ],
    { env: { ...env, AWS_CONFIG_FILE: config } },
  );
  assert.equal(r.code, 0, r.stderr);
  const url = r.stdout.trim();
  assert.match(url, /X-Amz-Algorithm=AWS4-HMAC-SHA256/);
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'beta');
});

test('aws s3api put-object, head-object, list-objects-v2, delete-objects', async () => {
  const file = join(dir, 'one.txt');
  writeFileSync(file, 'one');
  const put = JSON.parse(
    await awsOk(
      's3api',
      'put-object',
      '--bucket',
      fx.bucket,
      '--key',
      'api/one.txt',
      '--body',
      file,
      '--content-type',
      'text/plain',
      '--metadata',
      'k=v',
    ),
  );
  assert.equal(put.ETag, `"${createHash('md5').update('one').digest('hex')}"`);
  const head = JSON.parse(await awsOk('s3api', 'head-object', '--bucket', fx.bucket, '--key', 'api/one.txt'));
  assert.equal(head.ContentType, 'text/plain');
  assert.deepEqual(head.Metadata, { k: 'v' });
  await awsOk('s3api', 'put-object', '--bucket', fx.bucket, '--key', 'api/two.txt', '--body', file);
  const list = JSON.parse(await awsOk('s3api', 'list-objects-v2', '--bucket', fx.bucket, '--prefix', 'api/'));
  assert.deepEqual(
    list.Contents.map((c: { Key: string }) => c.Key),
    ['api/one.txt', 'api/two.txt'],
  );
  const del = JSON.parse(
    await awsOk(
      's3api',
      'delete-objects',
      '--bucket',
      fx.bucket,
      '--delete',
      JSON.stringify({ Objects: [{ Key: 'api/one.txt' }, { Key: 'api/two.txt' }] }),
    ),
  );
  assert.equal(del.Deleted.length, 2);
  const missing = await aws('s3api', 'head-object', '--bucket', fx.bucket, '--key', 'api/one.txt');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /404|Not Found/);
});
