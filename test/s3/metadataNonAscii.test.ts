/**
 * User metadata beyond US-ASCII, as S3 takes it: botocore and the JS SDK send a value's UTF-8 bytes
 * and sign those bytes (the signature must verify, though node reads the bytes as Latin-1
 * characters); values made of RFC 2047 encoded-words are stored decoded, and a stored value that is
 * not printable US-ASCII comes back as one `=?UTF-8?B?…?=` word.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startDataPlane, type DataPlaneFixture } from './clientsHarness.js';
import { awsEnv, runProcess } from './clientsProcess.js';
import { decodeMetadataValue, encodeMetadataValue } from '../../src/s3/rfc2047.js';

let fx: DataPlaneFixture;
let dir: string;
before(async () => {
  fx = await startDataPlane();
  dir = mkdtempSync(join(tmpdir(), 'sailbucket-meta-'));
});
after(async () => {
  await fx?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const word = (s: string) => `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;

const SCRIPT = String.raw`
import json, sys
import boto3
endpoint, bucket = sys.argv[1], sys.argv[2]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1')
out = {}
# A header set after botocore's own checks (as ceph/s3-tests does): sent as its UTF-8 bytes, signed over them.
def raw_meta(**kw):
    kw['params']['headers']['x-amz-meta-meta1'] = u"Hello World\xe9"
s3.meta.events.register('before-call.s3.PutObject', raw_meta)
try:
    s3.put_object(Bucket=bucket, Key='meta/raw', Body=b'bar')
    out['raw'] = s3.head_object(Bucket=bucket, Key='meta/raw')['Metadata']['meta1']
except Exception as e:
    out['raw'] = 'error: %s' % e
s3.meta.events.unregister('before-call.s3.PutObject', raw_meta)
# The portable way: the client encodes the value as an RFC 2047 word itself.
s3.put_object(Bucket=bucket, Key='meta/word', Body=b'bar', Metadata={'meta1': sys.argv[3]})
out['word'] = s3.head_object(Bucket=bucket, Key='meta/word')['Metadata']['meta1']
print(json.dumps(out))
`;

test('boto3: a metadata header with UTF-8 bytes verifies and comes back as an RFC 2047 word; a word round-trips', async () => {
  const r = await runProcess('python3', ['-c', SCRIPT, fx.server.endpoint, fx.bucket, word('Grüße €')], {
    env: awsEnv(fx.key, dir),
    timeoutMs: 120_000,
  });
  assert.equal(r.code, 0, `python3 failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { raw: string; word: string };
  // The bytes C3 A9 are read as ISO-8859-1 (as S3 does): the stored value is "Hello WorldÃ©".
  assert.equal(out.raw, word('Hello World\u00c3\u00a9'));
  assert.equal(out.word, word('Grüße €'));
});

test('JS SDK: a non-ASCII metadata value verifies and comes back encoded; ASCII values are sent as they are', async () => {
  await fx.s3.send(
    new PutObjectCommand({
      Bucket: fx.bucket,
      Key: 'meta/sdk',
      Body: 'x',
      Metadata: { latin: 'café', ascii: 'plain value', word: word('naïve ☃') },
    }),
  );
  const head = await fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'meta/sdk' }));
  // Sent as the UTF-8 bytes C3 A9, read as ISO-8859-1 (as S3 does).
  assert.deepEqual(head.Metadata, { latin: word('caf\u00c3\u00a9'), ascii: 'plain value', word: word('naïve ☃') });
});

test('RFC 2047: B and Q words, several words, and what is left as it is', () => {
  assert.equal(decodeMetadataValue('=?UTF-8?B?w6k=?='), 'é');
  assert.equal(decodeMetadataValue('=?utf-8?q?caf=C3=A9_au_lait?='), 'café au lait');
  assert.equal(decodeMetadataValue('=?ISO-8859-1?Q?caf=E9?= =?UTF-8?B?IOKCrA==?='), 'café €');
  // Not words, an unknown charset, bad base64, bytes that are not UTF-8, text around a word: unchanged.
  for (const v of [
    'plain',
    '=?UTF-8?B?w6k=?= tail',
    '=?KOI8-R?B?w6k=?=',
    '=?UTF-8?B?w6k?=',
    '=?UTF-8?B?/w==?=',
    '=?UTF-8?Q?=ZZ?=',
  ])
    assert.equal(decodeMetadataValue(v), v, v);
  assert.equal(encodeMetadataValue('plain\tvalue ~'), 'plain\tvalue ~');
  assert.equal(encodeMetadataValue('é'), '=?UTF-8?B?w6k=?=');
  assert.equal(encodeMetadataValue('line\nbreak'), word('line\nbreak'));
});
