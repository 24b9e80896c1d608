/**
 * The S3 authorization matrix: every operation × {root, own key, other bucket's key, deleted
 * key, inactive key, unknown key, anonymous, wrong secret, expired presign} → the exact status and
 * error code; and a key cannot tell another bucket that exists from one that does not.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { accountsFor, type Accounts } from './support/accounts.js';
import { md5Base64, sendAs, type Auth, type Creds, type RawRequest, type RawResponse } from './support/s3Requests.js';

interface Expect { status: number; code?: string }
interface Op {
  name: string;
  req: (bucket: string, tag: string) => RawRequest;
  root: Expect;
  /** The bucket's own key; defaults to `root`. */
  own?: Expect;
}

const OK = { status: 200 };
const NO_CONTENT = { status: 204 };
const DENIED = { status: 403, code: 'AccessDenied' };
const NOT_IMPL = { status: 501, code: 'NotImplemented' };
const NO_UPLOAD = { status: 404, code: 'NoSuchUpload' };
const xml = (s: string) => ({ body: s, headers: { 'content-md5': md5Base64(s), 'content-type': 'application/xml' } });
const tagging = '<Tagging><TagSet><Tag><Key>team</Key><Value>blue</Value></Tag></TagSet></Tagging>';
const del = '<Delete><Object><Key>never-existed</Key></Object></Delete>';
const complete = '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"0123456789abcdef0123456789abcdef"</ETag></Part></CompleteMultipartUpload>';

const OPS: Op[] = [
  { name: 'ListBuckets', req: () => ({ method: 'GET', path: '/' }), root: OK },
  { name: 'HeadBucket', req: (b) => ({ method: 'HEAD', path: `/${b}` }), root: OK },
  { name: 'GetBucketLocation', req: (b) => ({ method: 'GET', path: `/${b}`, query: { location: '' } }), root: OK },
  { name: 'GetBucketVersioning', req: (b) => ({ method: 'GET', path: `/${b}`, query: { versioning: '' } }), root: OK },
  { name: 'GetBucketCors', req: (b) => ({ method: 'GET', path: `/${b}`, query: { cors: '' } }), root: { status: 404, code: 'NoSuchCORSConfiguration' } },
  { name: 'ListObjects', req: (b) => ({ method: 'GET', path: `/${b}` }), root: OK },
  { name: 'ListObjectsV2', req: (b) => ({ method: 'GET', path: `/${b}`, query: { 'list-type': '2' } }), root: OK },
  { name: 'ListObjectVersions', req: (b) => ({ method: 'GET', path: `/${b}`, query: { versions: '' } }), root: OK },
  { name: 'ListMultipartUploads', req: (b) => ({ method: 'GET', path: `/${b}`, query: { uploads: '' } }), root: OK },
  { name: 'DeleteObjects', req: (b) => ({ method: 'POST', path: `/${b}`, query: { delete: '' }, ...xml(del) }), root: OK },
  { name: 'PutObject', req: (b, t) => ({ method: 'PUT', path: `/${b}/put-${t}`, body: 'matrix' }), root: OK },
  { name: 'GetObject', req: (b) => ({ method: 'GET', path: `/${b}/obj` }), root: OK },
  { name: 'HeadObject', req: (b) => ({ method: 'HEAD', path: `/${b}/obj` }), root: OK },
  { name: 'DeleteObject', req: (b, t) => ({ method: 'DELETE', path: `/${b}/gone-${t}` }), root: NO_CONTENT },
  { name: 'CopyObject', req: (b, t) => ({ method: 'PUT', path: `/${b}/copy-${t}`, headers: { 'x-amz-copy-source': `/${b}/obj` } }), root: OK },
  { name: 'GetObjectAttributes', req: (b) => ({ method: 'GET', path: `/${b}/obj`, query: { attributes: '' }, headers: { 'x-amz-object-attributes': 'ETag,ObjectSize' } }), root: OK },
  { name: 'PutObjectTagging', req: (b) => ({ method: 'PUT', path: `/${b}/obj`, query: { tagging: '' }, ...xml(tagging) }), root: OK },
  { name: 'GetObjectTagging', req: (b) => ({ method: 'GET', path: `/${b}/obj`, query: { tagging: '' } }), root: OK },
  { name: 'DeleteObjectTagging', req: (b) => ({ method: 'DELETE', path: `/${b}/obj`, query: { tagging: '' } }), root: NO_CONTENT },
  { name: 'GetObjectAcl', req: (b) => ({ method: 'GET', path: `/${b}/obj`, query: { acl: '' } }), root: OK },
  { name: 'PutObjectAcl', req: (b) => ({ method: 'PUT', path: `/${b}/obj`, query: { acl: '' }, headers: { 'x-amz-acl': 'private' } }), root: OK, own: DENIED },
  { name: 'CreateMultipartUpload', req: (b, t) => ({ method: 'POST', path: `/${b}/mp-${t}`, query: { uploads: '' } }), root: OK },
  { name: 'UploadPart', req: (b) => ({ method: 'PUT', path: `/${b}/mp`, query: { partNumber: '1', uploadId: 'no-such-upload' }, body: 'part' }), root: NO_UPLOAD },
  { name: 'UploadPartCopy', req: (b) => ({ method: 'PUT', path: `/${b}/mp`, query: { partNumber: '1', uploadId: 'no-such-upload' }, headers: { 'x-amz-copy-source': `/${b}/obj` } }), root: NO_UPLOAD },
  { name: 'ListParts', req: (b) => ({ method: 'GET', path: `/${b}/mp`, query: { uploadId: 'no-such-upload' } }), root: NO_UPLOAD },
  { name: 'CompleteMultipartUpload', req: (b) => ({ method: 'POST', path: `/${b}/mp`, query: { uploadId: 'no-such-upload' }, body: complete }), root: NO_UPLOAD },
  { name: 'AbortMultipartUpload', req: (b) => ({ method: 'DELETE', path: `/${b}/mp`, query: { uploadId: 'no-such-upload' } }), root: NO_UPLOAD },
  { name: 'CreateBucket', req: (_b, t) => ({ method: 'PUT', path: `/new-${t}` }), root: OK, own: DENIED },
  { name: 'DeleteBucket', req: (b) => ({ method: 'DELETE', path: `/${b}` }), root: { status: 409, code: 'BucketNotEmpty' }, own: DENIED },
  { name: 'PutBucketVersioning', req: (b) => ({ method: 'PUT', path: `/${b}`, query: { versioning: '' }, ...xml('<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>') }), root: NOT_IMPL, own: DENIED },
  { name: 'PutBucketCors', req: (b) => ({ method: 'PUT', path: `/${b}`, query: { cors: '' }, ...xml('<CORSConfiguration/>') }), root: NOT_IMPL, own: DENIED },
  { name: 'PutBucketPolicy', req: (b) => ({ method: 'PUT', path: `/${b}`, query: { policy: '' }, body: '{}' }), root: NOT_IMPL, own: DENIED },
  { name: 'PutBucketAcl', req: (b) => ({ method: 'PUT', path: `/${b}`, query: { acl: '' }, headers: { 'x-amz-acl': 'public-read' } }), root: NOT_IMPL, own: DENIED },
  { name: 'GetBucketPolicy', req: (b) => ({ method: 'GET', path: `/${b}`, query: { policy: '' } }), root: NOT_IMPL, own: DENIED },
];

