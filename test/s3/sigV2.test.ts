/**
 * Signature Version 2: refused by default with how to fix the client, accepted with `--sigv2 on`.
 * Real clients that sign SigV2 at their defaults (AWS CLI v1 `aws s3 presign`, boto3
 * `generate_presigned_url` in us-east-1, botocore's `s3` header signer, s3cmd `signature_v2 = True`),
 * plus hand-signed requests for what they never send (a tampered signature, an expired URL, a key
 * used on another bucket, the control plane).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startDataPlane, type DataPlaneFixture } from './clientsHarness.js';
import { awsEnv, runProcess } from './clientsProcess.js';
import { send } from './support/s3Requests.js';

let off: DataPlaneFixture;
let on: DataPlaneFixture;
let dir: string;
before(async () => {
  [off, on] = await Promise.all([startDataPlane(), startDataPlane({ args: ['--sigv2', 'on'] })]);
  dir = mkdtempSync(join(tmpdir(), 'sailbucket-sigv2-'));
  for (const fx of [off, on]) {
    await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'docs/a b+c.txt', Body: 'hello v2' }));
  }
});
after(async () => {
  await Promise.all([off?.close(), on?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const FIX =
  /aws configure set default\.s3\.signature_version s3v4.*Config\(signature_version=(&quot;|")s3v4(&quot;|")\)/s;

async function cliPresign(fx: DataPlaneFixture, key: string): Promise<string> {
  const r = await runProcess(
    'aws',
    ['s3', 'presign', `s3://${fx.bucket}/${key}`, '--endpoint-url', fx.server.endpoint, '--region', 'us-east-1'],
    { env: awsEnv(fx.key, dir) },
  );
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

const BOTO_PRESIGN = String.raw`
import sys, boto3
endpoint, bucket, key = sys.argv[1], sys.argv[2], sys.argv[3]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1')
print(s3.generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': key}))
`;

async function botoPresign(fx: DataPlaneFixture, key: string): Promise<string> {
  const r = await runProcess('python3', ['-c', BOTO_PRESIGN, fx.server.endpoint, fx.bucket, key], {
    env: awsEnv(fx.key, dir),
  });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

test('default: AWS CLI and boto3 SigV2 presigned URLs are refused with how to fix the client', async () => {
  for (const url of [await cliPresign(off, 'docs/a b+c.txt'), await botoPresign(off, 'docs/a b+c.txt')]) {
    assert.match(url, /AWSAccessKeyId=.*Signature=/, `a SigV2 URL: ${url}`);
    const res = await fetch(url);
    const text = await res.text();
    assert.equal(res.status, 400, text);
    assert.match(text, /<Code>InvalidRequest<\/Code>/);
    assert.match(text, FIX);
    assert.match(text, /<RequestId>[0-9A-F]{16}<\/RequestId>/);
  }
  // The header form too (botocore's 's3' signer).
  const r = await runProcess('python3', ['-c', BOTO_HEADER_V2, off.server.endpoint, off.bucket], {
    env: awsEnv(off.key, dir),
  });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /InvalidRequest/);
  assert.match(r.stderr, /signature_version/);
});

test('--sigv2 on: the same AWS CLI and boto3 URLs work', async () => {
  for (const url of [await cliPresign(on, 'docs/a b+c.txt'), await botoPresign(on, 'docs/a b+c.txt')]) {
    const res = await fetch(url);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(await res.text(), 'hello v2');
  }
});

const BOTO_HEADER_V2 = String.raw`
import base64, hashlib, json, sys, boto3
from botocore.config import Config
endpoint, bucket = sys.argv[1], sys.argv[2]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', config=Config(signature_version='s3'))
body = b'header-signed body'
md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
s3.put_object(Bucket=bucket, Key='v2/head er?.txt', Body=body, ContentMD5=md5, ContentType='text/x-v2',
              Metadata={'who': 'sigv2'}, Tagging='a=b')
got = s3.get_object(Bucket=bucket, Key='v2/head er?.txt', ResponseContentType='text/plain')
listing = s3.list_objects_v2(Bucket=bucket, Prefix='v2/')
up = s3.create_multipart_upload(Bucket=bucket, Key='v2/mp')
part = s3.upload_part(Bucket=bucket, Key='v2/mp', UploadId=up['UploadId'], PartNumber=1, Body=b'p' * 10)
s3.complete_multipart_upload(Bucket=bucket, Key='v2/mp', UploadId=up['UploadId'],
    MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': part['ETag']}]})
tags = s3.get_object_tagging(Bucket=bucket, Key='v2/head er?.txt')
s3.delete_object(Bucket=bucket, Key='v2/mp')
print(json.dumps({'body': got['Body'].read().decode(), 'type': got['ContentType'], 'meta': got['Metadata'],
                  'keys': [o['Key'] for o in listing.get('Contents', [])], 'tags': tags['TagSet']}))
`;

test('--sigv2 on: botocore header signing (signature_version "s3") with Content-MD5, x-amz-* and sub-resources', async () => {
  const r = await runProcess('python3', ['-c', BOTO_HEADER_V2, on.server.endpoint, on.bucket], {
    env: awsEnv(on.key, dir),
  });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(out, {
    body: 'header-signed body',
    type: 'text/plain',
    meta: { who: 'sigv2' },
    keys: ['v2/head er?.txt'],
    tags: [{ Key: 'a', Value: 'b' }],
  });
});

const sign = (secret: string, sts: string) => createHmac('sha1', secret).update(sts).digest('base64');

test('--sigv2 on: tampered signature, expired URL, skewed clock, wrong bucket, control plane', async () => {
  const expires = Math.floor(Date.now() / 1000) + 300;
  const path = `/${on.bucket}/docs/a%20b%2Bc.txt`;
  const good = sign(on.key.secretAccessKey, `GET\n\n\n${expires}\n${path}`);
  const ok = await send(on.server.endpoint, {
    method: 'GET',
    path,
    query: { AWSAccessKeyId: on.key.accessKeyId, Expires: String(expires), Signature: good },
    headers: {},
  });
  assert.equal(ok.status, 200, ok.body);
  const tampered = good.slice(0, 5) + (good[5] === 'A' ? 'B' : 'A') + good.slice(6);
  const bad = await send(on.server.endpoint, {
    method: 'GET',
    path,
    query: { AWSAccessKeyId: on.key.accessKeyId, Expires: String(expires), Signature: tampered },
    headers: {},
  });
  assert.equal(`${bad.status} ${bad.code}`, '403 SignatureDoesNotMatch', bad.body);
  assert.match(bad.body, /<StringToSign>GET\n\n\n\d+\n\/.*<\/StringToSign>/s);
  assert.doesNotMatch(bad.body, new RegExp(on.key.secretAccessKey.replace(/[+/]/g, '.')));

  const past = Math.floor(Date.now() / 1000) - 5;
  const expired = await send(on.server.endpoint, {
    method: 'GET',
    path,
    query: {
      AWSAccessKeyId: on.key.accessKeyId,
      Expires: String(past),
      Signature: sign(on.key.secretAccessKey, `GET\n\n\n${past}\n${path}`),
    },
    headers: {},
  });
  assert.equal(`${expired.status} ${expired.code}`, '403 AccessDenied', expired.body);
  assert.match(expired.message ?? '', /expired/);

  const date = new Date(Date.now() - 20 * 60_000).toUTCString();
  const skewed = await send(on.server.endpoint, {
    method: 'GET',
    path,
    headers: {
      date,
      authorization: `AWS ${on.key.accessKeyId}:${sign(on.key.secretAccessKey, `GET\n\n\n${date}\n${path}`)}`,
    },
  });
  assert.equal(`${skewed.status} ${skewed.code}`, '403 RequestTimeTooSkewed', skewed.body);

  // x-amz-date carries the time: the Date line is empty and x-amz-date is signed among the x-amz-* headers.
  const now = new Date().toUTCString();
  const amz = await send(on.server.endpoint, {
    method: 'GET',
    path,
    headers: {
      'x-amz-date': now,
      authorization: `AWS ${on.key.accessKeyId}:${sign(on.key.secretAccessKey, `GET\n\n\n\nx-amz-date:${now}\n${path}`)}`,
    },
  });
  assert.equal(amz.status, 200, amz.body);

  // Key scoping exactly as SigV4: a bucket key on another bucket (existing or not) is AccessDenied.
  const other = await on.newBucket('v2other');
  for (const name of [other.bucket, 'no-such-bucket-v2']) {
    const p = `/${name}`;
    const d = new Date().toUTCString();
    const r = await send(on.server.endpoint, {
      method: 'GET',
      path: p,
      headers: {
        date: d,
        authorization: `AWS ${on.key.accessKeyId}:${sign(on.key.secretAccessKey, `GET\n\n\n${d}\n${p}`)}`,
      },
    });
    assert.equal(`${r.status} ${r.code}`, '403 AccessDenied', r.body);
  }

  // The control plane stays SigV4 only, even with --sigv2 on.
  const d = new Date().toUTCString();
  const ctl = await fetch(on.server.endpoint + '/', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Lightsail_20161128.GetBuckets',
      date: d,
      authorization: `AWS ${on.server.credentials.accessKeyId}:${sign(on.server.credentials.secretAccessKey, `POST\n\napplication/x-amz-json-1.1\n${d}\n/`)}`,
    },
    body: '{}',
  });
  assert.equal(ctl.status, 400);
  assert.match(await ctl.text(), /Signature Version 2/);
});

test('--sigv2 on: s3cmd with signature_v2 = True puts, lists, gets and deletes', async () => {
  const host = new URL(on.server.endpoint).host;
  const cfg = join(dir, 's3cmd.cfg');
  writeFileSync(
    cfg,
    [
      '[default]',
      `access_key = ${on.key.accessKeyId}`,
      `secret_key = ${on.key.secretAccessKey}`,
      `host_base = ${host}`,
      `host_bucket = ${host}`,
      'use_https = False',
      'signature_v2 = True',
      'bucket_location = us-east-1',
      'multipart_chunk_size_mb = 5',
      '',
    ].join('\n'),
  );
  const s3cmd = (...args: string[]) =>
    runProcess('s3cmd', ['-c', cfg, '--no-progress', ...args], { env: { HOME: dir }, timeoutMs: 120_000 });
  const src = join(dir, 'up.bin');
  const data = randomBytes(12 * 1024 * 1024 + 7);
  writeFileSync(src, data);
  const put = await s3cmd('put', src, `s3://${on.bucket}/s3cmd/up load.bin`);
  assert.equal(put.code, 0, put.stderr + put.stdout);
  const ls = await s3cmd('ls', `s3://${on.bucket}/s3cmd/`);
  assert.equal(ls.code, 0, ls.stderr);
  assert.match(ls.stdout, /12582919\s+s3:\/\/.*\/s3cmd\/up load\.bin/);
  const back = join(dir, 'down.bin');
  const get = await s3cmd('get', '--force', `s3://${on.bucket}/s3cmd/up load.bin`, back);
  assert.equal(get.code, 0, get.stderr);
  assert.ok(readFileSync(back).equals(data), 'the object comes back byte-identical');
  const del = await s3cmd('del', `s3://${on.bucket}/s3cmd/up load.bin`);
  assert.equal(del.code, 0, del.stderr);
  // A wrong secret is refused.
  writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/secret_key = .*/, `secret_key = ${'x'.repeat(40)}`));
  const denied = await s3cmd('ls', `s3://${on.bucket}/`);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /SignatureDoesNotMatch|403/);
});

