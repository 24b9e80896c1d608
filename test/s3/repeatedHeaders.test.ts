/**
 * A header sent more than once is signed as its values joined with ',' (SigV4), while node's
 * req.headers joins them with ', ' (or keeps only the first, for content-type and the like).
 * Requests with a repeated signed header verify; the same signature over the values in another
 * order does not.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request, type OutgoingHttpHeaders } from 'node:http';
import { startInProcessS3, type InProcessS3 } from './support/inProcessS3.js';
import type { Creds } from './support/s3Requests.js';
import { errorCode, signRequest } from './rawSigner.js';

let s3: InProcessS3;
let key: Creds;
let host: string;
const bucket = 'repeated-headers';

before(async () => {
  s3 = await startInProcessS3({ fsync: false });
  await s3.createBucket(bucket);
  key = await s3.createKey(bucket);
  host = new URL(s3.endpoint).host;
});

after(async () => {
  await s3?.close();
});

/** Sends with header values as given: an array becomes one header line per value, in order. */
function send(path: string, query: string, headers: OutgoingHttpHeaders): Promise<{ status: number; body: Buffer }> {
  const u = new URL(s3.endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method: 'GET', path: `${path}?${query}`, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no response to GET ${path} within 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Signs `name` as the SigV4 canonical value of `values` (trimmed, joined with ','), then sends them as separate lines. */
async function roundTrip(
  name: string,
  signedValues: string[],
  sentValues: string[],
): Promise<{ status: number; code: string | undefined; body: string }> {
  const path = `/${bucket}`;
  const query = 'list-type=2';
  const signed = signRequest({
    method: 'GET',
    path,
    query,
    payloadHash: 'UNSIGNED-PAYLOAD',
    creds: key,
    headers: { host, [name]: signedValues.map((v) => v.trim()).join(',') },
  });
  const r = await send(path, query, { ...signed.headers, [name]: sentValues });
  return { status: r.status, code: errorCode(r.body), body: r.body.toString('utf8') };
}

test('a repeated signed x-amz-* header (node joins it with ", ") verifies', async () => {
  const r = await roundTrip('x-amz-meta-trace', ['first', 'second', 'third'], ['first', 'second', 'third']);
  assert.equal(r.status, 200, r.body);
});

test('a repeated signed header node keeps only once (content-type) verifies', async () => {
  const r = await roundTrip('content-type', ['text/plain', 'application/xml'], ['text/plain', 'application/xml']);
  assert.equal(r.status, 200, r.body);
});

test('values of a repeated header are trimmed one by one before joining', async () => {
  const r = await roundTrip('x-amz-meta-trace', ['a', 'b  c'], [' a ', 'b  c  ']);
  assert.equal(r.status, 200, r.body);
});

test('the same signature with the repeated values swapped is SignatureDoesNotMatch', async () => {
  const r = await roundTrip('x-amz-meta-trace', ['first', 'second'], ['second', 'first']);
  assert.equal(`${r.status} ${r.code}`, '403 SignatureDoesNotMatch', r.body);
  const ct = await roundTrip('content-type', ['text/plain', 'application/xml'], ['application/xml', 'text/plain']);
  assert.equal(`${ct.status} ${ct.code}`, '403 SignatureDoesNotMatch', ct.body);
});

test('a header signed once but sent twice is SignatureDoesNotMatch', async () => {
  const r = await roundTrip('x-amz-meta-trace', ['first'], ['first', 'first']);
  assert.equal(`${r.status} ${r.code}`, '403 SignatureDoesNotMatch', r.body);
});
