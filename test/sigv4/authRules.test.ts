/** Parsing rules, SigV2 detection, clock skew and expiry with an injected clock, payload claims. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  parseAuthentication,
  verifySignature,
  SigV4Error,
  type SignedAuthInfo,
  type SigningRequest,
  type SigV4ErrorCode,
  type VerifyOptions,
} from '../../src/sigv4/index.js';
import { s3ErrorFor } from '../../src/s3/errors.js';
import { toSigningRequest, type SdkLikeRequest } from './sdkRequest.js';
import { signingKeyOf } from './chunkedBodies.js';

const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const t0 = new Date('2026-11-29T12:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const signer = new SignatureV4({
  credentials,
  region: 'us-east-1',
  service: 's3',
  sha256: Sha256,
  uriEscapePath: false,
});

function code(fn: () => unknown): SigV4ErrorCode {
  try {
    fn();
  } catch (e) {
    if (e instanceof SigV4Error) return e.code;
    throw e;
  }
  assert.fail('expected a SigV4Error');
}
function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected an error');
}
const req = (headers: Record<string, string>, query = '', path = '/photos/k'): SigningRequest => ({
  method: 'GET',
  path,
  query,
  headers,
});
const verify = (r: SigningRequest, o: Partial<VerifyOptions> = {}) =>
  verifySignature(r, parseAuthentication(r) as SignedAuthInfo, credentials.secretAccessKey, {
    now: t0,
    service: 's3',
    ...o,
  });

async function headerSigned(headers: Record<string, string> = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }) {
  return toSigningRequest(
    (await signer.sign({ method: 'GET', path: '/photos/k', query: {}, headers: { host: 'h', ...headers } } as never, {
      signingDate: t0,
    })) as unknown as SdkLikeRequest,
  );
}
async function presigned(expiresIn: number, headers: Record<string, string> = {}) {
  return toSigningRequest(
    await signer.presign(
      {
        method: 'GET',
        path: '/photos/k',
        query: {},
        headers: { host: 'h', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers },
      } as never,
      { signingDate: t0, expiresIn },
    ),
  );
}

test('no credentials at all is anonymous; the caller decides', () => {
  assert.deepEqual(parseAuthentication(req({ host: 'h' }, 'prefix=a')), { kind: 'anonymous' });
});

test('SigV2 is detected and refused by name', () => {
  assert.equal(
    code(() => parseAuthentication(req({ authorization: 'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=' }))),
    'UnsupportedAlgorithm',
  );
  assert.match(
    message(() => parseAuthentication(req({ authorization: 'AWS AKIAIOSFODNN7EXAMPLE:x' }))),
    /Signature Version 2.*AWS4-HMAC-SHA256/,
  );
  assert.equal(
    code(() => parseAuthentication(req({}, 'AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1&Signature=x'))),
    'UnsupportedAlgorithm',
  );
  assert.equal(
    code(() => parseAuthentication(req({ authorization: 'AWS4-ECDSA-P256-SHA256 Credential=x' }))),
    'UnsupportedAlgorithm',
  );
  assert.equal(s3ErrorFor('UnsupportedAlgorithm').code, 'InvalidRequest');
});

test('malformed Authorization headers say what is missing', () => {
  const base = 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261129/us-east-1/s3/aws4_request';
  const h = (authorization: string) => req({ authorization, 'x-amz-date': '20261129T120000Z' });
  assert.equal(
    message(() => parseAuthentication(h(`${base}, Signature=abc`))),
    "Authorization header requires 'SignedHeaders' parameter.",
  );
  assert.equal(
    code(() => parseAuthentication(h(`${base}, SignedHeaders=host`))),
    'IncompleteSignature',
  );
  assert.equal(
    code(() =>
      parseAuthentication(h('AWS4-HMAC-SHA256 Credential=AKID/20261129/us-east-1/s3, SignedHeaders=host, Signature=a')),
    ),
    'IncompleteSignature',
  );
  assert.equal(
    code(() =>
      parseAuthentication(
        h('AWS4-HMAC-SHA256 Credential=AKID/20261129/us-east-1/s3/aws5_request, SignedHeaders=host, Signature=a'),
      ),
    ),
    'ScopeMismatch',
  );
  assert.equal(
    code(() => parseAuthentication(h(`${base}, SignedHeaders=host, Signature=a, Extra=1`))),
    'IncompleteSignature',
  );
  assert.equal(
    code(() => parseAuthentication(req({ authorization: `${base}, SignedHeaders=host, Signature=a` }))),
    'InvalidRequestDate',
  );
  assert.equal(
    code(() =>
      parseAuthentication(
        req({ authorization: `${base}, SignedHeaders=host, Signature=a`, 'x-amz-date': '2026-11-29T12:00:00Z' }),
      ),
    ),
    'InvalidRequestDate',
  );
  assert.equal(s3ErrorFor('IncompleteSignature').code, 'AuthorizationHeaderMalformed');
});

test('an Authorization header and a presigned query together are refused', () => {
  assert.equal(
    code(() => parseAuthentication(req({ authorization: 'AWS4-HMAC-SHA256 Credential=a' }, 'X-Amz-Signature=abc'))),
    'AmbiguousAuthentication',
  );
});

test('presigned query parameters are validated', async () => {
  const good = await presigned(60);
  const swap = (name: string, value: string | null) => {
    const params = good.query.split('&').filter((p) => !p.startsWith(name + '='));
    if (value !== null) params.push(`${name}=${value}`);
    return { ...good, query: params.join('&') };
  };
  for (const bad of ['0', '604801', 'abc', '-1', '1.5']) {
    assert.equal(
      code(() => parseAuthentication(swap('X-Amz-Expires', bad))),
      'AuthorizationQueryParametersError',
      bad,
    );
  }
  assert.equal((parseAuthentication(swap('X-Amz-Expires', '604800')) as SignedAuthInfo).kind, 'query');
  assert.equal(
    code(() => parseAuthentication(swap('X-Amz-Signature', null))),
    'AuthorizationQueryParametersError',
  );
  assert.equal(
    code(() => parseAuthentication(swap('X-Amz-Algorithm', 'AWS4-HMAC-SHA1'))),
    'AuthorizationQueryParametersError',
  );
  assert.equal(
    code(() => parseAuthentication(swap('X-Amz-Date', '20261129'))),
    'AuthorizationQueryParametersError',
  );
  assert.equal(
    code(() => parseAuthentication(swap('X-Amz-Credential', 'AKID%2F20261129'))),
    'AuthorizationQueryParametersError',
  );
  assert.equal(s3ErrorFor('ScopeMismatch', 'query').code, 'AuthorizationQueryParametersError');
});

test('header auth: clock skew over 15 minutes (or maxSkewMs) is RequestTimeTooSkewed', async () => {
  const r = await headerSigned();
  verify(r, { now: at(15 * 60) });
  verify(r, { now: at(-15 * 60) });
  assert.equal(
    code(() => verify(r, { now: at(15 * 60 + 1) })),
    'RequestTimeTooSkewed',
  );
  assert.equal(
    code(() => verify(r, { now: at(-15 * 60 - 1) })),
    'RequestTimeTooSkewed',
  );
  assert.equal(
    code(() => verify(r, { now: at(61), maxSkewMs: 60_000 })),
    'RequestTimeTooSkewed',
  );
  assert.deepEqual(s3ErrorFor('RequestTimeTooSkewed'), { code: 'RequestTimeTooSkewed', status: 403 });
});

test('presigned: valid until X-Amz-Date + X-Amz-Expires, then RequestExpired; far-future dates refused', async () => {
  const r = await presigned(3600);
  assert.equal(verify(r, { now: at(3600) }).expiresAt?.toISOString(), at(3600).toISOString());
  verify(r, { now: at(-60) });
  assert.equal(
    code(() => verify(r, { now: at(3601) })),
    'RequestExpired',
  );
  assert.match(
    message(() => verify(r, { now: at(3601) })),
    /^Request has expired/,
  );
  assert.equal(
    code(() => verify(r, { now: at(-16 * 60) })),
    'RequestNotYetValid',
  );
  assert.deepEqual(s3ErrorFor('RequestExpired'), { code: 'AccessDenied', status: 403 });
});

test('scope: service, region and date must match', async () => {
  const r = await headerSigned();
  assert.equal(
    code(() => verify(r, { service: 'lightsail' })),
    'ScopeMismatch',
  );
  assert.equal(
    code(() => verify(r, { region: 'eu-west-1' })),
    'ScopeMismatch',
  );
  verify(r, { region: 'us-east-1' });
  const otherDay = {
    ...r,
    headers: { ...r.headers, authorization: (r.headers.authorization as string).replace('/20261129/', '/20261128/') },
  };
  assert.equal(
    code(() => verify(otherDay)),
    'ScopeMismatch',
  );
});

test('payload claims: S3 header auth needs x-amz-content-sha256; unknown modes are refused', async () => {
  assert.equal(
    code(() =>
      verify(
        toSigningRequest({
          method: 'GET',
          path: '/',
          headers: {
            host: 'h',
            'x-amz-date': '20261129T120000Z',
            authorization:
              'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261129/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
              '0'.repeat(64),
          },
        }),
      ),
    ),
    'MissingPayloadHash',
  );
  const sigV4a = await headerSigned({ 'x-amz-content-sha256': 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD' });
  assert.equal(
    code(() => verify(sigV4a)),
    'InvalidPayloadMode',
  );
  const junk = await headerSigned({ 'x-amz-content-sha256': 'abc' });
  assert.equal(
    code(() => verify(junk)),
    'InvalidPayloadMode',
  );
  const streamingPresigned = await presigned(60, { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' });
  assert.equal(
    code(() => verify(streamingPresigned)),
    'InvalidPayloadMode',
  );
  assert.equal(
    verify(await headerSigned({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' })).payloadMode,
    'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  );
});

test('host must be signed; unsigned x-amz-* headers are refused on S3 only', async () => {
  const r = await headerSigned();
  const auth = parseAuthentication(r) as SignedAuthInfo;
  const noHost = { ...auth, signedHeaders: auth.signedHeaders.filter((h) => h !== 'host') };
  assert.equal(
    code(() => verifySignature(r, noHost, credentials.secretAccessKey, { now: t0, service: 's3' })),
    'IncompleteSignature',
  );
  const extra = { ...r, headers: { ...r.headers, 'x-amz-copy-source': 'other/key' } };
  assert.equal(
    code(() => verify(extra)),
    'UnsignedHeaders',
  );
  assert.deepEqual(s3ErrorFor('UnsignedHeaders'), { code: 'AccessDenied', status: 403 });
  assert.equal(
    verify(extra, { requireSignedAmzHeaders: false }).kind,
    'header',
    'unsigned headers do not change the signature',
  );
});

test('a request dated by the Date header (no x-amz-date) verifies', () => {
  // signed by hand with the public algorithm (smithy always uses x-amz-date)
  const headers = { host: 'h', date: 'Sun, 29 Nov 2026 12:00:00 GMT', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  const canonical = [
    'GET',
    '/photos/k',
    '',
    'date:Sun, 29 Nov 2026 12:00:00 GMT',
    'host:h',
    'x-amz-content-sha256:UNSIGNED-PAYLOAD',
    '',
    'date;host;x-amz-content-sha256',
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const sts = [
    'AWS4-HMAC-SHA256',
    '20261129T120000Z',
    '20261129/us-east-1/s3/aws4_request',
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  const key = signingKeyOf({
    secret: credentials.secretAccessKey,
    amzDate: '20261129T120000Z',
    region: 'us-east-1',
    service: 's3',
    seedSignature: '',
  });
  const signature = createHmac('sha256', key).update(sts).digest('hex');
  const r = req({
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20261129/us-east-1/s3/aws4_request, SignedHeaders=date;host;x-amz-content-sha256, Signature=${signature}`,
  });
  const auth = parseAuthentication(r) as SignedAuthInfo;
  assert.equal(auth.amzDate, '20261129T120000Z');
  assert.equal(verify(r).seedSignature, signature);
  assert.equal(
    code(() => verify({ ...r, headers: { ...r.headers, date: 'Sun, 29 Nov 2026 12:00:01 GMT' } })),
    'SignatureMismatch',
  );
  assert.equal(
    code(() => verify(r, { now: at(3600) })),
    'RequestTimeTooSkewed',
  );
});
