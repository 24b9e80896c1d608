/**
 * The harness's small SigV4 signer produces exactly what @smithy/signature-v4 (the AWS SDK's
 * signer) produces, for header auth (S3 and Lightsail style) and presigned URLs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { createSigner, objectPath, sha256Hex, uriEncode } from '../../bench/signer.js';

const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const at = Date.parse('2026-11-29T12:34:56Z');
const host = '127.0.0.1:8080';

async function smithyAuthorization(
  service: string,
  method: string,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
): Promise<string> {
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service, sha256: Sha256, uriEscapePath: false });
  const signed = await signer.sign(
    { method, protocol: 'http:', hostname: '127.0.0.1', port: 8080, path, query, headers: { host, ...headers } },
    { signingDate: new Date(at) },
  );
  return signed.headers.authorization;
}

test('uriEncode and objectPath encode like SigV4 (slashes kept in keys, everything outside A-Za-z0-9-_.~ escaped)', () => {
  assert.equal(uriEncode('a b/c~d*é'), 'a%20b%2Fc~d%2A%C3%A9');
  assert.equal(objectPath('bkt', 'dir/a b/ü.txt'), '/bkt/dir/a%20b/%C3%BC.txt');
  assert.equal(objectPath('bkt'), '/bkt');
});

test('header auth matches @smithy/signature-v4 for S3 requests with a payload hash and query parameters', async () => {
  const signer = createSigner({ credentials, region: 'us-east-1', service: 's3', host, now: () => at });
  const body = Buffer.from('hello world');
  const cases: {
    method: string;
    path: string;
    query: [string, string][];
    headers: Record<string, string>;
    payload: string;
  }[] = [
    { method: 'PUT', path: objectPath('bench', 'put/1'), query: [], headers: {}, payload: sha256Hex(body) },
    {
      method: 'GET',
      path: objectPath('bench'),
      query: [
        ['list-type', '2'],
        ['prefix', 'list/'],
        ['max-keys', '1000'],
        ['start-after', 'a b+c'],
      ],
      headers: {},
      payload: sha256Hex(''),
    },
    {
      method: 'POST',
      path: objectPath('bench'),
      query: [['delete', '']],
      headers: { 'content-md5': 'XrY7u+Ae7tCTyyK7j1rNww==', 'content-type': 'application/xml' },
      payload: sha256Hex(body),
    },
    {
      method: 'PUT',
      path: objectPath('bench', 'k'),
      query: [
        ['partNumber', '3'],
        ['uploadId', 'abc/def='],
      ],
      headers: {},
      payload: 'UNSIGNED-PAYLOAD',
    },
    {
      method: 'PUT',
      path: objectPath('bench', 't'),
      query: [],
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '4096',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
      payload: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    },
  ];
  for (const c of cases) {
    const ours = signer.sign({
      method: c.method,
      path: c.path,
      query: c.query,
      headers: c.headers,
      payloadHash: c.payload,
    });
    const theirs = await smithyAuthorization('s3', c.method, c.path, Object.fromEntries(c.query), {
      ...c.headers,
      'x-amz-date': ours.headers['x-amz-date'],
      'x-amz-content-sha256': c.payload,
    });
    assert.equal(ours.headers.authorization, theirs, `${c.method} ${c.path}`);
    assert.equal(ours.headers['x-amz-date'], '20261129T123456Z');
  }
});

test('header auth matches for a Lightsail JSON call', async () => {
  const signer = createSigner({ credentials, region: 'us-east-1', service: 'lightsail', host, now: () => at });
  const body = JSON.stringify({ bucketName: 'bench-a' });
  const headers = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'Lightsail_20161128.GetBucketAccessKeys',
  };
  const ours = signer.sign({ method: 'POST', path: '/', headers, payloadHash: sha256Hex(body) });
  const theirs = await smithyAuthorization(
    'lightsail',
    'POST',
    '/',
    {},
    { ...headers, 'x-amz-date': ours.headers['x-amz-date'], 'x-amz-content-sha256': sha256Hex(body) },
  );
  assert.equal(ours.headers.authorization, theirs);
});

test('presigned URLs match @smithy/signature-v4 presign', async () => {
  const signer = createSigner({ credentials, region: 'us-east-1', service: 's3', host, now: () => at });
  const path = objectPath('bench', 'get-4k/0');
  const ours = signer.presign({ method: 'GET', path }, 3600);
  const smithy = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
  });
  const theirs = await smithy.presign(
    {
      method: 'GET',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8080,
      path,
      query: {},
      headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    },
    // As @aws-sdk/s3-request-presigner does: the payload is UNSIGNED-PAYLOAD and that header stays out of the URL.
    {
      signingDate: new Date(at),
      expiresIn: 3600,
      unhoistableHeaders: new Set(['x-amz-content-sha256']),
      unsignableHeaders: new Set(['x-amz-content-sha256']),
    },
  );
  const sig = (url: string): string | null => new URLSearchParams(url.split('?')[1]).get('X-Amz-Signature');
  assert.equal(sig(ours), theirs.query?.['X-Amz-Signature']);
  assert.match(ours, /X-Amz-Expires=3600/);
});

test('the signing key is derived once per day, not per request', () => {
  let t = at;
  const signer = createSigner({ credentials, region: 'us-east-1', service: 's3', host, now: () => t });
  const a = signer.sign({ method: 'GET', path: '/b/k', payloadHash: 'UNSIGNED-PAYLOAD' });
  t += 1000;
  const b = signer.sign({ method: 'GET', path: '/b/k', payloadHash: 'UNSIGNED-PAYLOAD' });
  assert.notEqual(a.headers['x-amz-date'], b.headers['x-amz-date'], 'the timestamp follows the clock');
  assert.notEqual(a.headers.authorization, b.headers.authorization);
  t += 86_400_000;
  const c = signer.sign({ method: 'GET', path: '/b/k', payloadHash: 'UNSIGNED-PAYLOAD' });
  assert.match(c.headers.authorization, /Credential=AKIAIOSFODNN7EXAMPLE\/20261130\/us-east-1\/s3\/aws4_request/);
});
