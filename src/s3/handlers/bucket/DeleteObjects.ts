/**
 * DeleteObjects: up to 1000 keys in one request, quiet mode. Like S3, the request must carry
 * Content-MD5 or an x-amz-checksum-* value (header, or trailer named by x-amz-trailer); the body
 * verifier checks whichever was sent before the document is parsed.
 */
import { fromDomainError, S3Error } from '../../errors.js';
import type { BucketCall, S3Handler } from '../../types.js';
import { asList, asText, readBoundedBody, XmlWriter } from '../../xml.js';

export const MAX_DELETE_KEYS = 1000;
const CHECKSUM_HEADERS = [
  'x-amz-checksum-crc32',
  'x-amz-checksum-crc32c',
  'x-amz-checksum-crc64nvme',
  'x-amz-checksum-sha1',
  'x-amz-checksum-sha256',
];

/** Content-MD5, an x-amz-checksum-* header, or a trailer (S3 requires one on DeleteObjects and PutBucketCors). */
export function hasIntegrityHeader(h: BucketCall['headers']): boolean {
  if (h['content-md5'] !== undefined) return true;
  if (h['x-amz-trailer'] !== undefined) return true;
  return CHECKSUM_HEADERS.some((name) => h[name] !== undefined);
}

interface Item {
  key: string;
  versionId?: string;
}

function parseItems(call: BucketCall, doc: Buffer): { items: Item[]; quiet: boolean } {
  const root = call.xml.parse(doc, 'Delete');
  const quietText = asText(root.Quiet);
  const objects = asList(root.Object);
  if (objects.length === 0)
    throw new S3Error('MalformedXML', 'The Delete document names no <Object>; name 1 to 1000 keys.');
  if (objects.length > MAX_DELETE_KEYS) {
    throw new S3Error(
      'MalformedXML',
      `The Delete document names ${objects.length} objects; at most ${MAX_DELETE_KEYS} may be deleted per request.`,
    );
  }
  const items = objects.map((o, i): Item => {
    const obj = (typeof o === 'object' && o !== null ? o : {}) as Record<string, unknown>;
    const key = asText(obj.Key);
    if (key === undefined || key === '')
      throw new S3Error('MalformedXML', `Object ${i + 1} of the Delete document has no <Key>.`);
    const versionId = asText(obj.VersionId);
    return versionId === undefined || versionId === '' ? { key } : { key, versionId };
  });
  return { items, quiet: quietText !== undefined && quietText.trim().toLowerCase() === 'true' };
}

export const deleteObjects: S3Handler<BucketCall> = async (call, reply) => {
  if (!hasIntegrityHeader(call.headers)) {
    throw new S3Error(
      'InvalidRequest',
      'Missing required header for this request: Content-MD5 or x-amz-checksum-* (DeleteObjects must carry an integrity check).',
    );
  }
  const doc = await readBoundedBody(call.body.stream);
  await call.body.result();
  const { items, quiet } = parseItems(call, doc);
  const results = await call.services.objects.deleteObjects(call.bucket, items);
  const w = new XmlWriter('DeleteResult');
  for (const r of results) {
    if (r.ok) {
      if (quiet) continue;
      w.open('Deleted').elem('Key', r.key).elem('VersionId', r.requestedVersionId);
      if (r.deleteMarker) w.elem('DeleteMarker', true).elem('DeleteMarkerVersionId', r.versionId);
      w.close('Deleted');
    } else {
      w.open('Error')
        .elem('Key', r.key)
        .elem('VersionId', r.versionId)
        .elem('Code', fromDomainError(r.error).code)
        .elem('Message', r.error.message)
        .close('Error');
    }
  }
  reply.xml(w);
};