const BOTO_POST_V2 = String.raw`
import json, sys, boto3, requests
endpoint, bucket = sys.argv[1], sys.argv[2]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1')
p = s3.generate_presigned_post(bucket, 'form/$' '{filename}', ExpiresIn=600)
assert 'AWSAccessKeyId' in p['fields'], p['fields']
ok = requests.post(p['url'], data=p['fields'], files={'file': ('v2.txt', b'signed with sigv2')})
bad = dict(p['fields'], signature='A' + p['fields']['signature'][1:] if p['fields']['signature'][0] != 'A' else 'B' + p['fields']['signature'][1:])
tampered = requests.post(p['url'], data=bad, files={'file': ('t.txt', b'x')})
body = s3.get_object(Bucket=bucket, Key='form/v2.txt')['Body'].read().decode()
print(json.dumps({'ok': ok.status_code, 'tampered': [tampered.status_code, tampered.text], 'body': body}))
`;

test("--sigv2 on: boto3's default (SigV2) POST form uploads; a tampered one is refused", async () => {
  const r = await runProcess('python3', ['-c', BOTO_POST_V2, on.server.endpoint, on.bucket], {
    env: awsEnv(on.key, dir),
    timeoutMs: 60_000,
  });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { ok: number; tampered: [number, string]; body: string };
  assert.equal(out.ok, 204);
  assert.equal(out.body, 'signed with sigv2');
  assert.equal(out.tampered[0], 403);
  assert.match(out.tampered[1], /<Code>SignatureDoesNotMatch<\/Code>/);
});