type PrincipalName = 'root' | 'own' | 'otherBucketKey' | 'deletedKey' | 'inactiveKey' | 'unknownKey' | 'anonymous' | 'wrongSecret' | 'expiredPresign';

function expected(op: Op, who: PrincipalName): Expect {
  switch (who) {
    case 'root': return op.root;
    case 'own': return op.own ?? op.root;
    case 'otherBucketKey': return op.name === 'ListBuckets' ? OK : DENIED;
    case 'deletedKey': case 'inactiveKey': case 'unknownKey': return { status: 403, code: 'InvalidAccessKeyId' };
    case 'anonymous': return DENIED;
    case 'wrongSecret': return { status: 403, code: 'SignatureDoesNotMatch' };
    case 'expiredPresign': return DENIED;
  }
}

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
  auths.set('unknownKey', { kind: 'header', creds: { accessKeyId: 'AKIA' + randomBytes(8).toString('hex').toUpperCase(), secretAccessKey: own.secretAccessKey } });
  auths.set('anonymous', { kind: 'anonymous' });
  auths.set('wrongSecret', { kind: 'header', creds: { accessKeyId: own.accessKeyId, secretAccessKey: own.secretAccessKey.slice(0, -1) + (own.secretAccessKey.endsWith('A') ? 'B' : 'A') } });
  auths.set('expiredPresign', { kind: 'presign', creds: own, signingDate: new Date(Date.now() - 2 * 3600_000), expiresIn: 60 });
  const put = await sendAs(server.endpoint, auths.get('root')!, { method: 'PUT', path: `/${mine}/obj`, body: 'hello matrix' });
  assert.equal(put.status, 200, `seeding ${mine}/obj: ${put.status} ${put.body}`);
});

after(async () => {
  accounts?.close();
  await server?.stop();
});

const outcome = (r: RawResponse, method: string): string => (method === 'HEAD' ? `${r.status}` : `${r.status} ${r.code ?? ''}`.trim());
const want = (e: Expect, method: string): string => (method === 'HEAD' ? `${e.status}` : `${e.status} ${e.code ?? ''}`.trim());

for (const who of ['root', 'own', 'otherBucketKey', 'deletedKey', 'inactiveKey', 'unknownKey', 'anonymous', 'wrongSecret', 'expiredPresign'] as const) {
  test(`authorization matrix: ${who}`, async () => {
    const wrong: string[] = [];
    for (const op of OPS) {
      const tag = `${who.toLowerCase()}-${randomBytes(3).toString('hex')}`;
      const req = op.req(mine, tag);
      const r = await sendAs(server.endpoint, auths.get(who)!, req);
      const got = outcome(r, req.method);
      const exp = want(expected(op, who), req.method);
      if (got !== exp) wrong.push(`${op.name} as ${who}: expected ${exp}, got ${got} ${r.message ?? ''}`);
      assert.ok(r.headers['x-amz-request-id'], `${op.name} as ${who}: x-amz-request-id missing`);
    }
    assert.deepEqual(wrong, []);
  });
}

test('a bucket key cannot tell an existing other bucket from a missing one', async () => {
  const key = auths.get('otherBucketKey')!;
  const missing = uniqueBucketName('missing');
  const strip = (r: RawResponse, b: string) => `${r.status} ${r.body.replace(/<RequestId>[^<]*<\/RequestId>/, '').replaceAll(b, 'BUCKET')}`;
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
