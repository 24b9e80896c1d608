/**
 * Defects the conformance suite found (issue 12 item 5), each with a real client where one sends
 * the request and hand-made requests where none does: CORS preflight on a presigned URL,
 * CompleteMultipartUpload's whole-object checksum (plain and composite) and its repetition,
 * Content-Encoding stored as sent, unusual Expect values, versioning-suspended writes, CreateBucket
 * of an owned bucket per region, DeleteBucket with only unfinished uploads, bucket ACLs, a checksum
 * header that is no digest.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  GetBucketAclCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutBucketAclCommand,
  PutBucketCorsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { REGION, startDataPlane, type DataPlaneFixture } from './clientsHarness.js';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { send, sendAs } from './support/s3Requests.js';

let fx: DataPlaneFixture;
let root: S3Client;
before(async () => {
  fx = await startDataPlane();
  root = fx.s3For(fx.server.credentials);
});
after(async () => {
  await fx?.close();
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof S3ServiceException) return `${err.$metadata.httpStatusCode} ${err.name}`;
    throw err;
  }
  return 'no error';
}

test('a CORS preflight on a presigned URL is not authenticated: the CORS rules decide', async () => {
  await root.send(
    new PutBucketCorsCommand({
      Bucket: fx.bucket,
      CORSConfiguration: {
        CORSRules: [{ AllowedOrigins: ['https://app.example'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'] }],
      },
    }),
  );
  const url = new URL(
    await getSignedUrl(fx.s3, new GetObjectCommand({ Bucket: fx.bucket, Key: 'cors/x' }), { expiresIn: 60 }),
  );
  const query = Object.fromEntries(url.searchParams);
  const preflight = (origin: string) =>
    send(fx.server.endpoint, {
      method: 'OPTIONS',
      path: url.pathname,
      query,
      headers: { host: url.host, origin, 'access-control-request-method': 'GET' },
    });
  const ok = await preflight('https://app.example');
  assert.equal(ok.status, 200, ok.body);
  assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example');
  // A tampered signature changes nothing: it is not looked at.
  query['X-Amz-Signature'] = '0'.repeat(64);
  assert.equal((await preflight('https://app.example')).status, 200);
  const refused = await preflight('https://evil.example');
  assert.equal(`${refused.status} ${refused.code}`, '403 AccessForbidden', refused.body);
});

async function multipart(
  key: string,
  parts: Buffer[],
  opts: { algorithm?: 'CRC32' | 'SHA256'; type?: 'FULL_OBJECT' | 'COMPOSITE' } = {},
): Promise<{ uploadId: string; parts: CompletedPart[] }> {
  const up = await fx.s3.send(
    new CreateMultipartUploadCommand({
      Bucket: fx.bucket,
      Key: key,
      ...(opts.algorithm ? { ChecksumAlgorithm: opts.algorithm } : {}),
      ...(opts.type ? { ChecksumType: opts.type } : {}),
    }),
  );
  const done: CompletedPart[] = [];
  for (const [i, body] of parts.entries()) {
    const r = await fx.s3.send(
      new UploadPartCommand({
        Bucket: fx.bucket,
        Key: key,
        UploadId: up.UploadId,
        PartNumber: i + 1,
        Body: body,
        ...(opts.algorithm ? { ChecksumAlgorithm: opts.algorithm } : {}),
      }),
    );
    done.push({
      PartNumber: i + 1,
      ETag: r.ETag,
      ...(r.ChecksumCRC32 ? { ChecksumCRC32: r.ChecksumCRC32 } : {}),
      ...(r.ChecksumSHA256 ? { ChecksumSHA256: r.ChecksumSHA256 } : {}),
    });
  }
  return { uploadId: up.UploadId!, parts: done };
}

const MIB5 = 5 * 1024 * 1024;

test("CompleteMultipartUpload's x-amz-checksum-* is the object's: full-object and composite values", async () => {
  const a = randomBytes(MIB5);
  const b = randomBytes(1000);
  const full = await multipart('cmp/full', [a, b], { algorithm: 'CRC32', type: 'FULL_OBJECT' });
  const whole = Buffer.alloc(4);
  whole.writeUInt32BE(crc32(b, crc32(a)) >>> 0);
  const complete = (key: string, u: { uploadId: string; parts: CompletedPart[] }, extra: Record<string, string>) =>
    fx.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: fx.bucket,
        Key: key,
        UploadId: u.uploadId,
        MultipartUpload: { Parts: u.parts },
        ...extra,
      }),
    );
  const wrong = Buffer.from(whole);
  wrong[0] ^= 1;
  assert.match(
    await code(complete('cmp/full', full, { ChecksumCRC32: wrong.toString('base64'), ChecksumType: 'FULL_OBJECT' })),
    /^400 /,
  );
  const done = await complete('cmp/full', full, {
    ChecksumCRC32: whole.toString('base64'),
    ChecksumType: 'FULL_OBJECT',
  });
  assert.equal(done.ChecksumCRC32, whole.toString('base64'));

  const comp = await multipart('cmp/composite', [a, b], { algorithm: 'SHA256' });
  const digests = comp.parts.map((p) => Buffer.from(p.ChecksumSHA256!, 'base64'));
  const composite = `${createHash('sha256').update(Buffer.concat(digests)).digest('base64')}-2`;
  assert.equal(
    await code(complete('cmp/composite', comp, { ChecksumSHA256: 'bad' })),
    '400 InvalidRequest',
    'a value that is no digest, as S3 answers it',
  );
  const c = await complete('cmp/composite', comp, { ChecksumSHA256: composite });
  assert.equal(c.ChecksumSHA256, composite);
});

test('a repeated CompleteMultipartUpload answers the same ETag while that object is current', async () => {
  const u = await multipart('cmp/again', [randomBytes(MIB5), randomBytes(10)]);
  const req = () =>
    fx.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: fx.bucket,
        Key: 'cmp/again',
        UploadId: u.uploadId,
        MultipartUpload: { Parts: u.parts },
      }),
    );
  const first = await req();
  const second = await req();
  assert.equal(second.ETag, first.ETag);
  assert.match(first.ETag ?? '', /-2"$/);
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'cmp/again', Body: 'replaced' }));
  assert.equal(await code(req()), '404 NoSuchUpload');
});

test('Content-Encoding is stored as sent', async () => {
  await fx.s3.send(
    new PutObjectCommand({ Bucket: fx.bucket, Key: 'enc/x', Body: 'x', ContentEncoding: 'deflate, gzip' }),
  );
  const head = await fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'enc/x' }));
  assert.equal(head.ContentEncoding, 'deflate, gzip');
});

test('a checksum header that is not a digest is InvalidRequest (as S3 answers it) and writes nothing', async () => {
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'sum/x', Body: 'first' }));
  for (const [algorithm, field] of [
    ['SHA256', 'ChecksumSHA256'],
    ['CRC64NVME', 'ChecksumCRC64NVME'],
  ] as const) {
    const err = await fx.s3
      .send(
        new PutObjectCommand({
          Bucket: fx.bucket,
          Key: 'sum/x',
          Body: 'second',
          ChecksumAlgorithm: algorithm,
          [field]: 'bad',
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err instanceof S3ServiceException, String(err));
    assert.equal(`${err.$metadata.httpStatusCode} ${err.name}`, '400 InvalidRequest');
    assert.match(err.message, new RegExp(`Value for x-amz-checksum-${algorithm.toLowerCase()} header is invalid`));
  }
  const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'sum/x' }));
  assert.equal(await got.Body!.transformToString(), 'first');
});

test('an unusual Expect value is answered by S3, with a request id, not by a bare 417', async () => {
  const put = await sendAs(
    fx.server.endpoint,
    { kind: 'header', creds: fx.key },
    { method: 'PUT', path: `/${fx.bucket}/expect/x`, headers: { expect: '200-ok' }, body: 'hello' },
  );
  assert.equal(put.status, 200, put.body);
  assert.match(String(put.headers['x-amz-request-id']), /^[0-9A-F]{16}$/);
  const denied = await send(fx.server.endpoint, {
    method: 'PUT',
    path: `/${fx.bucket}/expect/y`,
    headers: { host: new URL(fx.server.endpoint).host, expect: 'something-else', 'content-length': '2' },
    body: 'hi',
  });
  assert.equal(`${denied.status} ${denied.code}`, '403 AccessDenied', denied.body);
  assert.match(String(denied.headers['x-amz-request-id']), /^[0-9A-F]{16}$/);
});

test('writes into a versioning-suspended bucket make the null version and answer no x-amz-version-id', async () => {
  const { bucket, key } = await fx.newBucket('susp');
  const s3 = fx.s3For(key);
  await root.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const enabled = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v1' }));
  assert.match(enabled.VersionId ?? '', /.+/);
  assert.notEqual(enabled.VersionId, 'null');
  await root.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
  const raw = await sendAs(
    fx.server.endpoint,
    { kind: 'header', creds: key },
    { method: 'PUT', path: `/${bucket}/k`, body: 'v2' },
  );
  assert.equal(raw.status, 200, raw.body);
  assert.equal(raw.headers['x-amz-version-id'], undefined);
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'null' }));
  assert.equal(head.ContentLength, 2);
});

test('DeleteBucket with only unfinished multipart uploads deletes it (uploads aborted); with objects it is BucketNotEmpty', async () => {
  const name = uniqueBucketName('mpudel');
  await root.send(new CreateBucketCommand({ Bucket: name }));
  await root.send(new CreateMultipartUploadCommand({ Bucket: name, Key: 'pending' }));
  const up = await root.send(new CreateMultipartUploadCommand({ Bucket: name, Key: 'pending2' }));
  await root.send(
    new UploadPartCommand({ Bucket: name, Key: 'pending2', UploadId: up.UploadId, PartNumber: 1, Body: 'part' }),
  );
  await root.send(new DeleteBucketCommand({ Bucket: name }));
  assert.equal(await code(root.send(new HeadBucketCommand({ Bucket: name }))), '404 NotFound');
  const full = uniqueBucketName('objdel');
  await root.send(new CreateBucketCommand({ Bucket: full }));
  await root.send(new PutObjectCommand({ Bucket: full, Key: 'o', Body: 'x' }));
  assert.equal(await code(root.send(new DeleteBucketCommand({ Bucket: full }))), '409 BucketNotEmpty');
});

test('GetBucketAcl tells the truth; PutBucketAcl accepts only the ACL the bucket has', async () => {
  const acl = await root.send(new GetBucketAclCommand({ Bucket: fx.bucket }));
  assert.equal(acl.Grants?.length, 1);
  assert.equal(acl.Grants?.[0]?.Permission, 'FULL_CONTROL');
  assert.equal(acl.Grants?.[0]?.Grantee?.ID, acl.Owner?.ID);
  await root.send(new PutBucketAclCommand({ Bucket: fx.bucket, ACL: 'private' }));
  assert.equal(
    await code(root.send(new PutBucketAclCommand({ Bucket: fx.bucket, ACL: 'public-read' }))),
    '400 AccessControlListNotSupported',
  );
  assert.equal(
    await code(root.send(new PutBucketAclCommand({ Bucket: fx.bucket, ACL: 'authenticated-read' }))),
    '400 AccessControlListNotSupported',
  );
  assert.equal((await root.send(new GetBucketAclCommand({ Bucket: fx.bucket }))).Grants?.length, 1, 'nothing changed');
  // A bucket key may not read or change bucket configuration.
  assert.equal(await code(fx.s3.send(new GetBucketAclCommand({ Bucket: fx.bucket }))), '403 AccessDenied');
});

test('CreateBucket of a bucket you own: 200 in us-east-1 (legacy), 409 BucketAlreadyOwnedByYou elsewhere', async () => {
  const name = uniqueBucketName('again');
  await root.send(new CreateBucketCommand({ Bucket: name }));
  await root.send(new CreateBucketCommand({ Bucket: name }));
  let eu: TestServer | undefined;
  let s3: S3Client | undefined;
  try {
    eu = await startServer({ region: 'eu-west-1' });
    s3 = new S3Client({ endpoint: eu.endpoint, region: 'eu-west-1', credentials: eu.credentials });
    const n2 = uniqueBucketName('again');
    await s3.send(
      new CreateBucketCommand({ Bucket: n2, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
    );
    assert.equal(
      await code(
        s3.send(
          new CreateBucketCommand({ Bucket: n2, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
        ),
      ),
      '409 BucketAlreadyOwnedByYou',
    );
  } finally {
    s3?.destroy();
    await eu?.stop();
  }
  assert.equal(REGION, 'us-east-1');
});
