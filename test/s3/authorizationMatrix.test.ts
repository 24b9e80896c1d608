/**
 * The S3 authorization matrix: every operation × {root, own key, other bucket's key, deleted
 * key, inactive key, unknown key, anonymous, wrong secret, expired presign, root of another account,
 * root of an account with read-only access} → the exact status and
 * error code; and a key cannot tell another bucket that exists from one that does not.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { UpdateBucketCommand } from '@aws-sdk/client-lightsail';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { accountsFor, type Accounts } from './support/accounts.js';
import { sendAs, type Auth, type Creds, type RawRequest, type RawResponse } from './support/s3Requests.js';
import { MATRIX_OPS, PRINCIPALS, expectedOutcome, type PrincipalName } from './support/matrixOps.js';

let server: TestServer;
let accounts: Accounts;
let mine: string;
let other: string;
const auths = new Map<PrincipalName, Auth>();

before(async () => {
  server = await startServer();
  accounts = accountsFor(server.endpoint, server.credentials);
  mine = uniqueBucketName('mine');
  other = uniqueBucketName('other');
  await accounts.createBucket(mine);
  await accounts.createBucket(other);
  const own = await accounts.createKey(mine);
  const inactive = await accounts.createKey(mine);
  await accounts.setKeyStatus(mine, inactive.accessKeyId, 'Inactive');
  const otherKey = await accounts.createKey(other);
  const deleted = await accounts.createKey(other);
  await accounts.deleteKey(other, deleted.accessKeyId);
  const root: Creds = server.credentials;
  auths.set('root', { kind: 'header', creds: root });
  auths.set('own', { kind: 'header', creds: own });
  auths.set('otherBucketKey', { kind: 'header', creds: otherKey });
  auths.set('deletedKey', { kind: 'header', creds: deleted });
  auths.set('inactiveKey', { kind: 'header', creds: inactive });
  auths.set('unknownKey', {
    kind: 'header',
    creds: { accessKeyId: 'AKIA' + randomBytes(8).toString('hex').toUpperCase(), secretAccessKey: own.secretAccessKey },
  });
  auths.set('anonymous', { kind: 'anonymous' });
  auths.set('wrongSecret', {
    kind: 'header',
    creds: {
      accessKeyId: own.accessKeyId,
      secretAccessKey: own.secretAccessKey.slice(0, -1) + (own.secretAccessKey.endsWith('A') ? 'B' : 'A'),
    },
  });
  auths.set('expiredPresign', {
    kind: 'presign',
    creds: own,
    signingDate: new Date(Date.now() - 2 * 3600_000),
    expiresIn: 60,
  });
  const otherAccount = await accounts.createAccount(`other-${randomBytes(3).toString('hex')}`);
  const readonlyAccount = await accounts.createAccount(`readonly-${randomBytes(3).toString('hex')}`);
  auths.set('otherAccountRoot', { kind: 'header', creds: otherAccount.root });
  auths.set('readonlyAccountRoot', { kind: 'header', creds: readonlyAccount.root });
  await accounts.lightsail.send(
    new UpdateBucketCommand({ bucketName: mine, readonlyAccessAccounts: [readonlyAccount.accountId] }),
  );
  const put = await sendAs(server.endpoint, auths.get('root')!, {
    method: 'PUT',
    path: `/${mine}/obj`,
    body: 'hello matrix',
  });
  assert.equal(put.status, 200, `seeding ${mine}/obj: ${put.status} ${put.body}`);
});

after(async () => {
  accounts?.close();
  await server?.stop();
});

const outcome = (r: RawResponse, method: string): string =>
  method === 'HEAD' ? `${r.status}` : `${r.status} ${r.code ?? ''}`.trim();
const want = (e: { status: number; code?: string }, method: string): string =>
  method === 'HEAD' ? `${e.status}` : `${e.status} ${e.code ?? ''}`.trim();

for (const who of PRINCIPALS) {
  test(`authorization matrix: ${who}`, async () => {
    const wrong: string[] = [];
    for (const op of MATRIX_OPS) {
      const tag = `${who.toLowerCase()}-${randomBytes(3).toString('hex')}`;
      const req = op.req(mine, tag);
      const r = await sendAs(server.endpoint, auths.get(who)!, req);
      const got = outcome(r, req.method);
      const exp = want(expectedOutcome(op, who), req.method);
      if (got !== exp) wrong.push(`${op.name} as ${who}: expected ${exp}, got ${got} ${r.message ?? ''}`);
      assert.ok(r.headers['x-amz-request-id'], `${op.name} as ${who}: x-amz-request-id missing`);
    }
    assert.deepEqual(wrong, []);
  });
}

test('a bucket key cannot tell an existing other bucket from a missing one', async () => {
  const key = auths.get('otherBucketKey')!;
  const missing = uniqueBucketName('missing');
  const strip = (r: RawResponse, b: string) =>
    `${r.status} ${r.body.replace(/<RequestId>[^<]*<\/RequestId>/, '').replaceAll(b, 'BUCKET')}`;
  for (const make of [
    (b: string): RawRequest => ({ method: 'GET', path: `/${b}`, query: { 'list-type': '2' } }),
    (b: string): RawRequest => ({ method: 'HEAD', path: `/${b}` }),
    (b: string): RawRequest => ({ method: 'GET', path: `/${b}/obj` }),
    (b: string): RawRequest => ({ method: 'PUT', path: `/${b}/x`, body: 'x' }),
    (b: string): RawRequest => ({ method: 'GET', path: `/${b}`, query: { location: '' } }),
  ]) {
    const a = await sendAs(server.endpoint, key, make(mine));
    const b = await sendAs(server.endpoint, key, make(missing));
    assert.equal(a.status, 403);
    assert.equal(strip(a, mine), strip(b, missing));
  }
  // root learns NoSuchBucket; the key never does
  const rootMissing = await sendAs(server.endpoint, auths.get('root')!, { method: 'GET', path: `/${missing}/obj` });
  assert.equal(`${rootMissing.status} ${rootMissing.code}`, '404 NoSuchBucket');
});

test('ListBuckets shows a bucket key only its own bucket, and root every bucket', async () => {
  const names = (r: RawResponse) => [...r.body.matchAll(/<Name>([^<]*)<\/Name>/g)].map((m) => m[1]);
  const asKey = await sendAs(server.endpoint, auths.get('own')!, { method: 'GET', path: '/' });
  assert.deepEqual(names(asKey), [mine]);
  const asRoot = await sendAs(server.endpoint, auths.get('root')!, { method: 'GET', path: '/' });
  assert.ok(names(asRoot).includes(mine) && names(asRoot).includes(other), asRoot.body);
});

test("a bucket key's successful S3 use is recorded as its last use; refused attempts are not", async () => {
  const { GetBucketAccessKeysCommand } = await import('@aws-sdk/client-lightsail');
  const ownId = (auths.get('own') as { creds: Creds }).creds.accessKeyId;
  const inactiveId = (auths.get('inactiveKey') as { creds: Creds }).creds.accessKeyId;
  let keys: { accessKeyId?: string; lastUsed?: { lastUsedDate?: Date; region?: string; serviceName?: string } }[] = [];
  for (let i = 0; i < 25; i++) {
    keys = (await accounts.lightsail.send(new GetBucketAccessKeysCommand({ bucketName: mine }))).accessKeys ?? [];
    if (keys.find((k) => k.accessKeyId === ownId)?.lastUsed?.lastUsedDate) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const own = keys.find((k) => k.accessKeyId === ownId);
  assert.ok(own?.lastUsed?.lastUsedDate, `own key last use not recorded: ${JSON.stringify(own)}`);
  assert.equal(own.lastUsed.serviceName, 's3');
  assert.equal(own.lastUsed.region, 'us-east-1');
  const inactive = keys.find((k) => k.accessKeyId === inactiveId);
  assert.ok(
    !inactive?.lastUsed?.lastUsedDate,
    `an inactive key's refused requests are not a use: ${JSON.stringify(inactive)}`,
  );
});
