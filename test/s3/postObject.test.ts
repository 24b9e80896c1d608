/**
 * POST object (browser form uploads) with the clients that make such forms: @aws-sdk/s3-presigned-post
 * with Node's fetch/FormData, and boto3's generate_presigned_post with requests; hand-built forms for
 * what those never send (tampered signatures, oversized fields, SigV2 forms, malformed policies).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import {
  DeleteBucketLifecycleCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketLifecycleConfigurationCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPostOptions } from '@aws-sdk/s3-presigned-post';
import { REGION, startDataPlane, type Credentials, type DataPlaneFixture } from './clientsHarness.js';

const run = promisify(execFile);

let fx: DataPlaneFixture;
let other: { bucket: string; key: Credentials };
before(async () => {
  fx = await startDataPlane();
  other = await fx.newBucket('post-other');
});
after(async () => {
  await fx?.close();
});

type Fields = Record<string, string>;

async function presign(
  creds: Credentials,
  opts: Omit<PresignedPostOptions, 'Bucket'> & { Bucket?: string },
): Promise<{ url: string; fields: Fields }> {
  return createPresignedPost(fx.s3For(creds), { Bucket: fx.bucket, ...opts });
}

/** POSTs the fields, then the file (last, as browsers and S3 want it). */
async function post(
  url: string,
  fields: Fields,
  file: Buffer | string,
  filename = 'file.bin',
  init: RequestInit = {},
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([typeof file === 'string' ? file : new Uint8Array(file)]), filename);
  return fetch(url, { method: 'POST', body: form, redirect: 'manual', ...init });
}

const codeOf = async (r: Response): Promise<[number, string, string]> => {
  const text = await r.text();
  const unescape = (v: string): string =>
    v
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [
    r.status,
    /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '',
    unescape(/<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? ''),
  ];
};

/** The form signature of `policy` (base64) with the fixture's key, scoped to `date` and `region` (SigV4, as the SDK signs). */
function signPolicy(policy: string, date: string, region: string): string {
  let k = createHmac('sha256', 'AWS4' + fx.key.secretAccessKey)
    .update(date)
    .digest();
  for (const part of [region, 's3', 'aws4_request']) k = createHmac('sha256', k).update(part).digest();
  return createHmac('sha256', k).update(policy).digest('hex');
}

async function exists(key: string): Promise<boolean> {
  try {
    await fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

test('@aws-sdk/s3-presigned-post: a bucket key uploads with ${filename}, headers, metadata and status 201', async () => {
  const { url, fields } = await presign(fx.key, {
    Key: 'uploads/${filename}',
    Conditions: [
      ['content-length-range', 1, 1024 * 1024],
      // Checked against the key with ${filename} replaced.
      ['starts-with', '$key', 'uploads/greeting'],
      ['starts-with', '$Content-Type', 'text/'],
    ],
    Fields: { 'Content-Type': 'text/plain', 'x-amz-meta-color': 'blue', success_action_status: '201' },
    Expires: 600,
  });
  const body = 'hello from a browser form\n';
  const r = await post(url, fields, body, 'greeting.txt');
  assert.equal(r.status, 201, await r.clone().text());
  const xml = await r.text();
  assert.match(xml, /<Key>uploads\/greeting\.txt<\/Key>/);
  assert.match(xml, new RegExp(`<Bucket>${fx.bucket}</Bucket>`));
  assert.match(xml, /<ETag>&quot;[0-9a-f]{32}&quot;<\/ETag>|<ETag>"[0-9a-f]{32}"<\/ETag>/);
  assert.match(r.headers.get('etag') ?? '', /^"[0-9a-f]{32}"$/);
  const got = await fx.s3.send(
    new GetObjectCommand({ Bucket: fx.bucket, Key: 'uploads/greeting.txt', ChecksumMode: 'ENABLED' }),
  );
  assert.equal(await got.Body!.transformToString(), body);
  assert.equal(got.ContentType, 'text/plain');
  assert.deepEqual(got.Metadata, { color: 'blue' });
  assert.ok(got.ChecksumCRC64NVME, 'a form upload gets the default CRC64NVME like any new object');
});

test('a form upload under a lifecycle Expiration rule is answered with x-amz-expiration', async () => {
  const root = fx.s3For(fx.server.credentials);
  await root.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: fx.bucket,
      LifecycleConfiguration: {
        Rules: [{ ID: 'form-expiry', Status: 'Enabled', Filter: { Prefix: 'expiring/' }, Expiration: { Days: 3 } }],
      },
    }),
  );
  try {
    const { url, fields } = await presign(fx.key, { Key: 'expiring/form', Expires: 600 });
    const r = await post(url, fields, 'gone in three days');
    assert.equal(r.status, 204, await r.text());
    const head = await fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'expiring/form' }));
    const day = 86_400_000;
    const due = Math.ceil((head.LastModified!.getTime() + 3 * day) / day) * day;
    const expected = `expiry-date="${new Date(due).toUTCString()}", rule-id="form-expiry"`;
    assert.equal(r.headers.get('x-amz-expiration'), expected);
    assert.equal(head.Expiration, expected);
    const outside = await presign(fx.key, { Key: 'kept/form', Expires: 600 });
    const r2 = await post(outside.url, outside.fields, 'kept');
    assert.equal(r2.status, 204);
    assert.equal(r2.headers.get('x-amz-expiration'), null);
  } finally {
    await root.send(new DeleteBucketLifecycleCommand({ Bucket: fx.bucket }));
  }
});

