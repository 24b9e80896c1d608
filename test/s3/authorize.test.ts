import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthorizer, authorizeSourceRead, type AuthorizeDeps } from '../../src/s3/authorize.js';
import { OPERATIONS } from '../../src/s3/operationTable.js';
import { createRouter } from '../../src/s3/router.js';
import { S3Error } from '../../src/s3/errors.js';
import type { Principal } from '../../src/domain/keys/principals.js';
import type { BucketRecord } from '../../src/domain/ports/records.js';

const bucket = (name: string, over: Partial<BucketRecord> = {}): BucketRecord => ({
  id: `id-${name}`,
  accountId: '111111111111',
  region: 'us-east-1',
  name,
  bundleId: 'small_1_0',
  createdAt: 0,
  objectVersioning: 'NeverEnabled',
  accessRules: { getObject: 'private', allowPublicOverrides: false },
  readonlyAccessAccounts: [],
  accessLogConfig: { enabled: false },
  cors: [],
  lifecycle: [],
  bundleChangedAt: null,
  tags: [],
  ...over,
});

function setup(buckets: BucketRecord[], publicKeys: string[] = []) {
  const lookups: string[] = [];
  const deps: AuthorizeDeps = {
    getBucket: async (name) => {
      lookups.push(name);
      return buckets.find((b) => b.name === name);
    },
    isObjectPublicRead: async (_b, key) => publicKeys.includes(key),
  };
  const authorize = createAuthorizer(deps);
  const route = createRouter({ baseDomains: ['localhost'] });
  const run = async (p: Principal, method: string, url: string): Promise<string> => {
    const e = route({ method, url, host: '127.0.0.1', hasCopySource: false });
    try {
      const b = await authorize(OPERATIONS[e.operation], p, e);
      return b ? `ok:${b.name}` : 'ok';
    } catch (err) {
      assert.ok(err instanceof S3Error, String(err));
      return err.code;
    }
  };
  return { deps, run, lookups };
}

const root: Principal = { kind: 'root', accountId: '111111111111', accessKeyId: 'ROOT' };
const otherRoot: Principal = { kind: 'root', accountId: '222222222222', accessKeyId: 'ROOT2' };
const key: Principal = {
  kind: 'bucketKey',
  accountId: '111111111111',
  accessKeyId: 'AKIAKEY',
  bucketId: 'id-mine',
  bucketName: 'mine',
};
const anon: Principal = { kind: 'anonymous' };

test('root may do everything on its buckets; NoSuchBucket when missing; other accounts denied', async () => {
  const { run } = setup([bucket('mine'), bucket('theirs', { accountId: '222222222222' })]);
  assert.equal(await run(root, 'GET', '/'), 'ok');
  assert.equal(await run(root, 'PUT', '/new'), 'ok');
  assert.equal(await run(root, 'DELETE', '/mine'), 'ok:mine');
  assert.equal(await run(root, 'PUT', '/mine?policy'), 'ok:mine');
  assert.equal(await run(root, 'PUT', '/mine/k'), 'ok:mine');
  assert.equal(await run(root, 'GET', '/missing/k'), 'NoSuchBucket');
  assert.equal(await run(root, 'GET', '/theirs/k'), 'AccessDenied');
  assert.equal(await run(otherRoot, 'DELETE', '/mine'), 'AccessDenied');
});

test('readonly accounts may list, get and head only', async () => {
  const { run } = setup([bucket('shared', { readonlyAccessAccounts: ['222222222222'] })]);
  assert.equal(await run(otherRoot, 'GET', '/shared?list-type=2'), 'ok:shared');
  assert.equal(await run(otherRoot, 'GET', '/shared/k'), 'ok:shared');
  assert.equal(await run(otherRoot, 'HEAD', '/shared/k'), 'ok:shared');
  assert.equal(await run(otherRoot, 'PUT', '/shared/k'), 'AccessDenied');
  assert.equal(await run(otherRoot, 'DELETE', '/shared'), 'AccessDenied');
});

