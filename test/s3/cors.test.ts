/** CORS preflights and response headers from the bucket's rules (set as the control plane stores them). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { findCorsRule, wildcardMatch } from '../../src/s3/cors.js';
import { startInProcessS3, type InProcessS3 } from './support/inProcessS3.js';
import { send, sendAs, type Creds } from './support/s3Requests.js';

test('wildcards and first-match rule selection', () => {
  assert.equal(wildcardMatch('https://*.example.com', 'https://app.example.com'), true);
  assert.equal(wildcardMatch('https://*.example.com', 'https://example.org'), false);
  assert.equal(wildcardMatch('*', 'http://x'), true);
  assert.equal(wildcardMatch('x-amz-*', 'x-amz-date'), true);
  const rules = [
    { id: 'put', allowedMethods: ['PUT'], allowedOrigins: ['https://up.example'], allowedHeaders: ['content-type'] },
    { id: 'any', allowedMethods: ['GET', 'PUT'], allowedOrigins: ['*'], allowedHeaders: ['*'] },
  ];
  assert.equal(findCorsRule(rules, 'https://up.example', 'PUT', ['content-type'])?.id, 'put');
  assert.equal(findCorsRule(rules, 'https://up.example', 'PUT', ['x-custom'])?.id, 'any');
  assert.equal(findCorsRule(rules, 'https://up.example', 'DELETE'), undefined);
});

let s3: InProcessS3;
let key: Creds;
const caller = () => ({ accountId: s3.accountId, region: 'us-east-1' });

before(async () => {
  s3 = await startInProcessS3({ fsync: false });
  await s3.createBucket('cors-on');
  await s3.createBucket('cors-off');
  key = await s3.createKey('cors-on');
  await s3.buckets.update(caller(), 'cors-on', {
    cors: [
      {
        allowedMethods: ['GET', 'PUT'],
        allowedOrigins: ['https://*.example.com'],
        allowedHeaders: ['content-type', 'x-amz-*'],
        exposeHeaders: ['ETag'],
        maxAgeSeconds: 600,
      },
    ],
  });
});

after(async () => {
  await s3?.close();
});

const host = () => new URL(s3.endpoint).host;

test('a matching preflight gets the rule back; others are AccessForbidden', async () => {
  const ok = await send(s3.endpoint, {
    method: 'OPTIONS',
    path: '/cors-on/photo.jpg',
    headers: {
      host: host(),
      origin: 'https://app.example.com',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'Content-Type, X-Amz-Date',
    },
  });
  assert.equal(ok.status, 200, ok.body);
  assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example.com');
  assert.equal(ok.headers['access-control-allow-methods'], 'GET, PUT');
  assert.equal(ok.headers['access-control-allow-headers'], 'content-type, x-amz-date');
  assert.equal(ok.headers['access-control-expose-headers'], 'ETag');
  assert.equal(ok.headers['access-control-max-age'], '600');
  for (const [headers, why] of [
    [{ origin: 'https://evil.test', 'access-control-request-method': 'GET' }, 'origin'],
    [{ origin: 'https://app.example.com', 'access-control-request-method': 'DELETE' }, 'method'],
    [
      {
        origin: 'https://app.example.com',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization',
      },
      'header',
    ],
  ] as const) {
    const r = await send(s3.endpoint, {
      method: 'OPTIONS',
      path: '/cors-on/photo.jpg',
      headers: { host: host(), ...headers },
    });
    assert.equal(`${r.status} ${r.code}`, '403 AccessForbidden', why);
  }
  const off = await send(s3.endpoint, {
    method: 'OPTIONS',
    path: '/cors-off',
    headers: { host: host(), origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
  });
  assert.equal(`${off.status} ${off.code}`, '403 AccessForbidden');
  const noOrigin = await send(s3.endpoint, {
    method: 'OPTIONS',
    path: '/cors-on/x',
    headers: { host: host(), 'access-control-request-method': 'GET' },
  });
  assert.equal(`${noOrigin.status} ${noOrigin.code}`, '400 BadRequest');
});

test("actual cross-origin requests carry the matching rule's headers", async () => {
  const r = await sendAs(
    s3.endpoint,
    { kind: 'header', creds: key },
    { method: 'GET', path: '/cors-on', query: { 'list-type': '2' }, headers: { origin: 'https://www.example.com' } },
  );
  assert.equal(r.status, 200);
  assert.equal(r.headers['access-control-allow-origin'], 'https://www.example.com');
  const other = await sendAs(
    s3.endpoint,
    { kind: 'header', creds: key },
    { method: 'GET', path: '/cors-on', query: { 'list-type': '2' }, headers: { origin: 'https://evil.test' } },
  );
  assert.equal(other.status, 200);
  assert.equal(other.headers['access-control-allow-origin'], undefined);
});
