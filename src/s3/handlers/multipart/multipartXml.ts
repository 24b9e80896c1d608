/** Response documents of the multipart operations, shaped as botocore's S3 model reads them. */
import type { ObjectChecksum, PartRecord, UploadRecord } from '../../../domain/ports/objectRecords.js';
import { XmlWriter, isoMillis } from '../../xml.js';
import { quoteEtag } from '../object/objectResponseHeaders.js';
import { writeOwner, type S3Owner } from '../../owner.js';

const ownerElems = (w: XmlWriter, name: 'Owner' | 'Initiator', o: S3Owner): void => writeOwner(w, o, name);

export function initiateResult(bucket: string, key: string, uploadId: string): string {
  return new XmlWriter('InitiateMultipartUploadResult')
    .elem('Bucket', bucket)
    .elem('Key', key)
    .elem('UploadId', uploadId)
    .done();
}

export function completeResult(opts: {
  location: string;
  bucket: string;
  key: string;
  etag: string;
  checksum?: ObjectChecksum;
}): string {
  const w = new XmlWriter('CompleteMultipartUploadResult')
    .elem('Location', opts.location)
    .elem('Bucket', opts.bucket)
    .elem('Key', opts.key)
    .elem('ETag', quoteEtag(opts.etag));
  if (opts.checksum) {
    w.elem(`Checksum${opts.checksum.algorithm}`, opts.checksum.value).elem('ChecksumType', opts.checksum.type);
  }
  return w.done();
}

export function copyPartResult(etag: string, lastModified: number, checksum?: PartRecord['checksum']): string {
  const w = new XmlWriter('CopyPartResult').elem('ETag', quoteEtag(etag)).elem('LastModified', isoMillis(lastModified));
  if (checksum) w.elem(`Checksum${checksum.algorithm}`, checksum.value);
  return w.done();
}

export function listPartsResult(opts: {
  bucket: string;
  key: string;
  upload: UploadRecord;
  owner: S3Owner;
  partNumberMarker: number;
  maxParts: number;
  parts: PartRecord[];
  isTruncated: boolean;
  nextPartNumberMarker?: number;
}): string {
  const w = new XmlWriter('ListPartsResult')
    .elem('Bucket', opts.bucket)
    .elem('Key', opts.key)
    .elem('UploadId', opts.upload.uploadId)
    .elem('PartNumberMarker', opts.partNumberMarker);
  if (opts.nextPartNumberMarker !== undefined) w.elem('NextPartNumberMarker', opts.nextPartNumberMarker);
  w.elem('MaxParts', opts.maxParts).elem('IsTruncated', opts.isTruncated);
  for (const p of opts.parts) {
    w.open('Part')
      .elem('PartNumber', p.partNumber)
      .elem('LastModified', isoMillis(p.lastModified))
      .elem('ETag', quoteEtag(p.etag))
      .elem('Size', p.size);
    if (p.checksum) w.elem(`Checksum${p.checksum.algorithm}`, p.checksum.value);
    w.close('Part');
  }
  ownerElems(w, 'Initiator', opts.owner);
  ownerElems(w, 'Owner', opts.owner);
  w.elem('StorageClass', opts.upload.storageClass);
  if (opts.upload.checksumAlgorithm) w.elem('ChecksumAlgorithm', opts.upload.checksumAlgorithm);
  if (opts.upload.checksumType) w.elem('ChecksumType', opts.upload.checksumType);
  return w.done();
}

export function listUploadsResult(opts: {
  bucket: string;
  owner: S3Owner;
  prefix: string;
  delimiter?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  maxUploads: number;
  encodeKey: (k: string) => string;
  encodingType?: string;
  uploads: UploadRecord[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
}): string {
  const enc = opts.encodeKey;
  const w = new XmlWriter('ListMultipartUploadsResult')
    .elem('Bucket', opts.bucket)
    .elem('KeyMarker', enc(opts.keyMarker ?? ''))
    .elem('UploadIdMarker', opts.uploadIdMarker ?? '');
  if (opts.nextKeyMarker !== undefined) w.elem('NextKeyMarker', enc(opts.nextKeyMarker));
  if (opts.nextUploadIdMarker !== undefined) w.elem('NextUploadIdMarker', opts.nextUploadIdMarker);
  w.elem('Prefix', enc(opts.prefix));
  if (opts.delimiter !== undefined) w.elem('Delimiter', enc(opts.delimiter));
  if (opts.encodingType !== undefined) w.elem('EncodingType', opts.encodingType);
  w.elem('MaxUploads', opts.maxUploads).elem('IsTruncated', opts.isTruncated);
  for (const u of opts.uploads) {
    w.open('Upload').elem('Key', enc(u.key)).elem('UploadId', u.uploadId);
    ownerElems(w, 'Initiator', opts.owner);
    ownerElems(w, 'Owner', opts.owner);
    w.elem('StorageClass', u.storageClass).elem('Initiated', isoMillis(u.initiated));
    if (u.checksumAlgorithm) w.elem('ChecksumAlgorithm', u.checksumAlgorithm);
    if (u.checksumType) w.elem('ChecksumType', u.checksumType);
    w.close('Upload');
  }
  for (const p of opts.commonPrefixes) w.open('CommonPrefixes').elem('Prefix', enc(p)).close('CommonPrefixes');
  return w.done();
}
