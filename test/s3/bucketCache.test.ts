/**
 * The S3 plane reads bucket records from BucketService's short-lived cache; a change made through
 * the control plane or S3 must be seen by the very next S3 request, with the record already cached.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteBucketCommand, UpdateBucketCommand } from '@aws-sdk/client-lightsail';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { accountsFor, type Accounts } from './support/accounts.js';
import { sendAs, type Auth } from './support/s3Requests.js';

let server: TestServer;
let accounts: Accounts;
let asRoot: Auth;
const anon: Auth = { kind: 'anonymous' };

before(async () => {
  server = await startServer();
  accounts = accountsFor(server.endpoint, server.credentials);
  asRoot = { kind: 'header', creds: server.credentials };
});

after(async () => {
  accounts?.close();
  await server?.stop();
});

test('access rules changed through the control plane apply to the next anonymous read at once', async () => {
  const bucket = uniqueBucketName('cache-rules');
  await accounts.createBucket(bucket);
  const key = await accounts.createKey(bucket);
  const put = await sendAs(
    server.endpoint,
    { kind: 'header', creds: key },
    { method: 'PUT', path: `/${bucket}/doc.txt`, body: 'hello' },
  );
  assert.equal(put.status, 200, put.body);
  for (let round = 0; round < 3; round++) {
    // Cached as private (two reads in a row), then opened and read at once.
    for (let i = 0; i < 2; i++) {
      const closed = await sendAs(server.endpoint, anon, { method: 'GET', path: `/${bucket}/doc.txt` });
      assert.equal(`${closed.status} ${closed.code}`, '403 AccessDenied', `round ${round}: private`);
    }
    await accounts.lightsail.send(
      new UpdateBucketCommand({
        bucketName: bucket,
        accessRules: { getObject: 'public', allowPublicOverrides: false },
      }),
    );
    const open = await sendAs(server.endpoint, anon, { method: 'GET', path: `/${bucket}/doc.txt` });
    assert.equal(open.status, 200, `round ${round}: public at once (${open.body})`);
    assert.equal(open.body, 'hello');
    await accounts.lightsail.send(
      new UpdateBucketCommand({
        bucketName: bucket,
        accessRules: { getObject: 'private', allowPublicOverrides: false },
      }),
    );
  }
});

test('versioning enabled through S3 gives the next PutObject a version id', async () => {
  const bucket = uniqueBucketName('cache-versioning');
  await accounts.createBucket(bucket);
  const first = await sendAs(server.endpoint, asRoot, { method: 'PUT', path: `/${bucket}/v.txt`, body: 'one' });
  assert.equal(first.status, 200, first.body);
  assert.equal(first.headers['x-amz-version-id'], undefined, 'unversioned bucket');
  const body =
    '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>';
  const enable = await sendAs(server.endpoint, asRoot, {
    method: 'PUT',
    path: `/${bucket}`,
    query: { versioning: '' },
    body,
  });
  assert.equal(enable.status, 200, enable.body);
  const second = await sendAs(server.endpoint, asRoot, { method: 'PUT', path: `/${bucket}/v.txt`, body: 'two' });
  assert.equal(second.status, 200, second.body);
  assert.match(String(second.headers['x-amz-version-id']), /^.{8,}$/, 'a version id right after enabling');
  assert.notEqual(second.headers['x-amz-version-id'], 'null');
});

test('a bucket deleted through the control plane is gone for the next S3 request', async () => {
  const bucket = uniqueBucketName('cache-delete');
  await accounts.createBucket(bucket);
  const listed = await sendAs(server.endpoint, asRoot, {
    method: 'GET',
    path: `/${bucket}`,
    query: { 'list-type': '2' },
  });
  assert.equal(listed.status, 200, listed.body);
  await accounts.lightsail.send(new DeleteBucketCommand({ bucketName: bucket }));
  const gone = await sendAs(server.endpoint, asRoot, {
    method: 'GET',
    path: `/${bucket}`,
    query: { 'list-type': '2' },
  });
  assert.equal(`${gone.status} ${gone.code}`, '404 NoSuchBucket', gone.body);
});
