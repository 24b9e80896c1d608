/**
 * GetObjectAttributes: the attributes named in x-amz-object-attributes (ETag, Checksum,
 * ObjectParts, StorageClass, ObjectSize). Parts are listed with their sizes, paged by
 * x-amz-max-parts / x-amz-part-number-marker.
 */
import { S3Error } from '../../errors.js';
import type { ObjectCall, S3Handler } from '../../types.js';
import { XmlWriter, httpDate } from '../../xml.js';
import { partChecksum, setVersionHeader } from './objectResponseHeaders.js';
import { headerValue } from './writeHeaders.js';
import { versionIdOf } from './writeRequest.js';

const ATTRIBUTES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);
const INTEGER = /^\d+$/;

function intHeader(call: ObjectCall, name: string, fallback: number, max: number): number {
  const v = headerValue(call.headers, name);
  if (v === undefined) return fallback;
  if (!INTEGER.test(v.trim()))
    throw new S3Error('InvalidArgument', `${name} must be a non-negative integer (got '${v}').`, {
      ArgumentName: name,
      ArgumentValue: v,
    });
  return Math.min(Number(v.trim()), max);
}

export const getObjectAttributes: S3Handler<ObjectCall> = async (call, reply) => {
  const raw = headerValue(call.headers, 'x-amz-object-attributes');
  const wanted = new Set(
    (raw ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
  if (wanted.size === 0)
    throw new S3Error(
      'InvalidArgument',
      'The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty.',
      { ArgumentName: 'x-amz-object-attributes' },
    );
  for (const a of wanted) {
    if (!ATTRIBUTES.has(a))
      throw new S3Error('InvalidArgument', `Invalid attribute name specified: '${a}'.`, {
        ArgumentName: 'x-amz-object-attributes',
        ArgumentValue: a,
      });
  }
  const versionId = versionIdOf(call);
  const read = await call.services.objects.getObject(
    call.bucket,
    call.key,
    versionId !== undefined ? { versionId } : {},
  );
  const o = read.object;
  reply.header('Last-Modified', httpDate(o.lastModified));
  setVersionHeader(reply, call.bucket, o.versionId);
  const w = new XmlWriter('GetObjectAttributesResponse');
  if (wanted.has('ETag')) w.elem('ETag', o.etag);
  if (wanted.has('Checksum') && o.checksum) {
    w.open('Checksum')
      .elem(`Checksum${o.checksum.algorithm}`, o.checksum.value)
      .elem('ChecksumType', o.checksum.type)
      .close('Checksum');
  }
  if (wanted.has('ObjectParts') && o.partsCount > 0) {
    const maxParts = intHeader(call, 'x-amz-max-parts', 1000, 1000);
    const marker = intHeader(call, 'x-amz-part-number-marker', 0, 10000);
    const sizes = new Map<number, number>();
    for (const s of o.segments) sizes.set(s.partNumber, (sizes.get(s.partNumber) ?? 0) + s.length);
    const numbers = [...sizes.keys()].filter((n) => n > marker).sort((a, b) => a - b);
    const page = numbers.slice(0, maxParts);
    const truncated = numbers.length > page.length;
    w.open('ObjectParts').elem('PartsCount', o.partsCount).elem('PartNumberMarker', marker);
    if (truncated && page.length > 0) w.elem('NextPartNumberMarker', page[page.length - 1]);
    w.elem('MaxParts', maxParts).elem('IsTruncated', truncated);
    for (const n of page) {
      w.open('Part').elem('PartNumber', n).elem('Size', sizes.get(n));
      const checksum = o.checksum && partChecksum(o, n);
      if (o.checksum && checksum !== undefined) w.elem(`Checksum${o.checksum.algorithm}`, checksum);
      w.close('Part');
    }
    w.close('ObjectParts');
  }
  if (wanted.has('StorageClass')) w.elem('StorageClass', o.storageClass);
  if (wanted.has('ObjectSize')) w.elem('ObjectSize', o.size);
  reply.xml(w.done());
};
