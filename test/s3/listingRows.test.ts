/**
 * `<Contents>` rows of ListObjects(V2): writeContents builds each row from a few pieces, with the
 * part after the ETag made once per run of rows with the same storage class and checksum parts.
 * (ListObjectVersions' `<Version>` rows the same way.)
 * Checked against a plain element-by-element rendering on random mixes (keys that need XML
 * escaping or URL encoding next to keys that do not, non-ASCII and astral keys, every checksum and
 * class combination changing between rows or not, with and without an owner), and end to end with
 * the JS SDK: a page mixing default-checksum, CRC32, SHA256 and composite multipart objects under
 * such keys, listed with and without encoding-type=url, equals what HeadObject says of each.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type _Object,
} from '@aws-sdk/client-s3';
import type { ObjectSummary, VersionSummary } from '../../src/domain/ports/objectRecords.js';
import { writeContents, writeVersions } from '../../src/s3/handlers/bucket/listingRows.js';
import { ownerOf, type S3Owner } from '../../src/s3/owner.js';
import { escapeXml, XmlWriter } from '../../src/s3/xml.js';
import { startDataPlane, type DataPlaneFixture } from './clientsHarness.js';

/** One row, element by element (the reference: no shared pieces, Date#toISOString). */
function referenceRow(o: ObjectSummary, encoding: 'url' | undefined, owner: S3Owner | undefined): string {
  const elem = (name: string, value: string | number): string => `<${name}>${escapeXml(String(value))}</${name}>`;
  const key = encoding === 'url' ? encodeURIComponent(o.key).replaceAll('%2F', '/') : o.key;
  return (
    '<Contents>' +
    elem('Key', key) +
    elem('LastModified', new Date(o.lastModified).toISOString()) +
    elem('ETag', `"${o.etag}"`) +
    (o.checksumAlgorithm === undefined ? '' : elem('ChecksumAlgorithm', o.checksumAlgorithm)) +
    (o.checksumType === undefined ? '' : elem('ChecksumType', o.checksumType)) +
    elem('Size', o.size) +
    (owner === undefined ? '' : `<Owner>${elem('ID', owner.id)}${elem('DisplayName', owner.displayName)}</Owner>`) +
    elem('StorageClass', o.storageClass) +
    '</Contents>'
  );
}

const KEY_PIECES = [
  'plain',
  'a/b',
  '&',
  '<',
  '>',
  '"',
  "'",
  '\r',
  '\u0001',
  'é',
  '日本',
  '\u{1F600}',
  ' ',
  '%',
  '+',
  '?',
];
const CLASSES = ['STANDARD', 'STANDARD', 'STANDARD', 'GLACIER', 'A&B'];
const ALGORITHMS = [undefined, 'CRC32', 'CRC64NVME', 'SHA256'] as const;
const TYPES = [undefined, 'FULL_OBJECT', 'COMPOSITE'] as const;

test('writeContents equals an element-by-element rendering on random rows (escaping, url encoding, class and checksum runs, owner)', () => {
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const pick = <T>(a: readonly T[]): T => a[rand(a.length)];
  for (let doc = 0; doc < 40; doc++) {
    const rows: ObjectSummary[] = [];
    let prev: ObjectSummary | undefined;
    let t = 1_764_420_000_000 + rand(1_000_000);
    for (let i = 0; i < 300; i++) {
      const key = Array.from({ length: 1 + rand(4) }, () => pick(KEY_PIECES)).join('') + i;
      t += rand(4) === 0 ? rand(5000) : 0;
      const same = prev !== undefined && rand(10) < 7;
      const o: ObjectSummary = {
        key,
        size: rand(3) === 0 ? 0 : rand(2 ** 31),
        etag: rand(8) === 0 ? `${'ab'.repeat(16)}-${1 + rand(20)}` : 'cd'.repeat(16),
        lastModified: t,
        storageClass: same ? prev!.storageClass : pick(CLASSES),
      };
      const algorithm = same ? prev!.checksumAlgorithm : pick(ALGORITHMS);
      const type = same ? prev!.checksumType : pick(TYPES);
      if (algorithm !== undefined) o.checksumAlgorithm = algorithm;
      if (type !== undefined) o.checksumType = type;
      rows.push(o);
      prev = o;
    }
    const encoding = doc % 2 === 0 ? undefined : 'url';
    const owner = doc % 3 === 0 ? ownerOf('acct&<"') : undefined;
    const w = new XmlWriter('ListBucketResult');
    writeContents(w, rows, encoding, owner);
    const expected =
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      rows.map((o) => referenceRow(o, encoding, owner)).join('') +
      '</ListBucketResult>';
    assert.equal(w.done(), expected, `document ${doc}`);
  }
});

