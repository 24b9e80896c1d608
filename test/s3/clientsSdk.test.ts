/**
 * The data plane with @aws-sdk/client-s3 at default settings (it sends
 * STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer for PutObject/UploadPart by default).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  CopyObjectCommand,
  ListObjectsV2Command,
  PutObjectTaggingCommand,
  GetObjectTaggingCommand,
  DeleteObjectTaggingCommand,
  GetObjectAttributesCommand,
  ListPartsCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  CompleteMultipartUploadCommand,
  AbortMultipartUploadCommand,
  ListMultipartUploadsCommand,
  GetObjectAclCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startDataPlane, bodyBytes, type DataPlaneFixture } from './clientsHarness.js';

let fx: DataPlaneFixture;
before(async () => {
  fx = await startDataPlane();
});
after(async () => {
  await fx?.close();
});

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function rejectsWith(p: Promise<unknown>, name: string, status?: number): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof S3ServiceException, `expected an S3 error ${name}, got ${String(err)}`);
    assert.equal(err.name, name, `error name (message: ${err.message})`);
    if (status !== undefined) assert.equal(err.$metadata.httpStatusCode, status);
    return true;
  });
}

test('PutObject with a Buffer body: ETag is the quoted MD5, metadata and content headers round-trip', async () => {
  const body = randomBytes(4096);
  const put = await fx.s3.send(
    new PutObjectCommand({
      Bucket: fx.bucket,
      Key: 'buf.bin',
      Body: body,
      ContentType: 'application/x-test',
      CacheControl: 'max-age=60',
      ContentDisposition: 'attachment; filename="x.bin"',
      ContentLanguage: 'fr',
      Metadata: { color: 'blue', 'Two-Words': 'a b' },
      Expires: new Date('2030-01-01T00:00:00Z'),
    }),
  );
  assert.equal(put.ETag, `"${md5(body)}"`);
  const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'buf.bin' }));
  assert.deepEqual(await bodyBytes(got.Body), body);
  assert.equal(got.ETag, `"${md5(body)}"`);
  assert.equal(got.ContentType, 'application/x-test');
  assert.equal(got.CacheControl, 'max-age=60');
  assert.equal(got.ContentDisposition, 'attachment; filename="x.bin"');
  assert.equal(got.ContentLanguage, 'fr');
  assert.equal(got.ContentLength, 4096);
  assert.equal(got.ContentEncoding, undefined, 'aws-chunked must not be stored as Content-Encoding');
  assert.deepEqual(got.Metadata, { color: 'blue', 'two-words': 'a b' });
  assert.equal(got.ExpiresString ?? got.Expires?.toUTCString(), 'Tue, 01 Jan 2030 00:00:00 GMT');
  const head = await fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'buf.bin' }));
  assert.equal(head.ContentLength, 4096);
  assert.equal(head.ETag, put.ETag);
  assert.ok(head.LastModified instanceof Date && Math.abs(head.LastModified.getTime() - Date.now()) < 60_000);
});

test('PutObject with a stream body of known length, and an empty object', async () => {
  const body = randomBytes(300_000);
  await fx.s3.send(
    new PutObjectCommand({
      Bucket: fx.bucket,
      Key: 'stream.bin',
      Body: Readable.from([body.subarray(0, 100_000), body.subarray(100_000)]),
      ContentLength: body.length,
    }),
  );
  const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'stream.bin' }));
  assert.equal(md5(await bodyBytes(got.Body)), md5(body));
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'empty', Body: '' }));
  const empty = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'empty' }));
  assert.equal((await bodyBytes(empty.Body)).length, 0);
  assert.equal(empty.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
});

test('weird keys round-trip exactly and list back byte-identical', async () => {
  const keys = [
    'a%2Fb',
    'x//y',
    'dir/',
    'unicodé/日本語/🙂',
    'with space and +plus',
    'dots/../x',
    'q?mark#hash',
    '~tilde*star',
    'quote\'"<amp&>',
  ];
  for (const Key of keys) await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key, Body: `body of ${Key}` }));
  for (const Key of keys) {
    const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key }));
    assert.equal((await bodyBytes(got.Body)).toString(), `body of ${Key}`, `key ${JSON.stringify(Key)}`);
  }
  const listed = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fx.s3.send(
      new ListObjectsV2Command({ Bucket: fx.bucket, ContinuationToken: token, MaxKeys: 3 }),
    );
    for (const o of page.Contents ?? []) listed.add(o.Key!);
    token = page.NextContinuationToken;
  } while (token);
  for (const k of keys) assert.ok(listed.has(k), `listing lacks ${JSON.stringify(k)}`);
  assert.equal(listed.has('a/b'), false);
});

test('listing with delimiters and pagination', async () => {
  const { bucket, key } = await fx.newBucket('list');
  const s3 = fx.s3For(key);
  const names = ['p/a/1', 'p/a/2', 'p/b/1', 'p/c', 'p/d', 'q/1', 'r'];
  for (const Key of names) await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
  const root = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
  assert.deepEqual(
    root.CommonPrefixes?.map((c) => c.Prefix),
    ['p/', 'q/'],
  );
  assert.deepEqual(
    root.Contents?.map((c) => c.Key),
    ['r'],
  );
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'p/', Delimiter: '/', MaxKeys: 1, ContinuationToken: token }),
    );
    for (const c of page.CommonPrefixes ?? []) seen.push(c.Prefix!);
    for (const c of page.Contents ?? []) seen.push(c.Key!);
    token = page.NextContinuationToken;
    pages++;
    assert.ok(pages < 20, 'pagination does not end');
  } while (token);
  assert.deepEqual(seen, ['p/a/', 'p/b/', 'p/c', 'p/d']);
});

test('ranged and conditional GETs', async () => {
  const body = Buffer.from('0123456789abcdefghij');
  const put = await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'range.txt', Body: body }));
  const r1 = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'range.txt', Range: 'bytes=2-5' }));
  assert.equal((await bodyBytes(r1.Body)).toString(), '2345');
  assert.equal(r1.ContentRange, 'bytes 2-5/20');
  assert.equal(r1.$metadata.httpStatusCode, 206);
  const r2 = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'range.txt', Range: 'bytes=-3' }));
  assert.equal((await bodyBytes(r2.Body)).toString(), 'hij');
  const r3 = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'range.txt', Range: 'bytes=15-' }));
  assert.equal((await bodyBytes(r3.Body)).toString(), 'fghij');
  await rejectsWith(
    fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'range.txt', Range: 'bytes=20-' })),
    'InvalidRange',
    416,
  );
  const ok = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'range.txt', IfMatch: put.ETag }));
  assert.equal((await bodyBytes(ok.Body)).toString(), body.toString());
  await rejectsWith(
    fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'range.txt', IfMatch: '"0000"' })),
    'PreconditionFailed',
    412,
  );
  await assert.rejects(
    fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'range.txt', IfNoneMatch: put.ETag })),
    (e: S3ServiceException) => e.$metadata.httpStatusCode === 304,
  );
  await assert.rejects(
    fx.s3.send(
      new GetObjectCommand({ Bucket: fx.bucket, Key: 'range.txt', IfModifiedSince: new Date(Date.now() + 3600_000) }),
    ),
    (e: S3ServiceException) => e.$metadata.httpStatusCode === 304,
  );
  await rejectsWith(
    fx.s3.send(
      new GetObjectCommand({ Bucket: fx.bucket, Key: 'range.txt', IfUnmodifiedSince: new Date('2000-01-01') }),
    ),
    'PreconditionFailed',
    412,
  );
  await rejectsWith(fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'no-such-key' })), 'NoSuchKey', 404);
  await rejectsWith(fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'no-such-key' })), 'NotFound', 404);
  const over = await fx.s3.send(
    new GetObjectCommand({
      Bucket: fx.bucket,
      Key: 'range.txt',
      ResponseContentType: 'text/x-over',
      ResponseContentDisposition: 'inline',
    }),
  );
  assert.equal(over.ContentType, 'text/x-over');
  assert.equal(over.ContentDisposition, 'inline');
  await bodyBytes(over.Body);
});

test('conditional writes: If-None-Match * and If-Match', async () => {
  const first = await fx.s3.send(
    new PutObjectCommand({ Bucket: fx.bucket, Key: 'cond', Body: 'one', IfNoneMatch: '*' }),
  );
  await rejectsWith(
    fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'cond', Body: 'two', IfNoneMatch: '*' })),
    'PreconditionFailed',
    412,
  );
  await rejectsWith(
    fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'cond', Body: 'two', IfMatch: '"ffff"' })),
    'PreconditionFailed',
    412,
  );
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'cond', Body: 'three', IfMatch: first.ETag }));
  const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'cond' }));
  assert.equal((await bodyBytes(got.Body)).toString(), 'three');
});

test('presigned GET and PUT URLs', async () => {
  const putUrl = await getSignedUrl(fx.s3, new PutObjectCommand({ Bucket: fx.bucket, Key: 'presigned/x y.txt' }), {
    expiresIn: 300,
  });
  const putRes = await fetch(putUrl, { method: 'PUT', body: 'via presigned put' });
  assert.equal(putRes.status, 200, await putRes.text());
  const getUrl = await getSignedUrl(fx.s3, new GetObjectCommand({ Bucket: fx.bucket, Key: 'presigned/x y.txt' }), {
    expiresIn: 300,
  });
  const getRes = await fetch(getUrl);
  assert.equal(getRes.status, 200);
  assert.equal(await getRes.text(), 'via presigned put');
  const anon = await fetch(`${fx.server.endpoint}/${fx.bucket}/presigned/x%20y.txt`);
  assert.equal(anon.status, 403);
});

test('DeleteObject and DeleteObjects', async () => {
  for (const Key of ['d1', 'd2', 'd3']) await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key, Body: Key }));
  const del = await fx.s3.send(new DeleteObjectCommand({ Bucket: fx.bucket, Key: 'd1' }));
  assert.equal(del.$metadata.httpStatusCode, 204);
  await fx.s3.send(new DeleteObjectCommand({ Bucket: fx.bucket, Key: 'never-existed' }));
  const many = await fx.s3.send(
    new DeleteObjectsCommand({ Bucket: fx.bucket, Delete: { Objects: [{ Key: 'd2' }, { Key: 'd3' }] } }),
  );
  assert.deepEqual(many.Deleted?.map((d) => d.Key).sort(), ['d2', 'd3']);
  await rejectsWith(fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'd2' })), 'NotFound', 404);
});

test('CopyObject: COPY and REPLACE metadata, url-encoded source, copy onto itself, other bucket refused', async () => {
  await fx.s3.send(
    new PutObjectCommand({
      Bucket: fx.bucket,
      Key: 'src/ü a+b',
      Body: 'copy me',
      ContentType: 'text/plain',
      Metadata: { m: '1' },
    }),
  );
  const copied = await fx.s3.send(
    new CopyObjectCommand({
      Bucket: fx.bucket,
      Key: 'dst1',
      CopySource: `${fx.bucket}/${encodeURIComponent('src/ü a+b')}`,
    }),
  );
  assert.equal(copied.CopyObjectResult?.ETag, `"${md5(Buffer.from('copy me'))}"`);
  const d1 = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'dst1' }));
  assert.equal((await bodyBytes(d1.Body)).toString(), 'copy me');
  assert.equal(d1.ContentType, 'text/plain');
  assert.deepEqual(d1.Metadata, { m: '1' });
  await fx.s3.send(
    new CopyObjectCommand({
      Bucket: fx.bucket,
      Key: 'dst2',
      CopySource: `${fx.bucket}/${encodeURIComponent('src/ü a+b')}`,
      MetadataDirective: 'REPLACE',
      ContentType: 'text/x-new',
      Metadata: { n: '2' },
    }),
  );
  const d2 = await fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'dst2' }));
  assert.equal(d2.ContentType, 'text/x-new');
  assert.deepEqual(d2.Metadata, { n: '2' });
  await rejectsWith(
    fx.s3.send(new CopyObjectCommand({ Bucket: fx.bucket, Key: 'dst1', CopySource: `${fx.bucket}/dst1` })),
    'InvalidRequest',
    400,
  );
  await fx.s3.send(
    new CopyObjectCommand({
      Bucket: fx.bucket,
      Key: 'dst1',
      CopySource: `${fx.bucket}/dst1`,
      MetadataDirective: 'REPLACE',
      Metadata: { self: 'yes' },
    }),
  );
  assert.deepEqual((await fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'dst1' }))).Metadata, {
    self: 'yes',
  });
  await rejectsWith(
    fx.s3.send(
      new CopyObjectCommand({
        Bucket: fx.bucket,
        Key: 'dst3',
        CopySource: `${fx.bucket}/dst1`,
        CopySourceIfMatch: '"nope"',
      }),
    ),
    'PreconditionFailed',
    412,
  );
  // A bucket key cannot copy FROM another bucket, whether it exists or not.
  const other = await fx.newBucket('other');
  const otherS3 = fx.s3For(other.key);
  await otherS3.send(new PutObjectCommand({ Bucket: other.bucket, Key: 'secret', Body: 'not yours' }));
  await rejectsWith(
    fx.s3.send(new CopyObjectCommand({ Bucket: fx.bucket, Key: 'stolen', CopySource: `${other.bucket}/secret` })),
    'AccessDenied',
    403,
  );
  await rejectsWith(
    fx.s3.send(new CopyObjectCommand({ Bucket: fx.bucket, Key: 'stolen', CopySource: 'no-such-bucket-zz/secret' })),
    'AccessDenied',
    403,
  );
  await rejectsWith(fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'stolen' })), 'NotFound', 404);
});

test('checksums: SHA256, CRC32C, CRC64NVME stored and returned with ChecksumMode ENABLED', async () => {
  const body = randomBytes(70_000);
  for (const alg of ['SHA256', 'CRC32C', 'CRC64NVME', 'CRC32', 'SHA1'] as const) {
    const Key = `ck-${alg}`;
    const put = await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key, Body: body, ChecksumAlgorithm: alg }));
    const field = `Checksum${alg}` as const;
    const sent = put[field];
    assert.ok(sent, `PutObject response lacks ${field}`);
    const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key, ChecksumMode: 'ENABLED' }));
    assert.equal(got[field], sent, `GetObject ${field}`);
    assert.deepEqual(await bodyBytes(got.Body), body);
    const head = await fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key, ChecksumMode: 'ENABLED' }));
    assert.equal(head[field], sent);
    const plain = await fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key }));
    assert.equal(plain[field], undefined, 'checksum only when ChecksumMode is ENABLED');
  }
  const sha = createHash('sha256').update(body).digest('base64');
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'ck-given', Body: body, ChecksumSHA256: sha }));
  await rejectsWith(
    fx.s3.send(
      new PutObjectCommand({
        Bucket: fx.bucket,
        Key: 'ck-bad',
        Body: body,
        ChecksumSHA256: createHash('sha256').update('x').digest('base64'),
      }),
    ),
    'BadDigest',
    400,
  );
  await rejectsWith(fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'ck-bad' })), 'NotFound', 404);
});

test('object tagging: put, get, delete; x-amz-tagging on PutObject', async () => {
  await fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'tagged', Body: 't', Tagging: 'a=1&b=two%20words' }));
  const t1 = await fx.s3.send(new GetObjectTaggingCommand({ Bucket: fx.bucket, Key: 'tagged' }));
  assert.deepEqual(t1.TagSet, [
    { Key: 'a', Value: '1' },
    { Key: 'b', Value: 'two words' },
  ]);
  await fx.s3.send(
    new PutObjectTaggingCommand({
      Bucket: fx.bucket,
      Key: 'tagged',
      Tagging: {
        TagSet: [
          { Key: 'z', Value: 'put first' },
          { Key: 'k', Value: '<v&>' },
        ],
      },
    }),
  );
  const t2 = await fx.s3.send(new GetObjectTaggingCommand({ Bucket: fx.bucket, Key: 'tagged' }));
  assert.deepEqual(
    t2.TagSet,
    [
      { Key: 'k', Value: '<v&>' },
      { Key: 'z', Value: 'put first' },
    ],
    'a tag set, answered by key',
  );
  assert.equal(
    (await fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'tagged' }))).$metadata.httpStatusCode,
    200,
  );
  await fx.s3.send(new DeleteObjectTaggingCommand({ Bucket: fx.bucket, Key: 'tagged' }));
  const t3 = await fx.s3.send(new GetObjectTaggingCommand({ Bucket: fx.bucket, Key: 'tagged' }));
  assert.deepEqual(t3.TagSet ?? [], []);
  await rejectsWith(
    fx.s3.send(new GetObjectTaggingCommand({ Bucket: fx.bucket, Key: 'untagged-missing' })),
    'NoSuchKey',
    404,
  );
});

test('GetObjectAcl shows the owner; GetObjectAttributes', async () => {
  await fx.s3.send(
    new PutObjectCommand({ Bucket: fx.bucket, Key: 'attrs', Body: 'attributes', ChecksumAlgorithm: 'SHA256' }),
  );
  const acl = await fx.s3.send(new GetObjectAclCommand({ Bucket: fx.bucket, Key: 'attrs' }));
  assert.equal(acl.Grants?.[0]?.Permission, 'FULL_CONTROL');
  assert.ok(acl.Owner?.ID);
  const attrs = await fx.s3.send(
    new GetObjectAttributesCommand({
      Bucket: fx.bucket,
      Key: 'attrs',
      ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass', 'Checksum'],
    }),
  );
  assert.equal(attrs.ETag, md5(Buffer.from('attributes')));
  assert.equal(attrs.ObjectSize, 10);
  assert.equal(attrs.StorageClass, 'STANDARD');
  assert.ok(attrs.Checksum?.ChecksumSHA256);
});

test('lib-storage Upload: multipart with >5 MiB parts, composite ETag, ListParts/ListMultipartUploads/Abort', async () => {
  const body = randomBytes(12 * 1024 * 1024 + 123);
  const up = new Upload({
    client: fx.s3,
    params: { Bucket: fx.bucket, Key: 'big/upload.bin', Body: Readable.from(chunksOf(body, 1 << 20)) },
    partSize: 5 * 1024 * 1024,
    queueSize: 2,
  });
  const done = await up.done();
  assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-3"$/);
  const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'big/upload.bin' }));
  assert.equal(md5(await bodyBytes(got.Body)), md5(body));
  const part2 = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'big/upload.bin', PartNumber: 2 }));
  assert.equal(part2.PartsCount, 3);
  assert.equal(md5(await bodyBytes(part2.Body)), md5(body.subarray(5 << 20, 10 << 20)));
  await rejectsWith(
    fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'big/upload.bin', PartNumber: 4 })),
    'InvalidPartNumber',
    416,
  );
  const ranged = await fx.s3.send(
    new GetObjectCommand({
      Bucket: fx.bucket,
      Key: 'big/upload.bin',
      Range: `bytes=${(5 << 20) - 10}-${(5 << 20) + 9}`,
    }),
  );
  assert.deepEqual(await bodyBytes(ranged.Body), body.subarray((5 << 20) - 10, (5 << 20) + 10));
  const head = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'big/upload.bin', Range: 'bytes=0-9' }));
  assert.deepEqual(await bodyBytes(head.Body), body.subarray(0, 10), 'a range inside the first of three parts');

  const created = await fx.s3.send(
    new CreateMultipartUploadCommand({
      Bucket: fx.bucket,
      Key: 'mp/manual',
      ContentType: 'text/x-mp',
      Metadata: { mp: 'yes' },
    }),
  );
  const uploadId = created.UploadId!;
  const p1 = randomBytes(5 * 1024 * 1024);
  const e1 = await fx.s3.send(
    new UploadPartCommand({ Bucket: fx.bucket, Key: 'mp/manual', UploadId: uploadId, PartNumber: 1, Body: p1 }),
  );
  const e2 = await fx.s3.send(
    new UploadPartCopyCommand({
      Bucket: fx.bucket,
      Key: 'mp/manual',
      UploadId: uploadId,
      PartNumber: 2,
      CopySource: `${fx.bucket}/range.txt`,
      CopySourceRange: 'bytes=0-9',
    }),
  );
  const listed = await fx.s3.send(new ListPartsCommand({ Bucket: fx.bucket, Key: 'mp/manual', UploadId: uploadId }));
  assert.deepEqual(
    listed.Parts?.map((p) => [p.PartNumber, p.Size]),
    [
      [1, p1.length],
      [2, 10],
    ],
  );
  const uploads = await fx.s3.send(new ListMultipartUploadsCommand({ Bucket: fx.bucket }));
  assert.ok(uploads.Uploads?.some((u) => u.UploadId === uploadId && u.Key === 'mp/manual'));
  await rejectsWith(
    fx.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: fx.bucket,
        Key: 'mp/manual',
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 2, ETag: e2.CopyPartResult!.ETag },
            { PartNumber: 1, ETag: e1.ETag },
          ],
        },
      }),
    ),
    'InvalidPartOrder',
    400,
  );
  await rejectsWith(
    fx.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: fx.bucket,
        Key: 'mp/manual',
        UploadId: uploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] },
      }),
    ),
    'InvalidPart',
    400,
  );
  const fin = await fx.s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: fx.bucket,
      Key: 'mp/manual',
      UploadId: uploadId,
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: e1.ETag },
          { PartNumber: 2, ETag: e2.CopyPartResult!.ETag },
        ],
      },
    }),
  );
  const expected = createHash('md5')
    .update(Buffer.concat([Buffer.from(md5(p1), 'hex'), Buffer.from(md5(Buffer.from('0123456789')), 'hex')]))
    .digest('hex');
  assert.equal(fin.ETag, `"${expected}-2"`);
  const whole = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'mp/manual' }));
  assert.equal(whole.ContentType, 'text/x-mp');
  assert.deepEqual(whole.Metadata, { mp: 'yes' });
  assert.deepEqual(await bodyBytes(whole.Body), Buffer.concat([p1, Buffer.from('0123456789')]));

  const small = await fx.s3.send(new CreateMultipartUploadCommand({ Bucket: fx.bucket, Key: 'mp/small' }));
  const s1 = await fx.s3.send(
    new UploadPartCommand({
      Bucket: fx.bucket,
      Key: 'mp/small',
      UploadId: small.UploadId,
      PartNumber: 1,
      Body: 'tiny',
    }),
  );
  const s2 = await fx.s3.send(
    new UploadPartCommand({
      Bucket: fx.bucket,
      Key: 'mp/small',
      UploadId: small.UploadId,
      PartNumber: 2,
      Body: 'tiny',
    }),
  );
  await rejectsWith(
    fx.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: fx.bucket,
        Key: 'mp/small',
        UploadId: small.UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: s1.ETag },
            { PartNumber: 2, ETag: s2.ETag },
          ],
        },
      }),
    ),
    'EntityTooSmall',
    400,
  );
  await fx.s3.send(new AbortMultipartUploadCommand({ Bucket: fx.bucket, Key: 'mp/small', UploadId: small.UploadId }));
  await rejectsWith(
    fx.s3.send(new ListPartsCommand({ Bucket: fx.bucket, Key: 'mp/small', UploadId: small.UploadId })),
    'NoSuchUpload',
    404,
  );
});

test('limits: key too long, metadata too large', async () => {
  await rejectsWith(
    fx.s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: 'k'.repeat(1025), Body: 'x' })),
    'KeyTooLongError',
    400,
  );
  await rejectsWith(
    fx.s3.send(
      new PutObjectCommand({ Bucket: fx.bucket, Key: 'meta', Body: 'x', Metadata: { big: 'v'.repeat(2100) } }),
    ),
    'MetadataTooLarge',
    400,
  );
});

function* chunksOf(b: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
