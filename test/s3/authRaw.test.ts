/**
 * What SDKs never send, by hand: SigV2 (header and query), a skewed clock, a bad signature,
 * malformed authorization; and Expect: 100-continue refused before the body for unauthorized
 * uploads, continued for authorized ones.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { accountsFor, type Accounts } from './support/accounts.js';
import { send, sendAs, type Creds } from './support/s3Requests.js';
import { signRequest } from './rawSigner.js';

let server: TestServer;
let accounts: Accounts;
let bucket: string;
let key: Creds;
let host: string;

before(async () => {
  server = await startServer();
  accounts = accountsFor(server.endpoint, server.credentials);
  bucket = uniqueBucketName('raw');
  await accounts.createBucket(bucket);
  key = await accounts.createKey(bucket);
  host = new URL(server.endpoint).host;
});

after(async () => {
  accounts?.close();
  await server?.stop();
});

test('SigV2 header and query authentication are refused with a clear message', async () => {
  const h = await send(server.endpoint, {
    method: 'GET',
    path: `/${bucket}`,
    headers: { host, date: new Date().toUTCString(), authorization: `AWS ${key.accessKeyId}:c2lnbmF0dXJlCg==` },
  });
  assert.equal(h.status, 400, h.body);
  assert.equal(h.code, 'InvalidRequest');
  assert.match(h.message ?? '', /AWS4-HMAC-SHA256/);
  const q = await send(server.endpoint, {
    method: 'GET',
    path: `/${bucket}/k`,
    query: { AWSAccessKeyId: key.accessKeyId, Expires: String(Math.floor(Date.now() / 1000) + 60), Signature: 'abc=' },
    headers: { host },
  });
  assert.equal(q.status, 400, q.body);
  assert.equal(q.code, 'InvalidRequest');
  assert.match(q.message ?? '', /AWS4-HMAC-SHA256/);
});

test('a clock skewed by more than 15 minutes is RequestTimeTooSkewed; 14 minutes passes', async () => {
  const skewed = await sendAs(
    server.endpoint,
    { kind: 'header', creds: key, signingDate: new Date(Date.now() - 20 * 60_000) },
    { method: 'GET', path: `/${bucket}`, query: { 'list-type': '2' } },
  );
  assert.equal(`${skewed.status} ${skewed.code}`, '403 RequestTimeTooSkewed', skewed.body);
  const future = await sendAs(
    server.endpoint,
    { kind: 'header', creds: key, signingDate: new Date(Date.now() + 20 * 60_000) },
    { method: 'GET', path: `/${bucket}`, query: { 'list-type': '2' } },
  );
  assert.equal(`${future.status} ${future.code}`, '403 RequestTimeTooSkewed', future.body);
  const near = await sendAs(
    server.endpoint,
    { kind: 'header', creds: key, signingDate: new Date(Date.now() - 14 * 60_000) },
    { method: 'GET', path: `/${bucket}`, query: { 'list-type': '2' } },
  );
  assert.equal(near.status, 200, near.body);
});

test('a bad signature is SignatureDoesNotMatch; a changed path after signing too', async () => {
  const signed = signRequest({
    method: 'GET',
    path: `/${bucket}`,
    query: 'list-type=2',
    headers: { host },
    payloadHash: 'UNSIGNED-PAYLOAD',
    creds: key,
  });
  const good = await send(server.endpoint, {
    method: 'GET',
    path: `/${bucket}`,
    query: { 'list-type': '2' },
    headers: signed.headers,
  });
  assert.equal(good.status, 200, good.body);
  const bad = {
    ...signed.headers,
    authorization: signed.headers.authorization.replace(/Signature=[0-9a-f]+/, `Signature=${'0'.repeat(64)}`),
  };
  const r1 = await send(server.endpoint, {
    method: 'GET',
    path: `/${bucket}`,
    query: { 'list-type': '2' },
    headers: bad,
  });
  assert.equal(`${r1.status} ${r1.code}`, '403 SignatureDoesNotMatch', r1.body);
  const r2 = await send(server.endpoint, {
    method: 'GET',
    path: `/${bucket}`,
    query: { 'list-type': '2', prefix: 'x' },
    headers: signed.headers,
  });
  assert.equal(`${r2.status} ${r2.code}`, '403 SignatureDoesNotMatch', r2.body);
  assert.ok(!r2.body.includes(key.secretAccessKey), 'the secret never appears in an error');
});

test('malformed authorization headers are refused naming the problem', async () => {
  const r = await send(server.endpoint, {
    method: 'GET',
    path: `/${bucket}`,
    headers: {
      host,
      'x-amz-date': '20260101T000000Z',
      authorization: `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/20260101/us-east-1/s3/aws4_request`,
    },
  });
  assert.equal(r.status, 400, r.body);
  assert.equal(r.code, 'AuthorizationHeaderMalformed');
});

function putWithContinue(
  headers: Record<string, string>,
  path: string,
  body: Buffer,
): Promise<{ status: number; continued: boolean; text: string }> {
  const u = new URL(server.endpoint);
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = request({
      host: u.hostname,
      port: Number(u.port),
      method: 'PUT',
      path,
      headers: { ...headers, expect: '100-continue', 'content-length': String(body.length) },
    });
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.on('response', (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (d: string) => {
          text += d;
        })
        .on('end', () => resolve({ status: res.statusCode ?? 0, continued, text }));
    });
    req.on('error', (err) => (continued ? reject(err) : resolve({ status: -1, continued, text: String(err) })));
    req.setTimeout(10_000, () => req.destroy(new Error('100-continue request timed out')));
    req.flushHeaders();
  });
}

test('Expect: 100-continue: unauthenticated and unauthorized uploads are refused before the body', async () => {
  const body = Buffer.alloc(64 * 1024, 7);
  const anon = await putWithContinue({ host }, `/${bucket}/continue-anon`, body);
  assert.equal(anon.status, 403);
  assert.equal(anon.continued, false, 'no 100 Continue for an anonymous upload');
  const other = uniqueBucketName('nope');
  const signedElsewhere = signRequest({
    method: 'PUT',
    path: `/${other}/x`,
    headers: { host, 'content-length': String(body.length), expect: '100-continue' },
    payloadHash: 'UNSIGNED-PAYLOAD',
    creds: key,
  });
  const denied = await putWithContinue(signedElsewhere.headers, `/${other}/x`, body);
  assert.equal(denied.status, 403);
  assert.equal(denied.continued, false, 'no 100 Continue for another bucket');
  const signed = signRequest({
    method: 'PUT',
    path: `/${bucket}/continue-ok`,
    headers: { host, 'content-length': String(body.length), expect: '100-continue' },
    payloadHash: 'UNSIGNED-PAYLOAD',
    creds: key,
  });
  const ok = await putWithContinue(signed.headers, `/${bucket}/continue-ok`, body);
  assert.equal(ok.continued, true, '100 Continue for an authorized upload');
  assert.equal(ok.status, 200, ok.text);
});

test('every response carries x-amz-request-id and x-amz-id-2, errors included', async () => {
  const r = await send(server.endpoint, { method: 'GET', path: `/${bucket}/nothing`, headers: { host } });
  assert.equal(r.status, 403);
  assert.match(String(r.headers['x-amz-request-id']), /^[0-9A-F]{16}$/);
  assert.ok(r.headers['x-amz-id-2']);
  assert.match(r.body, /<RequestId>[0-9A-F]{16}<\/RequestId>/);
  assert.match(r.body, new RegExp(`<Resource>/${bucket}/nothing</Resource>`));
});