/** One ListObjectVersions row, element by element. */
function referenceVersion(v: VersionSummary, encoding: 'url' | undefined, owner: S3Owner): string {
  const elem = (name: string, value: string | number | boolean): string =>
    `<${name}>${escapeXml(String(value))}</${name}>`;
  const key = encoding === 'url' ? encodeURIComponent(v.key).replaceAll('%2F', '/') : v.key;
  const head =
    elem('Key', key) +
    elem('VersionId', v.versionId) +
    elem('IsLatest', v.isLatest) +
    elem('LastModified', new Date(v.lastModified).toISOString());
  const ownerXml = `<Owner>${elem('ID', owner.id)}${elem('DisplayName', owner.displayName)}</Owner>`;
  if (v.isDeleteMarker) return `<DeleteMarker>${head}${ownerXml}</DeleteMarker>`;
  return (
    '<Version>' +
    head +
    elem('ETag', `"${v.etag}"`) +
    (v.checksumAlgorithm === undefined ? '' : elem('ChecksumAlgorithm', v.checksumAlgorithm)) +
    (v.checksumType === undefined ? '' : elem('ChecksumType', v.checksumType)) +
    elem('Size', v.size) +
    ownerXml +
    elem('StorageClass', v.storageClass) +
    '</Version>'
  );
}

test('writeVersions equals an element-by-element rendering on random versions and delete markers', () => {
  let seed = 11;
  const rand = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const pick = <T>(a: readonly T[]): T => a[rand(a.length)];
  for (let doc = 0; doc < 30; doc++) {
    const rows: VersionSummary[] = [];
    let prev: VersionSummary | undefined;
    for (let i = 0; i < 200; i++) {
      const same = prev !== undefined && rand(10) < 7;
      const v: VersionSummary = {
        key: Array.from({ length: 1 + rand(3) }, () => pick(KEY_PIECES)).join('') + i,
        versionId: rand(5) === 0 ? 'null' : `v${rand(1e9)}&<`,
        isLatest: rand(3) === 0,
        isDeleteMarker: rand(5) === 0,
        size: rand(2 ** 31),
        etag: 'ef'.repeat(16),
        lastModified: 1_764_420_000_000 + rand(100_000),
        storageClass: same ? prev!.storageClass : pick(CLASSES),
      };
      const algorithm = same ? prev!.checksumAlgorithm : pick(ALGORITHMS);
      const type = same ? prev!.checksumType : pick(TYPES);
      if (algorithm !== undefined) v.checksumAlgorithm = algorithm;
      if (type !== undefined) v.checksumType = type;
      rows.push(v);
      prev = v;
    }
    const encoding = doc % 2 === 0 ? undefined : 'url';
    const owner = ownerOf(doc % 3 === 0 ? 'acct&<"' : 'acct');
    const w = new XmlWriter('ListVersionsResult');
    writeVersions(w, rows, encoding, owner);
    const expected =
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      rows.map((v) => referenceVersion(v, encoding, owner)).join('') +
      '</ListVersionsResult>';
    assert.equal(w.done(), expected, `document ${doc}`);
  }
});

let fx: DataPlaneFixture;
let s3: S3Client;
before(async () => {
  fx = await startDataPlane();
  s3 = fx.s3For(fx.key, { checksumsWhenRequired: true });
});
after(async () => {
  await fx?.close();
});

