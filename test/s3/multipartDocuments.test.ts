import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { createXmlReader } from '../../src/s3/xml.js';
import { S3Error } from '../../src/s3/errors.js';
import { parseCompleteRequest } from '../../src/s3/handlers/multipart/completeRequest.js';
import {
  completeResult,
  initiateResult,
  listPartsResult,
  listUploadsResult,
} from '../../src/s3/handlers/multipart/multipartXml.js';
import { aclDocument, copyObjectResult, taggingDocument } from '../../src/s3/handlers/object/objectXml.js';
import { parseTagging } from '../../src/s3/handlers/object/taggingRequest.js';
import type { UploadRecord } from '../../src/domain/ports/objectRecords.js';

const xml = createXmlReader();
const parse = (s: string) => new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(s);
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    if (e instanceof S3Error) return e.code;
    throw e;
  }
  return undefined;
};
const owner = { id: 'abc123', displayName: '123456789012' };

test('CompleteMultipartUpload document: parts, quoted ETags, checksums, malformed documents', () => {
  const doc = Buffer.from(
    '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      '<Part><PartNumber>1</PartNumber><ETag>"aaa"</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>' +
      '<Part><ETag>bbb</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>',
  );
  assert.deepEqual(parseCompleteRequest(xml, doc), [
    { partNumber: 1, etag: 'aaa', checksums: { CRC32: 'AAAAAA==' } },
    { partNumber: 2, etag: 'bbb', checksums: {} },
  ]);
  assert.equal(
    codeOf(() => parseCompleteRequest(xml, Buffer.from('<CompleteMultipartUpload></CompleteMultipartUpload>'))),
    'MalformedXML',
  );
  assert.equal(
    codeOf(() =>
      parseCompleteRequest(
        xml,
        Buffer.from(
          '<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>',
        ),
      ),
    ),
    'MalformedXML',
  );
  assert.equal(
    codeOf(() =>
      parseCompleteRequest(
        xml,
        Buffer.from('<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>'),
      ),
    ),
    'MalformedXML',
  );
  assert.equal(
    codeOf(() => parseCompleteRequest(xml, Buffer.from('<Other/>'))),
    'MalformedXML',
  );
  assert.equal(
    codeOf(() => parseCompleteRequest(xml, Buffer.from('<CompleteMultipartUpload><Part>'))),
    'MalformedXML',
  );
});

test('multipart response documents escape keys and carry the S3 element names', () => {
  const init = parse(initiateResult('b', 'a<&>"key', 'U1'));
  assert.deepEqual(init.InitiateMultipartUploadResult.Key, 'a<&>"key');
  assert.equal(init.InitiateMultipartUploadResult.UploadId, 'U1');
  const done = parse(
    completeResult({
      location: 'http://h/b/k',
      bucket: 'b',
      key: 'k',
      etag: 'e-2',
      checksum: { algorithm: 'CRC32', value: 'x==', type: 'COMPOSITE' },
    }),
  );
  assert.equal(done.CompleteMultipartUploadResult.ETag, '"e-2"');
  assert.equal(done.CompleteMultipartUploadResult.ChecksumCRC32, 'x==');
  assert.equal(done.CompleteMultipartUploadResult.ChecksumType, 'COMPOSITE');
  const upload: UploadRecord = {
    uploadId: 'U1',
    bucketId: 'B',
    key: 'k',
    initiated: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
    content: {},
    userMetadata: {},
    storageClass: 'STANDARD',
    acl: 'private',
    tags: [],
  };
  const parts = parse(
    listPartsResult({
      bucket: 'b',
      key: 'k',
      upload,
      owner,
      partNumberMarker: 0,
      maxParts: 2,
      isTruncated: true,
      nextPartNumberMarker: 2,
      parts: [1, 2].map((n) => ({
        uploadId: 'U1',
        partNumber: n,
        blobId: 'x',
        size: n * 10,
        etag: `e${n}`,
        lastModified: upload.initiated,
      })),
    }),
  );
  const lp = parts.ListPartsResult;
  assert.equal(lp.IsTruncated, 'true');
  assert.equal(lp.NextPartNumberMarker, '2');
  assert.deepEqual(
    lp.Part.map((p: { ETag: string }) => p.ETag),
    ['"e1"', '"e2"'],
  );
  assert.equal(lp.Part[0].LastModified, '2026-01-02T03:04:05.678Z');
  assert.equal(lp.Owner.ID, 'abc123');
  const ups = parse(
    listUploadsResult({
      bucket: 'b',
      owner,
      prefix: 'p/',
      delimiter: '/',
      maxUploads: 1000,
      encodeKey: (k) => encodeURIComponent(k),
      encodingType: 'url',
      uploads: [{ ...upload, key: 'p/a b' }],
      commonPrefixes: ['p/q/'],
      isTruncated: false,
    }),
  );
  assert.equal(ups.ListMultipartUploadsResult.Upload.Key, 'p%2Fa%20b');
  assert.equal(ups.ListMultipartUploadsResult.CommonPrefixes.Prefix, 'p%2Fq%2F');
  assert.equal(ups.ListMultipartUploadsResult.EncodingType, 'url');
});

test('object documents: copy result, tagging round trip, ACL grants', () => {
  const copy = parse(
    copyObjectResult('abc', Date.UTC(2026, 0, 1), { algorithm: 'SHA256', value: 's==', type: 'FULL_OBJECT' }),
  );
  assert.equal(copy.CopyObjectResult.ETag, '"abc"');
  assert.equal(copy.CopyObjectResult.LastModified, '2026-01-01T00:00:00.000Z');
  assert.equal(copy.CopyObjectResult.ChecksumSHA256, 's==');
  const tags = [
    { key: 'a&b', value: '<v>' },
    { key: 'empty', value: '' },
  ];
  assert.deepEqual(parseTagging(xml, Buffer.from(taggingDocument(tags))), tags);
  assert.equal(
    codeOf(() => parseTagging(xml, Buffer.from('<Tagging></Tagging>'))),
    'MalformedXML',
  );
  const priv = parse(aclDocument(owner, 'private')).AccessControlPolicy;
  assert.equal(priv.AccessControlList.Grant.Permission, 'FULL_CONTROL');
  const pub = parse(aclDocument(owner, 'public-read')).AccessControlPolicy;
  assert.deepEqual(
    pub.AccessControlList.Grant.map((g: { Permission: string }) => g.Permission),
    ['FULL_CONTROL', 'READ'],
  );
  assert.equal(pub.AccessControlList.Grant[1].Grantee.URI, 'http://acs.amazonaws.com/groups/global/AllUsers');
});
