/**
 * Requests signed by @smithy/signature-v4 (what the AWS SDK for JavaScript v3 uses) verify: S3 style
 * (uriEscapePath false, header and presigned) and Lightsail style (JSON POST); changes fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  parseAuthentication,
  verifySignature,
  SigV4Error,
  SigningKeyCache,
  sha256Hex,
  type SignedAuthInfo,
  type SigningRequest,
  type SigV4ErrorCode,
  type VerifyOptions,
} from '../../src/sigv4/index.js';
import { toSigningRequest, type SdkLikeRequest } from './sdkRequest.js';

const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const signingDate = new Date('2026-11-29T12:00:00Z');
const now = new Date('2026-11-29T12:03:00Z');

const s3Signer = new SignatureV4({
  credentials,
  region: 'us-east-1',
  service: 's3',
  sha256: Sha256,
  uriEscapePath: false,
});
const lightsailSigner = new SignatureV4({ credentials, region: 'eu-west-2', service: 'lightsail', sha256: Sha256 });

function verify(
  req: SigningRequest,
  opts: Partial<VerifyOptions> & { service: string },
  secret = credentials.secretAccessKey,
) {
  const auth = parseAuthentication(req);
  assert.notEqual(auth.kind, 'anonymous');
  return verifySignature(req, auth as SignedAuthInfo, secret, { now, ...opts });
}

function assertFails(
  req: SigningRequest,
  opts: Partial<VerifyOptions> & { service: string },
  code: SigV4ErrorCode,
  what: string,
  secret?: string,
) {
  assert.throws(
    () => verify(req, opts, secret),
    (e: unknown) => {
      assert.ok(e instanceof SigV4Error, `${what}: not a SigV4Error: ${String(e)}`);
      assert.equal(e.code, code, `${what}: ${e.message}`);
      return true;
    },
  );
}

function s3Put(path: string, query: SdkLikeRequest['query'] = {}): SdkLikeRequest {
  return {
    method: 'PUT',
    path,
    query,
    headers: {
      host: 'photos.localhost:8080',
      'content-type': 'image/png',
      'x-amz-meta-caption': '  a   holiday  photo ',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'content-length': '5',
    },
  };
}

const KEYS = [
  '/photos/cat.png',
  '/photos/a%20b/%E2%9C%93%20check.png',
  '/photos/dir//double//slash/',
  '/photos/./dots/../x',
  '/photos/%2Fleading-encoded-slash',
  '/photos/%21%27%28%29%2A',
];

for (const path of KEYS) {
  test(`smithy S3 header signature verifies: ${path}`, async () => {
    const signed = (await s3Signer.sign(s3Put(path, { 'x-id': 'PutObject', 'tag list': 'a b/c' }) as never, {
      signingDate,
    })) as unknown as SdkLikeRequest;
    const req = toSigningRequest(signed);
    const v = verify(req, { service: 's3' });
    assert.equal(v.payloadMode, 'UNSIGNED-PAYLOAD');
    assert.equal(v.scope.region, 'us-east-1');
    assert.equal(v.seedSignature, /Signature=([0-9a-f]{64})/.exec(req.headers.authorization as string)![1]);
    assertFails(
      req,
      { service: 's3' },
      'SignatureMismatch',
      'wrong secret',
      credentials.secretAccessKey.replace('K', 'k'),
    );
    assertFails({ ...req, path: req.path + 'x' }, { service: 's3' }, 'SignatureMismatch', 'path');
    assertFails({ ...req, query: req.query + '&more=1' }, { service: 's3' }, 'SignatureMismatch', 'query');
    assertFails({ ...req, method: 'POST' }, { service: 's3' }, 'SignatureMismatch', 'method');
    for (const h of ['host', 'content-type', 'x-amz-meta-caption', 'x-amz-date', 'content-length']) {
      const value = req.headers[h] as string;
      const changed = h === 'x-amz-date' ? value.replace(/.Z$/, (m) => (m[0] === '0' ? '1' : '0') + 'Z') : value + '1';
      assertFails(
        { ...req, headers: { ...req.headers, [h]: changed } },
        { service: 's3' },
        'SignatureMismatch',
        `header ${h}`,
      );
    }
    assertFails(
      { ...req, headers: { ...req.headers, 'x-amz-meta-added': 'x' } },
      { service: 's3' },
      'UnsignedHeaders',
      'unsigned x-amz header',
    );
    assertFails(req, { service: 'lightsail' }, 'ScopeMismatch', 'wrong service');
  });
}

test('smithy S3 header signature with a hex payload hash and signing-key cache', async () => {
  const body = Buffer.from('hello');
  const r = s3Put('/photos/h.txt');
  r.headers['x-amz-content-sha256'] = sha256Hex(body);
  const req = toSigningRequest((await s3Signer.sign(r as never, { signingDate })) as unknown as SdkLikeRequest);
  const cache = new SigningKeyCache(2);
  const a = verify(req, { service: 's3', keyCache: cache });
  const b = verify(req, { service: 's3', keyCache: cache });
  assert.equal(a.payloadMode, 'SHA256');
  assert.equal(a.payloadSha256, sha256Hex(body));
  assert.equal(a.signingKey, b.signingKey, 'second verification reuses the cached key');
  assert.equal(cache.size, 1);
  assertFails(
    req,
    { service: 's3', keyCache: cache },
    'SignatureMismatch',
    'rotated secret must not reuse the cached key',
    'another-secret',
  );
});

for (const path of KEYS) {
  test(`smithy S3 presigned URL verifies: ${path}`, async () => {
    const unsigned: SdkLikeRequest = {
      method: 'GET',
      path,
      query: { 'response-content-type': 'text/plain; charset=utf-8' },
      headers: { host: 'localhost:8080', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    };
    // (what S3RequestPresigner does: the claim is hoisted into the query as X-Amz-Content-Sha256)
    const signed = (await s3Signer.presign(unsigned as never, {
      signingDate,
      expiresIn: 900,
    })) as unknown as SdkLikeRequest;
    const req = toSigningRequest(signed);
    assert.equal(req.headers.authorization, undefined);
    const v = verify(req, { service: 's3' });
    assert.equal(v.kind, 'query');
    assert.equal(v.payloadMode, 'UNSIGNED-PAYLOAD');
    assert.equal(v.expiresAt?.toISOString(), '2026-11-29T12:15:00.000Z');
    assertFails(req, { service: 's3' }, 'SignatureMismatch', 'wrong secret', 'nope');
    assertFails({ ...req, path: req.path.replace('photos', 'photoz') }, { service: 's3' }, 'SignatureMismatch', 'path');
    assertFails(
      { ...req, query: req.query.replace('text%2Fplain', 'text%2Fhtml') },
      { service: 's3' },
      'SignatureMismatch',
      'query value',
    );
    assertFails({ ...req, headers: { host: 'evil:8080' } }, { service: 's3' }, 'SignatureMismatch', 'host');
    assertFails(req, { service: 's3', now: new Date('2026-11-29T12:15:01Z') }, 'RequestExpired', 'expired');
  });
}

test('smithy Lightsail JSON 1.1 request verifies (normalized path, body hash header)', async () => {
  const body = JSON.stringify({ bucketName: 'photos', bundleId: 'small_1_0' });
  const signed = (await lightsailSigner.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: 'localhost',
      port: 8080,
      path: '/',
      query: {},
      headers: {
        host: 'localhost:8080',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Lightsail_20161128.CreateBucket',
        'content-length': String(body.length),
      },
      body,
    } as never,
    { signingDate },
  )) as unknown as SdkLikeRequest;
  const req = toSigningRequest(signed);
  const v = verify(req, { service: 'lightsail' });
  assert.equal(v.scope.region, 'eu-west-2');
  assert.equal(v.payloadMode, 'SHA256');
  assert.equal(v.payloadSha256, sha256Hex(body));
  assertFails(
    { ...req, headers: { ...req.headers, 'x-amz-target': 'Lightsail_20161128.DeleteBucket' } },
    { service: 'lightsail' },
    'SignatureMismatch',
    'target',
  );
  assertFails(req, { service: 's3' }, 'ScopeMismatch', 's3 endpoint');
  assertFails(req, { service: 'lightsail', region: 'us-east-1' }, 'ScopeMismatch', 'region pinned');
  assertFails(req, { service: 'lightsail', now: new Date('2026-11-29T12:15:01Z') }, 'RequestTimeTooSkewed', 'skew');
});

test('smithy non-S3 path is normalized and double-encoded', async () => {
  const signed = (await lightsailSigner.sign(
    {
      method: 'GET',
      protocol: 'http:',
      hostname: 'localhost',
      path: '/a%20b/./c/../d',
      query: { q: 'x y' },
      headers: { host: 'localhost' },
    } as never,
    { signingDate },
  )) as unknown as SdkLikeRequest;
  const req = toSigningRequest(signed);
  const v = verify(req, { service: 'lightsail' });
  assert.equal(v.kind, 'header');
  assertFails(
    { ...req, path: '/a%20b/d' },
    { service: 'lightsail', normalizePath: false },
    'SignatureMismatch',
    'without normalization',
  );
});

test('@aws-sdk/s3-request-presigner getSignedUrl URLs verify (GET and PUT with metadata)', async () => {
  const { S3Client, GetObjectCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://localhost:8080',
    forcePathStyle: true,
    credentials,
  });
  try {
    const commands = [
      new GetObjectCommand({
        Bucket: 'photos',
        Key: 'dir/über café (1).txt',
        ResponseContentDisposition: 'attachment; filename="x.txt"',
      }),
      new PutObjectCommand({ Bucket: 'photos', Key: 'a+b=c&d', ContentType: 'text/plain', Metadata: { owner: 'me' } }),
    ];
    for (const command of commands) {
      const url = new URL(await getSignedUrl(client, command as never, { expiresIn: 3600 }));
      const req: SigningRequest = {
        method: command instanceof PutObjectCommand ? 'PUT' : 'GET',
        path: url.pathname,
        query: url.search.slice(1),
        headers: { host: url.host },
      };
      const auth = parseAuthentication(req);
      assert.equal(auth.kind, 'query');
      const v = verifySignature(req, auth, credentials.secretAccessKey, {
        now: new Date(),
        service: 's3',
      });
      assert.equal(v.payloadMode, 'UNSIGNED-PAYLOAD');
      assertFails(
        { ...req, path: req.path + '2' },
        { service: 's3', now: new Date() },
        'SignatureMismatch',
        'other key',
      );
    }
  } finally {
    client.destroy();
  }
});