/** Keys in byte order alternate plain ASCII, XML-special, URL-special and non-ASCII names. */
const NAMES = ['plain', 'a&b<c>"q\'', 'sp ace+%25?', 'é日本', 'emoji\u{1F600}', 'x/y/z', 'tab\tcr\r'];
/** How each object is written; its row shows that checksum. */
const KINDS = ['default', 'CRC32', 'SHA256', 'composite'] as const;

test('ListObjectsV2 and ListObjects rows mixing checksum kinds and key kinds equal HeadObject, with and without encoding-type=url', async () => {
  const prefix = 'rows/';
  const expected = new Map<string, { kind: (typeof KINDS)[number]; size: number }>();
  for (let i = 0; i < 28; i++) {
    const key = `${prefix}${String(i).padStart(2, '0')}-${NAMES[i % NAMES.length]}`;
    const kind = KINDS[Math.floor(i / 2) % KINDS.length];
    const body = Buffer.from(key.repeat(1 + (i % 3)));
    if (kind === 'composite') {
      const up = await s3.send(
        new CreateMultipartUploadCommand({
          Bucket: fx.bucket,
          Key: key,
          ChecksumAlgorithm: 'CRC32',
          ChecksumType: 'COMPOSITE',
        }),
      );
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: fx.bucket,
          Key: key,
          UploadId: up.UploadId,
          PartNumber: 1,
          Body: body,
          ChecksumAlgorithm: 'CRC32',
        }),
      );
      await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: fx.bucket,
          Key: key,
          UploadId: up.UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 }] },
        }),
      );
    } else {
      await s3.send(
        new PutObjectCommand({
          Bucket: fx.bucket,
          Key: key,
          Body: body,
          ...(kind === 'default' ? {} : { ChecksumAlgorithm: kind }),
        }),
      );
    }
    expected.set(key, { kind, size: body.length });
  }
  const keys = [...expected.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

  const check = async (rows: _Object[] | undefined, decode: (k: string) => string, what: string) => {
    assert.deepEqual(
      rows?.map((o) => decode(o.Key!)),
      keys,
      `${what}: keys`,
    );
    for (const o of rows) {
      const key = decode(o.Key!);
      const head = await s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: key, ChecksumMode: 'ENABLED' }));
      const { kind, size } = expected.get(key)!;
      const algorithm = kind === 'default' ? 'CRC64NVME' : kind === 'composite' ? 'CRC32' : kind;
      assert.deepEqual(
        {
          etag: o.ETag,
          size: o.Size,
          lastModified: Math.floor(o.LastModified!.getTime() / 1000), // HeadObject's date has seconds only
          algorithm: o.ChecksumAlgorithm,
          type: o.ChecksumType,
          storageClass: o.StorageClass,
        },
        {
          etag: head.ETag,
          size,
          lastModified: head.LastModified!.getTime() / 1000,
          algorithm: [algorithm],
          type: kind === 'composite' ? 'COMPOSITE' : 'FULL_OBJECT',
          storageClass: 'STANDARD',
        },
        `${what}: ${JSON.stringify(key)}`,
      );
      assert.equal(head.ChecksumType, kind === 'composite' ? 'COMPOSITE' : 'FULL_OBJECT');
    }
  };
  const v2 = await s3.send(new ListObjectsV2Command({ Bucket: fx.bucket, Prefix: prefix }));
  await check(v2.Contents, (k) => k, 'ListObjectsV2');
  const v2url = await s3.send(new ListObjectsV2Command({ Bucket: fx.bucket, Prefix: prefix, EncodingType: 'url' }));
  // The SDK does not decode: the keys arrive URL-encoded ('/' kept, as S3 sends them).
  assert.ok(v2url.Contents?.some((o) => o.Key!.includes('%')));
  assert.ok(v2url.Contents?.every((o) => !/[ &<>"\r\t\u0080-\uffff]/.test(o.Key!)));
  await check(v2url.Contents, decodeURIComponent, 'ListObjectsV2 encoding-type=url');
  const v1 = await s3.send(new ListObjectsCommand({ Bucket: fx.bucket, Prefix: prefix }));
  await check(v1.Contents, (k) => k, 'ListObjects');
});