test('default status 204, 200 on request, and a 303 redirect with bucket, key and etag', async () => {
  const p204 = await presign(fx.key, { Key: 'status/204', Expires: 600 });
  const r204 = await post(p204.url, p204.fields, 'a');
  assert.equal(r204.status, 204);
  assert.equal(await r204.text(), '');

  const p200 = await presign(fx.key, { Key: 'status/200', Fields: { success_action_status: '200' }, Expires: 600 });
  assert.equal((await post(p200.url, p200.fields, 'b')).status, 200);

  const redirect = 'https://app.example/done?from=form';
  const p303 = await presign(fx.key, {
    Key: 'status/303',
    Fields: { success_action_redirect: redirect },
    Expires: 600,
  });
  const r303 = await post(p303.url, p303.fields, 'c');
  assert.equal(r303.status, 303);
  const loc = new URL(r303.headers.get('location') ?? '');
  assert.equal(loc.origin + loc.pathname, 'https://app.example/done');
  assert.equal(loc.searchParams.get('from'), 'form');
  assert.equal(loc.searchParams.get('bucket'), fx.bucket);
  assert.equal(loc.searchParams.get('key'), 'status/303');
  assert.match(loc.searchParams.get('etag') ?? '', /^"[0-9a-f]{32}"$/);
});

test('a 20 MiB file streams in and reads back byte for byte', async () => {
  const big = randomBytes(20 * 1024 * 1024);
  const { url, fields } = await presign(fx.key, { Key: 'big/file', Expires: 600 });
  const r = await post(url, fields, big);
  assert.equal(r.status, 204, await r.clone().text());
  const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'big/file' }));
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(big));
});

test('policy violations are refused as S3 names them and store nothing', async () => {
  const range = await presign(fx.key, {
    Key: 'refused/range',
    Conditions: [['content-length-range', 10, 20]],
    Expires: 600,
  });
  assert.deepEqual((await codeOf(await post(range.url, range.fields, 'x'.repeat(21)))).slice(0, 2), [
    400,
    'EntityTooLarge',
  ]);
  assert.deepEqual((await codeOf(await post(range.url, range.fields, 'x'.repeat(9)))).slice(0, 2), [
    400,
    'EntityTooSmall',
  ]);
  assert.equal(await exists('refused/range'), false);

  const prefix = await presign(fx.key, {
    Key: 'refused/prefix',
    Conditions: [['starts-with', '$key', 'allowed/']],
    Expires: 600,
  });
  const [status, code, message] = await codeOf(await post(prefix.url, prefix.fields, 'x'));
  assert.deepEqual([status, code], [403, 'AccessDenied']);
  assert.match(
    message,
    /Invalid according to Policy: Policy Condition failed: \["starts-with", "\$key", "allowed\/"\]/,
  );

  const extra = await presign(fx.key, { Key: 'refused/extra', Expires: 600 });
  const [, extraCode, extraMessage] = await codeOf(
    await post(extra.url, { ...extra.fields, 'x-amz-meta-sneaky': 'yes' }, 'x'),
  );
  assert.equal(extraCode, 'AccessDenied');
  assert.match(extraMessage, /Extra input fields: x-amz-meta-sneaky/);
  assert.deepEqual(
    (await codeOf(await post(extra.url, { ...extra.fields, 'x-ignore-note': 'fine' }, 'x'))).slice(0, 1),
    [204],
    'x-ignore-* fields need no condition',
  );

  const tampered = await presign(fx.key, { Key: 'refused/tampered', Expires: 600 });
  const sig = tampered.fields['X-Amz-Signature'];
  const flipped = (sig[0] === '0' ? '1' : '0') + sig.slice(1);
  assert.deepEqual(
    (await codeOf(await post(tampered.url, { ...tampered.fields, 'X-Amz-Signature': flipped }, 'x'))).slice(0, 2),
    [403, 'SignatureDoesNotMatch'],
  );
  assert.equal(await exists('refused/tampered'), false);

  const expiring = await presign(fx.key, { Key: 'refused/expired', Expires: 1 });
  await new Promise((r) => setTimeout(r, 2100));
  const [expStatus, expCode, expMessage] = await codeOf(await post(expiring.url, expiring.fields, 'x'));
  assert.deepEqual([expStatus, expCode], [403, 'AccessDenied']);
  assert.match(expMessage, /Policy expired/);
  assert.equal(await exists('refused/expired'), false);
});

