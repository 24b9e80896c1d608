/**
 * Client mistakes and hostile inputs the data plane answers with a 4xx and changes nothing for:
 * DTDs and undeclared entities in request documents, a credential scope of another region, a
 * decoded length on a body that is not aws-chunked, response-* overrides that cannot be headers,
 * keys that XML 1.0 listings could not carry (checked with Python's strict xml.etree parser).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { LightsailClient, CreateBucketCommand, CreateBucketAccessKeyCommand } from '@aws-sdk/client-lightsail';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startDataPlane, bodyBytes, type DataPlaneFixture } from './clientsHarness.js';
import { signRequest, sendRaw, errorCode, EMPTY_SHA256 } from './rawSigner.js';
import { uniqueBucketName } from '../helpers/server.js';

let fx: DataPlaneFixture;
let host: string;
before(async () => {
  fx = await startDataPlane();
  host = new URL(fx.server.endpoint).host;
});
after(async () => {
  await fx?.close();
});

const sha256Hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A hand-signed request to the fixture bucket (path already percent-encoded). */
function signed(
  method: string,
  key: string,
  opts: { query?: string; headers?: Record<string, string>; body?: Buffer },
) {
  const body = opts.body ?? Buffer.alloc(0);
  const path = `/${fx.bucket}${key === '' ? '' : `/${key}`}`;
  const s = signRequest({
    method,
    path,
    query: opts.query,
    creds: fx.key,
    payloadHash: body.length === 0 ? EMPTY_SHA256 : sha256Hex(body),
    headers: { host, ...(opts.headers ?? {}) },
  });
  return sendRaw(fx.server.endpoint, { method, path, query: opts.query, headers: s.headers, body: [body] });
}

const exists = async (key: string): Promise<boolean> => {
  try {
    await fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: key }));
    return true;
  } catch (e) {
    if ((e as { name?: string }).name === 'NotFound') return false;
    throw e;
  }
};

/** Parses XML with Python's xml.etree (a strict XML 1.0 parser); returns the texts of the given tag. */
function etreeTexts(xml: Buffer, tag: string): string[] {
  const script = `import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
print(json.dumps([e.text or '' for e in root.iter() if e.tag.split('}')[-1] == sys.argv[1]]))`;
  return JSON.parse(execFileSync('python3', ['-c', script, tag], { input: xml }).toString()) as string[];
}

test('DeleteObjects with a DOCTYPE or an undeclared entity is MalformedXML and deletes nothing', async () => {
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'victim', Body: 'keep me' }));
  for (const doc of [
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY v "victim">]><Delete><Object><Key>&v;</Key></Object></Delete>',
    '<Delete><Object><Key>&v;</Key></Object></Delete>',
    '<Delete><Object><Key>vict&#x1;im</Key></Object></Delete>',
  ]) {
    const body = Buffer.from(doc);
    const md5 = createHash('md5').update(body).digest('base64');
    const res = await signed('POST', '', { query: 'delete=', headers: { 'content-md5': md5 }, body });
    assert.equal(res.status, 400, res.body.toString());
    assert.equal(errorCode(res.body), 'MalformedXML', doc);
    assert.equal(await exists('victim'), true, `victim survives ${doc}`);
  }
});

test('a signature scoped to another region: AuthorizationHeaderMalformed (header) / AuthorizationQueryParametersError (presigned), with <Region>', async () => {
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'region/x', Body: 'x' }));
  const wrong = new S3Client({ endpoint: fx.server.endpoint, region: 'eu-west-3', credentials: fx.key });
  try {
    await assert.rejects(
      wrong.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'region/x' })),
      (e: S3ServiceException & { Region?: string }) =>
        e.name === 'AuthorizationHeaderMalformed' &&
        e.$metadata.httpStatusCode === 400 &&
        e.message === "The authorization header is malformed; the region 'eu-west-3' is wrong; expecting 'us-east-1'" &&
        e.Region === 'us-east-1',
    );
    await assert.rejects(
      wrong.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'region/new', Body: 'y' })),
      (e: S3ServiceException) => e.name === 'AuthorizationHeaderMalformed',
    );
    assert.equal(await exists('region/new'), false);
    const url = await getSignedUrl(wrong, new GetObjectCommand({ Bucket: fx.bucket, Key: 'region/x' }), {
      expiresIn: 300,
    });
    const res = await fetch(url);
    const text = await res.text();
    assert.equal(res.status, 400, text);
    assert.equal(errorCode(Buffer.from(text)), 'AuthorizationQueryParametersError');
    assert.match(text, /the region &apos;eu-west-3&apos; is wrong; expecting &apos;us-east-1&apos;/);
    assert.match(text, /<Region>us-east-1<\/Region>/);
  } finally {
    wrong.destroy();
  }
  const right = await getSignedUrl(fx.s3, new GetObjectCommand({ Bucket: fx.bucket, Key: 'region/x' }), {
    expiresIn: 300,
  });
  assert.equal(await (await fetch(right)).text(), 'x');
});

