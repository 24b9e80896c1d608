/** Response documents of the object operations, shaped as botocore's S3 model reads them. */
import type { CannedAcl, ObjectChecksum } from '../../../domain/ports/objectRecords.js';
import type { Tag } from '../../../domain/ports/records.js';
import { XmlWriter, escapeXml, isoMillis } from '../../xml.js';
import { quoteEtag } from './objectResponseHeaders.js';
import type { S3Owner } from '../../owner.js';

export const ALL_USERS_URI = 'http://acs.amazonaws.com/groups/global/AllUsers';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

export function copyObjectResult(etag: string, lastModified: number, checksum?: ObjectChecksum): string {
  const w = new XmlWriter('CopyObjectResult')
    .elem('ETag', quoteEtag(etag))
    .elem('LastModified', isoMillis(lastModified));
  if (checksum) w.elem('ChecksumType', checksum.type).elem(`Checksum${checksum.algorithm}`, checksum.value);
  return w.done();
}

export function taggingDocument(tags: readonly Tag[]): string {
  const w = new XmlWriter('Tagging').open('TagSet');
  for (const t of tags) w.open('Tag').elem('Key', t.key).elem('Value', t.value).close('Tag');
  return w.close('TagSet').done();
}

/** The owner gets FULL_CONTROL; public-read adds READ for the AllUsers group. */
export function aclDocument(owner: S3Owner, acl: CannedAcl): string {
  const id = escapeXml(owner.id);
  const name = escapeXml(owner.displayName);
  const w = new XmlWriter('AccessControlPolicy')
    .open('Owner')
    .elem('ID', owner.id)
    .elem('DisplayName', owner.displayName)
    .close('Owner')
    .open('AccessControlList')
    .fragment(
      `<Grant><Grantee ${XSI} xsi:type="CanonicalUser"><ID>${id}</ID><DisplayName>${name}</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>`,
    );
  if (acl === 'public-read') {
    w.fragment(
      `<Grant><Grantee ${XSI} xsi:type="Group"><URI>${ALL_USERS_URI}</URI></Grantee><Permission>READ</Permission></Grant>`,
    );
  }
  return w.close('AccessControlList').done();
}