test('a bucket key posts only into its own bucket; anonymous forms are refused', async () => {
  const { url, fields } = await presign(fx.key, { Bucket: other.bucket, Key: 'not-mine', Expires: 600 });
  const [status, code] = await codeOf(await post(url, fields, 'x'));
  assert.deepEqual([status, code], [403, 'AccessDenied']);

  const anon = await codeOf(await post(`${fx.server.endpoint}/${fx.bucket}`, { key: 'anon' }, 'x'));
  assert.deepEqual(anon.slice(0, 2), [403, 'AccessDenied']);
  assert.match(anon[2], /anonymous POST uploads are not allowed/);
  assert.equal(await exists('anon'), false);
});

test('malformed forms: bad policy, missing key, oversized fields, SigV2 without --sigv2, not multipart', async () => {
  const base = await presign(fx.key, { Key: 'malformed/x', Expires: 600 });
  const notJson = await codeOf(
    await post(base.url, { ...base.fields, Policy: Buffer.from('{not json').toString('base64') }, 'x'),
  );
  // The signature covers the policy, so a changed policy is first a signature mismatch.
  assert.deepEqual(notJson.slice(0, 2), [403, 'SignatureDoesNotMatch']);

  // A well-signed policy that is not JSON: signed here the way the SDK signs (SigV4 over the base64).
  const policy = Buffer.from('{not json').toString('base64');
  const [, date, region] = base.fields['X-Amz-Credential'].split('/');
  const signed = { ...base.fields, Policy: policy, 'X-Amz-Signature': signPolicy(policy, date, region) };
  assert.deepEqual((await codeOf(await post(base.url, signed, 'x'))).slice(0, 2), [400, 'InvalidPolicyDocument']);

  const { key: _key, ...withoutKey } = base.fields;
  void _key;
  const noKey = await codeOf(await post(base.url, withoutKey, 'x'));
  assert.deepEqual(noKey.slice(0, 2), [400, 'InvalidArgument']);
  assert.match(noKey[2], /must contain a field named 'key'/);

  const huge = await codeOf(await post(base.url, { 'x-ignore-pad': 'p'.repeat(70 * 1024), ...base.fields }, 'x'));
  assert.deepEqual(huge.slice(0, 2), [400, 'MaxPostPreDataLengthExceededError']);

  const v2 = await codeOf(
    await post(base.url, { key: 'malformed/v2', AWSAccessKeyId: fx.key.accessKeyId, policy, signature: 'abc=' }, 'x'),
  );
  assert.deepEqual(v2.slice(0, 2), [400, 'InvalidArgument']);
  assert.match(v2[2], /Signature Version 2 POST forms .* are not accepted/);

  const plain = await fetch(`${fx.server.endpoint}/${fx.bucket}`, {
    method: 'POST',
    body: 'key=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const [pStatus, pCode] = await codeOf(plain);
  assert.deepEqual([pStatus, pCode], [400, 'MalformedPOSTRequest']);
  assert.equal(await exists('malformed/x'), false);
});

test('form credentials: wrong region, malformed credential or date, unknown algorithm, no file', async () => {
  const base = await presign(fx.key, { Key: 'creds/x', Expires: 600 });
  const [id, date] = base.fields['X-Amz-Credential'].split('/');
  // Validly signed, but for another region than the bucket's.
  const otherRegion = {
    ...base.fields,
    'X-Amz-Credential': `${id}/${date}/eu-west-1/s3/aws4_request`,
    'X-Amz-Signature': signPolicy(base.fields.Policy, date, 'eu-west-1'),
  };
  const region = await codeOf(await post(base.url, otherRegion, 'x'));
  assert.deepEqual(region.slice(0, 2), [400, 'InvalidArgument']);
  assert.match(region[2], /names region 'eu-west-1'; bucket '.*' is in 'us-east-1'/);

  const cases: [Fields, RegExp][] = [
    [
      { ...base.fields, 'X-Amz-Credential': `${id}/${date}/us-east-1/s3` },
      /must be ACCESS_KEY_ID\/YYYYMMDD\/REGION\/s3\/aws4_request/,
    ],
    [{ ...base.fields, 'X-Amz-Date': '20200101T000000Z' }, /is not the date of x-amz-date/],
    [{ ...base.fields, 'X-Amz-Algorithm': 'AWS4-HMAC-SHA512' }, /x-amz-algorithm 'AWS4-HMAC-SHA512' is not supported/],
  ];
  for (const [fields, message] of cases) {
    const [status, code, text] = await codeOf(await post(base.url, fields, 'x'));
    assert.deepEqual([status, code], [400, 'InvalidArgument']);
    assert.match(text, message);
  }

  const form = new FormData();
  for (const [k, v] of Object.entries(base.fields)) form.append(k, v);
  const noFile = await codeOf(await fetch(base.url, { method: 'POST', body: form }));
  assert.deepEqual(noFile.slice(0, 2), [400, 'MalformedPOSTRequest']);
  assert.match(noFile[2], /no file field/);
  assert.equal(await exists('creds/x'), false);
});

test('boto3 generate_presigned_post (s3v4) + requests; its SigV2 default is refused with how to switch', async () => {
  const script = `
import json, sys, boto3, requests
from botocore.config import Config
args = dict(endpoint_url=sys.argv[1], region_name='${REGION}', aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
b = sys.argv[4]
# boto3's default for us-east-1 signs POST forms with SigV2: refused, saying how to switch.
d = boto3.client('s3', **args).generate_presigned_post(b, 'boto/default', ExpiresIn=600)
default = requests.post(d['url'], data=d['fields'], files={'file': ('f', b'x')})
s3 = boto3.client('s3', config=Config(signature_version='s3v4'), **args)
p = s3.generate_presigned_post(b, 'boto/\${filename}', Fields={'Content-Type': 'image/png'},
    Conditions=[{'Content-Type': 'image/png'}, ['content-length-range', 1, 100]], ExpiresIn=600)
ok = requests.post(p['url'], data=p['fields'], files={'file': ('pic.png', b'PNGDATA')})
big = requests.post(p['url'], data=p['fields'], files={'file': ('big.png', b'x' * 101)})
obj = s3.get_object(Bucket=b, Key='boto/pic.png')
print(json.dumps({'default': [default.status_code, default.text], 'ok': ok.status_code, 'big': [big.status_code, big.text], 'body': obj['Body'].read().decode(), 'type': obj['ContentType']}))
`;
  const r = await run(
    'python3',
    ['-c', script, fx.server.endpoint, fx.key.accessKeyId, fx.key.secretAccessKey, fx.bucket],
    {
      timeout: 60_000,
    },
  );
  const out = JSON.parse(r.stdout) as {
    default: [number, string];
    ok: number;
    big: [number, string];
    body: string;
    type: string;
  };
  assert.equal(out.default[0], 400);
  assert.match(out.default[1], /Signature Version 2 POST forms[^<]*signature_version=&quot;s3v4&quot;/);
  assert.equal(out.ok, 204);
  assert.equal(out.big[0], 400);
  assert.match(out.big[1], /<Code>EntityTooLarge<\/Code>/);
  assert.equal(out.body, 'PNGDATA');
  assert.equal(out.type, 'image/png');
});
