/**
 * rotate-bucket-access-key against a real server: the happy path (new key printed once, verified
 * with a signed S3 HeadBucket, old key deleted), a failure injected in the verification step (an
 * S3 endpoint nobody listens on, via --s3-endpoint-url) that keeps the old key, a bucket already
 * at two keys, and a key that is not the bucket's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueBucketName } from '../helpers/server.js';
import { useServerCli } from './serverCli.js';

const fx = useServerCli();

const keyIds = async (bucket: string): Promise<string[]> =>
  (await fx.cli.json([
    'get-bucket-access-keys',
    '--bucket-name',
    bucket,
    '--query',
    'accessKeys[].accessKeyId',
  ])) as unknown as string[];

test('rotation replaces the old key with a verified new one', async () => {
  const bucket = uniqueBucketName('rot');
  await fx.cli.json(['create-bucket', '--bucket-name', bucket, '--bundle-id', 'small_1_0']);
  const old = (await fx.cli.json(['create-bucket-access-key', '--bucket-name', bucket])).accessKey
    .accessKeyId as string;
  const r = await fx.cli.run(['rotate-bucket-access-key', '--bucket-name', bucket]);
  assert.equal(r.code, 0, r.stderr);
  const fresh = JSON.parse(r.stdout).accessKey;
  assert.match(fresh.accessKeyId, /^AKIA/);
  assert.equal(fresh.secretAccessKey.length, 40);
  assert.match(r.stderr, /Verified/);
  assert.match(r.stderr, new RegExp(`Deleted the old key ${old}`));
  assert.deepEqual(await keyIds(bucket), [fresh.accessKeyId]);
  // again, naming the key explicitly
  const again = await fx.cli.run([
    'rotate-bucket-access-key',
    '--bucket-name',
    bucket,
    '--access-key-id',
    fresh.accessKeyId,
  ]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(await keyIds(bucket), [JSON.parse(again.stdout).accessKey.accessKeyId]);
});

test('a failed verification keeps the old key and says why', async () => {
  const bucket = uniqueBucketName('rotfail');
  await fx.cli.json(['create-bucket', '--bucket-name', bucket, '--bundle-id', 'small_1_0']);
  const old = (await fx.cli.json(['create-bucket-access-key', '--bucket-name', bucket])).accessKey
    .accessKeyId as string;
  const r = await fx.cli.run([
    'rotate-bucket-access-key',
    '--bucket-name',
    bucket,
    '--s3-endpoint-url',
    'http://127.0.0.1:9',
  ]);
  assert.equal(r.code, 255);
  const fresh = JSON.parse(r.stdout).accessKey.accessKeyId as string;
  assert.match(
    r.stderr,
    new RegExp(`new key ${fresh} could not be verified.*127\\.0\\.0\\.1:9.*The old key ${old} was kept`, 's'),
  );
  assert.deepEqual((await keyIds(bucket)).sort(), [old, fresh].sort());
});

test('a bucket at its two-key limit, or a key of another bucket, is refused before anything changes', async () => {
  const bucket = uniqueBucketName('rotfull');
  await fx.cli.json(['create-bucket', '--bucket-name', bucket, '--bundle-id', 'small_1_0']);
  await fx.cli.json(['create-bucket-access-key', '--bucket-name', bucket]);
  await fx.cli.json(['create-bucket-access-key', '--bucket-name', bucket]);
  const before = await keyIds(bucket);
  const full = await fx.cli.run(['rotate-bucket-access-key', '--bucket-name', bucket]);
  assert.equal(full.code, 255);
  assert.match(
    full.stderr,
    /already has 2 access keys.*Delete the key you no longer use.*then rotate.*Nothing was changed/s,
  );
  // the exit code is the one the help page gives for this case
  const help = await fx.cli.run(['rotate-bucket-access-key', 'help']);
  assert.match(help.stdout, /255 the\s+bucket already has two keys/);
  const wrong = await fx.cli.run([
    'rotate-bucket-access-key',
    '--bucket-name',
    bucket,
    '--access-key-id',
    'AKIAAAAAAAAAAAAAAAAA',
  ]);
  assert.equal(wrong.code, 255);
  assert.match(wrong.stderr, /has no access key 'AKIAAAAAAAAAAAAAAAAA'/);
  assert.deepEqual(await keyIds(bucket), before);
  const usage = await fx.cli.run(['rotate-bucket-access-key']);
  assert.equal(usage.code, 252);
  assert.match(usage.stderr, /--bucket-name/);
});