test("a bucket the control plane made in another Lightsail region expects its own region's scope", async () => {
  const ls = new LightsailClient({
    endpoint: fx.server.endpoint,
    region: 'eu-west-3',
    credentials: fx.server.credentials,
  });
  const bucket = uniqueBucketName('paris');
  let key: { accessKeyId: string; secretAccessKey: string };
  try {
    await ls.send(new CreateBucketCommand({ bucketName: bucket, bundleId: 'small_1_0' }));
    const out = await ls.send(new CreateBucketAccessKeyCommand({ bucketName: bucket }));
    key = { accessKeyId: out.accessKey!.accessKeyId!, secretAccessKey: out.accessKey!.secretAccessKey! };
  } finally {
    ls.destroy();
  }
  const paris = new S3Client({ endpoint: fx.server.endpoint, region: 'eu-west-3', credentials: key });
  const virginia = new S3Client({ endpoint: fx.server.endpoint, region: 'us-east-1', credentials: key });
  try {
    await paris.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'bonjour' }));
    await assert.rejects(
      virginia.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })),
      (e: S3ServiceException & { Region?: string }) =>
        e.name === 'AuthorizationHeaderMalformed' &&
        /expecting 'eu-west-3'/.test(e.message) &&
        e.Region === 'eu-west-3',
    );
    const got = await paris.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    assert.equal((await bodyBytes(got.Body)).toString(), 'bonjour');
  } finally {
    paris.destroy();
    virginia.destroy();
  }
});

test('x-amz-decoded-content-length on a body that is not aws-chunked, disagreeing with it: 400, nothing stored', async () => {
  for (const decoded of ['3', '100000', 'abc']) {
    const res = await signed('PUT', 'decoded/x', {
      headers: { 'x-amz-decoded-content-length': decoded },
      body: Buffer.from('0123456789'),
    });
    assert.equal(res.status, 400, res.body.toString());
    assert.equal(errorCode(res.body), 'InvalidRequest');
    assert.equal(await exists('decoded/x'), false);
  }
  // Repeating Content-Length is harmless.
  const ok = await signed('PUT', 'decoded/y', {
    headers: { 'x-amz-decoded-content-length': '10' },
    body: Buffer.from('0123456789'),
  });
  assert.equal(ok.status, 200, ok.body.toString());
});

test('response-* overrides holding CR, LF or NUL are InvalidArgument; other text is sent', async () => {
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'override/x', Body: 'x' }));
  for (const [param, value] of [
    ['response-content-type', 'text/plain\r\nSet-Cookie: a=b'],
    ['response-content-disposition', 'attachment\n'],
    ['response-cache-control', 'no-cache\u0000'],
    ['response-content-language', 'en\r'],
    ['response-expires', 'x\u0001'],
    ['response-content-encoding', 'gzip\n\nx'],
  ] as const) {
    for (const method of ['GET', 'HEAD']) {
      const res = await signed(method, 'override/x', { query: `${param}=${encodeURIComponent(value)}` });
      assert.equal(res.status, 400, `${method} ${param}`);
      if (method === 'GET') {
        assert.equal(errorCode(res.body), 'InvalidArgument');
        assert.match(res.body.toString(), new RegExp(`<ArgumentName>${param}</ArgumentName>`));
      }
    }
  }
  const res = await signed('GET', 'override/x', {
    query: `response-content-disposition=${encodeURIComponent('attachment; filename="日本.txt"')}`,
  });
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-disposition']), /^attachment; filename=".+\.txt"$/);
});

test('keys with characters XML 1.0 cannot carry are refused at write time; TAB, LF and CR list fine for xml.etree', async () => {
  for (const key of ['ctl/nul\u0000', 'ctl/soh\u0001', 'ctl/vt\u000b', 'ctl/us\u001f', 'ctl/ffff\uffff']) {
    await assert.rejects(
      fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: 'x' })),
      (e: S3ServiceException) =>
        e.name === 'InvalidArgument' &&
        e.$metadata.httpStatusCode === 400 &&
        /cannot contain the control character/.test(e.message),
      JSON.stringify(key),
    );
    // The error document itself parses with a strict parser (the resource is percent-encoded).
    const path = key
      .split('/')
      .map((p) => encodeURIComponent(p))
      .join('/');
    const raw = await signed('PUT', path, { body: Buffer.from('x') });
    assert.equal(raw.status, 400);
    assert.deepEqual(etreeTexts(raw.body, 'Code'), ['InvalidArgument']);
  }
  const allowed = ['ctl/tab\there', 'ctl/lf\nhere', 'ctl/cr\rhere', 'ctl/amp&<lt>'];
  for (const key of allowed) await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: 'x' }));
  const listed = await fx.s3.send(new ListObjectsV2Command({ Bucket: fx.bucket, Prefix: 'ctl/' }));
  assert.deepEqual(listed.Contents?.map((c) => c.Key).sort(), [...allowed].sort());
  // The same listing without encoding-type=url, parsed by Python's strict parser.
  const res = await signed('GET', '', { query: 'list-type=2&prefix=ctl%2F' });
  assert.equal(res.status, 200);
  assert.deepEqual(etreeTexts(res.body, 'Key').sort(), [...allowed].sort());
});

test('none of these client mistakes was logged as an error or with a stack trace', () => {
  const logs = fx.server.stdout() + fx.server.stderr();
  assert.ok(logs.includes('"level":"info"'), 'the server logs at info');
  assert.doesNotMatch(logs, /"level":"error"/);
  assert.doesNotMatch(logs, /"stack"/);
});