test('a bucket key: its own bucket only, no configuration writes, no probing of other names', async () => {
  const { run, lookups } = setup([bucket('mine'), bucket('other')]);
  for (const [m, u] of [
    ['GET', '/mine/k'],
    ['PUT', '/mine/k'],
    ['DELETE', '/mine/k'],
    ['GET', '/mine?location'],
    ['GET', '/mine?versioning'],
    ['GET', '/mine?cors'],
    ['POST', '/mine?delete'],
    ['POST', '/mine/k?uploads'],
    ['GET', '/'],
  ]) {
    assert.match(await run(key, m, u), /^ok/, `${m} ${u}`);
  }
  for (const [m, u] of [
    ['DELETE', '/mine'],
    ['PUT', '/mine?versioning'],
    ['PUT', '/mine?cors'],
    ['PUT', '/mine?policy'],
    ['PUT', '/mine?acl'],
    ['GET', '/mine?policy'],
    ['PUT', '/newbucket'],
    ['PUT', '/mine/k?acl'],
  ]) {
    assert.equal(await run(key, m, u), 'AccessDenied', `${m} ${u}`);
  }
  lookups.length = 0;
  assert.equal(await run(key, 'GET', '/other/k'), 'AccessDenied');
  assert.equal(await run(key, 'GET', '/nonexistent/k'), 'AccessDenied');
  assert.equal(await run(key, 'HEAD', '/nonexistent'), 'AccessDenied');
  assert.deepEqual(lookups, [], 'other buckets are never looked up for a bucket key');
});

test('a bucket key may change object ACLs only where public overrides are allowed', async () => {
  const { run } = setup([bucket('mine', { accessRules: { getObject: 'private', allowPublicOverrides: true } })]);
  assert.equal(await run(key, 'PUT', '/mine/k?acl'), 'ok:mine');
});

test('a key whose bucket was re-created under the same name is denied', async () => {
  const { run } = setup([bucket('mine', { id: 'id-new' })]);
  assert.equal(await run(key, 'GET', '/mine/k'), 'AccessDenied');
});

test('anonymous: GET/HEAD of public objects only', async () => {
  const pub = setup(
    [
      bucket('pub', { accessRules: { getObject: 'public', allowPublicOverrides: false } }),
      bucket('ovr', { accessRules: { getObject: 'private', allowPublicOverrides: true } }),
      bucket('priv'),
    ],
    ['open'],
  );
  assert.equal(await pub.run(anon, 'GET', '/pub/any'), 'ok:pub');
  assert.equal(await pub.run(anon, 'HEAD', '/pub/any'), 'ok:pub');
  assert.equal(await pub.run(anon, 'PUT', '/pub/any'), 'AccessDenied');
  assert.equal(await pub.run(anon, 'GET', '/pub?list-type=2'), 'AccessDenied');
  assert.equal(await pub.run(anon, 'GET', '/pub/any?tagging'), 'AccessDenied');
  assert.equal(await pub.run(anon, 'GET', '/ovr/open'), 'ok:ovr');
  assert.equal(await pub.run(anon, 'GET', '/ovr/closed'), 'AccessDenied');
  assert.equal(await pub.run(anon, 'GET', '/priv/open'), 'AccessDenied');
  assert.equal(await pub.run(anon, 'GET', '/missing/k'), 'AccessDenied');
  assert.equal(await pub.run(anon, 'GET', '/'), 'AccessDenied');
});

test('every operation declares an access class', () => {
  for (const [op, spec] of Object.entries(OPERATIONS)) {
    assert.ok(
      [
        'listBuckets',
        'createBucket',
        'rootOnly',
        'bucketRead',
        'bucketWrite',
        'objectRead',
        'objectWrite',
        'objectAclWrite',
        'corsPreflight',
        'postForm',
      ].includes(spec.access),
      op,
    );
  }
});

test('copy sources: a key may read only its own bucket', async () => {
  const { deps } = setup([bucket('mine'), bucket('other')]);
  assert.equal((await authorizeSourceRead(deps, key, 'mine')).name, 'mine');
  await assert.rejects(authorizeSourceRead(deps, key, 'other'), (e: S3Error) => e.code === 'AccessDenied');
  await assert.rejects(authorizeSourceRead(deps, root, 'missing'), (e: S3Error) => e.code === 'NoSuchBucket');
  await assert.rejects(authorizeSourceRead(deps, anon, 'mine'), (e: S3Error) => e.code === 'AccessDenied');
});

test('x-amz-expected-bucket-owner: a mismatch is AccessDenied, a match passes', async () => {
  const { deps } = setup([bucket('mine')]);
  const authorize = createAuthorizer(deps);
  const e = createRouter({ baseDomains: [] })({ method: 'GET', url: '/mine/k', host: 'h', hasCopySource: false });
  assert.equal((await authorize(OPERATIONS.GetObject, root, e, '111111111111'))?.name, 'mine');
  await assert.rejects(
    authorize(OPERATIONS.GetObject, root, e, '999999999999'),
    (err: S3Error) => err.code === 'AccessDenied',
  );
});
