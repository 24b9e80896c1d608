/**
 * The data plane with boto3 (spawned python3): checksum algorithms, ChecksumMode, upload_fileobj
 * multipart, listings of keys with astral characters (expat refuses char refs to surrogate halves). CRC32C is not exercised here: botocore needs the optional awscrt package for it, which
 * this machine does not have (client-s3 covers CRC32C).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDataPlane, type DataPlaneFixture } from './clientsHarness.js';
import { awsEnv, runProcess } from './clientsProcess.js';

let fx: DataPlaneFixture;
let dir: string;
before(async () => {
  fx = await startDataPlane();
  dir = mkdtempSync(join(tmpdir(), 'sailbucket-boto3-'));
});
after(async () => {
  await fx?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const SCRIPT = String.raw`
import base64, hashlib, io, json, os, sys, zlib
import boto3
from boto3.s3.transfer import TransferConfig
endpoint, bucket = sys.argv[1], sys.argv[2]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1')
out = {}
body = os.urandom(100_000)
for alg in ['CRC32', 'SHA1', 'SHA256']:
    key = 'boto/' + alg
    put = s3.put_object(Bucket=bucket, Key=key, Body=body, ChecksumAlgorithm=alg)
    got = s3.get_object(Bucket=bucket, Key=key, ChecksumMode='ENABLED')
    data = got['Body'].read()
    out[alg] = {'put': put.get('Checksum' + alg), 'get': got.get('Checksum' + alg), 'same': data == body,
                'etag': put['ETag'] == '"%s"' % hashlib.md5(body).hexdigest()}
out['crc32_expected'] = base64.b64encode(zlib.crc32(body).to_bytes(4, 'big')).decode()
out['sha256_expected'] = base64.b64encode(hashlib.sha256(body).digest()).decode()
big = os.urandom(17 * 1024 * 1024 + 5)
cfg = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024)
s3.upload_fileobj(io.BytesIO(big), bucket, 'boto/big.bin', Config=cfg)
head = s3.head_object(Bucket=bucket, Key='boto/big.bin')
buf = io.BytesIO()
s3.download_fileobj(bucket, 'boto/big.bin', buf, Config=cfg)
out['multipart'] = {'etag': head['ETag'], 'size': head['ContentLength'], 'same': buf.getvalue() == big}
try:
    s3.get_object(Bucket=bucket, Key='boto/missing')
    out['missing'] = 'no error'
except s3.exceptions.NoSuchKey as e:
    out['missing'] = e.response['Error']['Code']
astral = ['boto/emoji/\U0001F642', 'boto/emoji/\U0001D11E clef', 'boto/emoji/plain']
for key in astral:
    s3.put_object(Bucket=bucket, Key=key, Body=b'x')
# botocore asks for encoding-type=url by default (keys then arrive percent-encoded): without it
# the keys are XML text, which expat must accept.
from botocore.handlers import set_list_objects_encoding_type_url
for op in ['ListObjectsV2', 'ListObjectVersions']:
    s3.meta.events.unregister('before-parameter-build.s3.' + op, set_list_objects_encoding_type_url)
listed = s3.list_objects_v2(Bucket=bucket, Prefix='boto/emoji/')
versions = s3.list_object_versions(Bucket=bucket, Prefix='boto/emoji/')
encoding = [listed.get('EncodingType'), versions.get('EncodingType')]
out['astral'] = {'sent': sorted(astral), 'listed': sorted(o['Key'] for o in listed.get('Contents', [])),
                 'versions': sorted(v['Key'] for v in versions.get('Versions', [])), 'encoding': encoding}
print(json.dumps(out))
`;

test('boto3: put/get with CRC32, SHA1, SHA256 and ChecksumMode; upload_fileobj multipart; astral keys listed', async () => {
  const r = await runProcess('python3', ['-c', SCRIPT, fx.server.endpoint, fx.bucket], {
    env: awsEnv(fx.key, dir),
    timeoutMs: 180_000,
  });
  assert.equal(r.code, 0, `python3 failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  for (const alg of ['CRC32', 'SHA1', 'SHA256']) {
    assert.ok(out[alg].put, `${alg}: PutObject returned no checksum`);
    assert.equal(out[alg].get, out[alg].put, `${alg}: GetObject ChecksumMode=ENABLED returns the stored checksum`);
    assert.equal(out[alg].same, true, `${alg}: body round-trips`);
    assert.equal(out[alg].etag, true, `${alg}: ETag is the quoted MD5`);
  }
  assert.equal(out.CRC32.put, out.crc32_expected);
  assert.equal(out.SHA256.put, out.sha256_expected);
  assert.match(out.multipart.etag, /^"[0-9a-f]{32}-3"$/);
  assert.equal(out.multipart.size, 17 * 1024 * 1024 + 5);
  assert.equal(out.multipart.same, true);
  assert.equal(out.missing, 'NoSuchKey');
  assert.deepEqual(out.astral.listed, out.astral.sent, 'ListObjectsV2 returns keys with astral characters as sent');
  assert.deepEqual(out.astral.versions, out.astral.sent, 'ListObjectVersions returns them too');
  assert.deepEqual(out.astral.encoding, [null, null], 'the keys were listed as XML text, not url-encoded');
});
