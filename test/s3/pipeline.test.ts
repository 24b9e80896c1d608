/**
 * The S3 pipeline in-process (real stores, SigV4, authorizer, handlers): authentication and
 * authorization outcomes, last-used recording, error documents, HEAD errors without bodies.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessS3, type InProcessS3 } from './support/inProcessS3.js';
import { sendAs, type Creds } from './support/s3Requests.js';

let s3: InProcessS3;
let key: Creds;
let otherKey: Creds;

before(async () => {
  s3 = await startInProcessS3({ fsync: false });
  await s3.createBucket('pipe-mine');
  await s3.createBucket('pipe-other');
  key = await s3.createKey('pipe-mine');
  otherKey = await s3.createKey('pipe-other');
});

after(async () => {
  await s3?.close();
});

test('a bucket key writes and reads its bucket; last use is recorded for successes only', async () => {
  s3.touched.length = 0;
  const put = await sendAs(
    s3.endpoint,
    { kind: 'header', creds: key },
    { method: 'PUT', path: '/pipe-mine/a%2Fb//c/', body: 'hello' },
  );
  assert.equal(put.status, 200, put.body);
  const list = await sendAs(
    s3.endpoint,
    { kind: 'header', creds: key },
    { method: 'GET', path: '/pipe-mine', query: { 'list-type': '2' } },
  );
  assert.equal(list.status, 200, list.body);
  assert.match(list.body, /<Key>a\/b\/\/c\/<\/Key>/);
  assert.match(list.body, /<LastModified>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/LastModified>/);
  const denied = await sendAs(
    s3.endpoint,
    { kind: 'header', creds: key },
    { method: 'GET', path: '/pipe-other', query: { 'list-type': '2' } },
  );
  assert.equal(`${denied.status} ${denied.code}`, '403 AccessDenied');
  assert.deepEqual(s3.touched, [key.accessKeyId, key.accessKeyId]);
});

test('root lists any bucket of its account; NoSuchBucket when missing', async () => {
  const r = await sendAs(s3.endpoint, { kind: 'header', creds: s3.root }, { method: 'GET', path: '/pipe-other' });
  assert.equal(r.status, 200, r.body);
  const missing = await sendAs(s3.endpoint, { kind: 'header', creds: s3.root }, { method: 'GET', path: '/pipe-none' });
  assert.equal(`${missing.status} ${missing.code}`, '404 NoSuchBucket');
  assert.match(missing.body, /<Resource>\/pipe-none<\/Resource>/);
});

test('HEAD errors have no body; GET errors have the XML document', async () => {
  const head = await sendAs(s3.endpoint, { kind: 'header', creds: otherKey }, { method: 'HEAD', path: '/pipe-mine' });
  assert.equal(head.status, 403);
  assert.equal(head.body, '');
  const get = await sendAs(s3.endpoint, { kind: 'header', creds: otherKey }, { method: 'GET', path: '/pipe-mine/x' });
  assert.equal(get.status, 403);
  assert.match(
    get.body,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>[^<]+<\/Message><Resource>\/pipe-mine\/x<\/Resource><RequestId>[0-9A-F]{16}<\/RequestId><\/Error>$/,
  );
});

test('unknown and deactivated keys are InvalidAccessKeyId; a deleted key stops at once', async () => {
  const unknown = await sendAs(
    s3.endpoint,
    { kind: 'header', creds: { accessKeyId: 'AKIA0000000000000000', secretAccessKey: key.secretAccessKey } },
    { method: 'GET', path: '/pipe-mine' },
  );
  assert.equal(`${unknown.status} ${unknown.code}`, '403 InvalidAccessKeyId');
  const second = await s3.createKey('pipe-mine');
  const ok = await sendAs(s3.endpoint, { kind: 'header', creds: second }, { method: 'GET', path: '/pipe-mine' });
  assert.equal(ok.status, 200);
  await s3.accessKeys.setStatus(
    { accountId: s3.accountId, region: 'us-east-1' },
    'pipe-mine',
    second.accessKeyId,
    'Inactive',
  );
  const inactive = await sendAs(s3.endpoint, { kind: 'header', creds: second }, { method: 'GET', path: '/pipe-mine' });
  assert.equal(`${inactive.status} ${inactive.code}`, '403 InvalidAccessKeyId');
  await s3.accessKeys.delete({ accountId: s3.accountId, region: 'us-east-1' }, 'pipe-mine', second.accessKeyId);
  const deleted = await sendAs(s3.endpoint, { kind: 'header', creds: second }, { method: 'GET', path: '/pipe-mine' });
  assert.equal(`${deleted.status} ${deleted.code}`, '403 InvalidAccessKeyId');
});

test('presigned GET works until it expires', async () => {
  const fresh = await sendAs(
    s3.endpoint,
    { kind: 'presign', creds: key, expiresIn: 60 },
    { method: 'GET', path: '/pipe-mine/a%2Fb//c/' },
  );
  assert.equal(fresh.status, 200, fresh.body);
  assert.equal(fresh.body, 'hello');
  const expired = await sendAs(
    s3.endpoint,
    { kind: 'presign', creds: key, expiresIn: 1, signingDate: new Date(Date.now() - 60_000) },
    { method: 'GET', path: '/pipe-mine/a%2Fb//c/' },
  );
  assert.equal(`${expired.status} ${expired.code}`, '403 AccessDenied');
  assert.match(expired.message ?? '', /expired/i);
});

test('a body that fails verification is refused and nothing is stored', async () => {
  const r = await sendAs(
    s3.endpoint,
    { kind: 'header', creds: key },
    {
      method: 'PUT',
      path: '/pipe-mine/bad-md5',
      body: 'data',
      headers: { 'content-md5': Buffer.alloc(16).toString('base64') },
    },
  );
  assert.equal(`${r.status} ${r.code}`, '400 BadDigest', r.body);
  const head = await sendAs(
    s3.endpoint,
    { kind: 'header', creds: key },
    { method: 'HEAD', path: '/pipe-mine/bad-md5' },
  );
  assert.equal(head.status, 404);
});
