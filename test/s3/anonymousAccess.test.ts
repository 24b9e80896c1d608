/**
 * Anonymous access driven by the bucket's access rules (set through the control plane):
 * `getObject: public` opens GET/HEAD of every object; `private` + `allowPublicOverrides` opens
 * only objects whose ACL is public-read; nothing else is ever open to anonymous callers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { UpdateBucketCommand } from '@aws-sdk/client-lightsail';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { accountsFor, type Accounts } from './support/accounts.js';
import { sendAs, type Auth, type Creds } from './support/s3Requests.js';

let server: TestServer;
let accounts: Accounts;
let bucket: string;
let key: Creds;
const anon: Auth = { kind: 'anonymous' };
let asKey: Auth;
let asRoot: Auth;

before(async () => {
  server = await startServer();
  accounts = accountsFor(server.endpoint, server.credentials);
  bucket = uniqueBucketName('anon');
  await accounts.createBucket(bucket);
  key = await accounts.createKey(bucket);
  asKey = { kind: 'header', creds: key };
  asRoot = { kind: 'header', creds: server.credentials };
  for (const k of ['open.txt', 'closed.txt']) {
    const r = await sendAs(server.endpoint, asKey, { method: 'PUT', path: `/${bucket}/${k}`, body: `body of ${k}` });
    assert.equal(r.status, 200, r.body);
  }
});

after(async () => {
  accounts?.close();
  await server?.stop();
});

const rules = (getObject: 'public' | 'private', allowPublicOverrides: boolean) =>
  accounts.lightsail.send(
    new UpdateBucketCommand({ bucketName: bucket, accessRules: { getObject, allowPublicOverrides } }),
  );

test('private bucket: anonymous callers get AccessDenied for everything', async () => {
  for (const [method, path] of [
    ['GET', `/${bucket}/open.txt`],
    ['GET', `/${bucket}`],
    ['PUT', `/${bucket}/new`],
    ['DELETE', `/${bucket}/open.txt`],
  ] as const) {
    const r = await sendAs(server.endpoint, anon, { method, path, ...(method === 'PUT' ? { body: 'x' } : {}) });
    assert.equal(`${r.status} ${r.code}`, '403 AccessDenied', `${method} ${path}`);
  }
});

test('public bucket: anonymous GET/HEAD of any object; still no listing or writes', async () => {
  await rules('public', false);
  const get = await sendAs(server.endpoint, anon, { method: 'GET', path: `/${bucket}/closed.txt` });
  assert.equal(get.status, 200);
  assert.equal(get.body, 'body of closed.txt');
  const head = await sendAs(server.endpoint, anon, { method: 'HEAD', path: `/${bucket}/open.txt` });
  assert.equal(head.status, 200);
  const missing = await sendAs(server.endpoint, anon, { method: 'GET', path: `/${bucket}/nope` });
  assert.equal(`${missing.status} ${missing.code}`, '404 NoSuchKey');
  const list = await sendAs(server.endpoint, anon, { method: 'GET', path: `/${bucket}`, query: { 'list-type': '2' } });
  assert.equal(`${list.status} ${list.code}`, '403 AccessDenied');
  const put = await sendAs(server.endpoint, anon, { method: 'PUT', path: `/${bucket}/new`, body: 'x' });
  assert.equal(`${put.status} ${put.code}`, '403 AccessDenied');
  const tags = await sendAs(server.endpoint, anon, {
    method: 'GET',
    path: `/${bucket}/open.txt`,
    query: { tagging: '' },
  });
  assert.equal(`${tags.status} ${tags.code}`, '403 AccessDenied');
});

test('private with public overrides: only public-read objects are open; keys may then set ACLs', async () => {
  await rules('private', false);
  const keyAclDenied = await sendAs(server.endpoint, asKey, {
    method: 'PUT',
    path: `/${bucket}/open.txt`,
    query: { acl: '' },
    headers: { 'x-amz-acl': 'public-read' },
  });
  assert.equal(
    `${keyAclDenied.status} ${keyAclDenied.code}`,
    '403 AccessDenied',
    'no overrides: a key may not change ACLs',
  );
  await rules('private', true);
  const set = await sendAs(server.endpoint, asKey, {
    method: 'PUT',
    path: `/${bucket}/open.txt`,
    query: { acl: '' },
    headers: { 'x-amz-acl': 'public-read' },
  });
  assert.equal(set.status, 200, set.body);
  const open = await sendAs(server.endpoint, anon, { method: 'GET', path: `/${bucket}/open.txt` });
  assert.equal(open.status, 200);
  assert.equal(open.body, 'body of open.txt');
  const closed = await sendAs(server.endpoint, anon, { method: 'GET', path: `/${bucket}/closed.txt` });
  assert.equal(`${closed.status} ${closed.code}`, '403 AccessDenied');
  const missing = await sendAs(server.endpoint, anon, { method: 'GET', path: `/${bucket}/nope` });
  assert.equal(`${missing.status} ${missing.code}`, '403 AccessDenied', 'a missing object is not revealed');
  const back = await sendAs(server.endpoint, asRoot, {
    method: 'PUT',
    path: `/${bucket}/open.txt`,
    query: { acl: '' },
    headers: { 'x-amz-acl': 'private' },
  });
  assert.equal(back.status, 200);
  const closedAgain = await sendAs(server.endpoint, anon, { method: 'GET', path: `/${bucket}/open.txt` });
  assert.equal(`${closedAgain.status} ${closedAgain.code}`, '403 AccessDenied');
});
