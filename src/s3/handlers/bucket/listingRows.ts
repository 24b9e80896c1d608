/**
 * Listing rows (`<Contents>`, `<Version>`, `<DeleteMarker>`, `<CommonPrefixes>`) built as one
 * string per row with literal tags: listings write up to 1000 of them per page.
 */
import type { ObjectSummary, VersionSummary } from '../../../domain/ports/objectRecords.js';
import type { S3Owner } from '../../owner.js';
import { escapeXml, IsoMillisFormatter, type XmlWriter } from '../../xml.js';
import { encodeKey } from './listingParams.js';

const ownerXml = (owner: S3Owner | undefined): string =>
  owner === undefined
    ? ''
    : '<Owner><ID>' +
      escapeXml(owner.id) +
      '</ID><DisplayName>' +
      escapeXml(owner.displayName) +
      '</DisplayName></Owner>';

const checksumXml = (o: ObjectSummary): string =>
  (o.checksumAlgorithm === undefined ? '' : '<ChecksumAlgorithm>' + o.checksumAlgorithm + '</ChecksumAlgorithm>') +
  (o.checksumType === undefined ? '' : '<ChecksumType>' + o.checksumType + '</ChecksumType>');

/** The storage class every object has here, as a constant (other values are escaped). */
const STANDARD_CLASS_XML = '<StorageClass>STANDARD</StorageClass>';
const storageClassXml = (storageClass: string): string =>
  storageClass === 'STANDARD' ? STANDARD_CLASS_XML : '<StorageClass>' + escapeXml(storageClass) + '</StorageClass>';

export function writeContents(
  w: XmlWriter,
  rows: readonly ObjectSummary[],
  encoding: 'url' | undefined,
  owner: S3Owner | undefined,
): void {
  const ownerPart = ownerXml(owner);
  // The common row (STANDARD, no checksum) ends in one constant: fewer concatenations per row.
  const plainTail = '&quot;</ETag><Size>';
  const standardEnd = '</Size>' + ownerPart + STANDARD_CLASS_XML + '</Contents>';
  const dates = new IsoMillisFormatter();
  for (const o of rows) {
    const head =
      '<Contents><Key>' +
      escapeXml(encodeKey(o.key, encoding)) +
      '</Key><LastModified>' +
      dates.format(o.lastModified) +
      '</LastModified><ETag>&quot;' +
      escapeXml(o.etag);
    if (o.storageClass === 'STANDARD' && o.checksumAlgorithm === undefined && o.checksumType === undefined) {
      w.raw(head + plainTail + o.size + standardEnd);
    } else {
      w.raw(
        head +
          '&quot;</ETag>' +
          checksumXml(o) +
          '<Size>' +
          o.size +
          '</Size>' +
          ownerPart +
          storageClassXml(o.storageClass) +
          '</Contents>',
      );
    }
  }
}

export function writeVersions(
  w: XmlWriter,
  rows: readonly VersionSummary[],
  encoding: 'url' | undefined,
  owner: S3Owner,
): void {
  const ownerPart = ownerXml(owner);
  const dates = new IsoMillisFormatter();
  for (const v of rows) {
    const head =
      '<Key>' +
      escapeXml(encodeKey(v.key, encoding)) +
      '</Key><VersionId>' +
      escapeXml(v.versionId) +
      '</VersionId><IsLatest>' +
      v.isLatest +
      '</IsLatest><LastModified>' +
      dates.format(v.lastModified) +
      '</LastModified>';
    if (v.isDeleteMarker) {
      w.raw('<DeleteMarker>' + head + ownerPart + '</DeleteMarker>');
    } else {
      w.raw(
        '<Version>' +
          head +
          '<ETag>&quot;' +
          escapeXml(v.etag) +
          '&quot;</ETag>' +
          checksumXml(v) +
          '<Size>' +
          v.size +
          '</Size>' +
          ownerPart +
          storageClassXml(v.storageClass) +
          '</Version>',
      );
    }
  }
}

export function writeCommonPrefixes(w: XmlWriter, prefixes: readonly string[], encoding: 'url' | undefined): void {
  for (const p of prefixes)
    w.raw('<CommonPrefixes><Prefix>' + escapeXml(encodeKey(p, encoding)) + '</Prefix></CommonPrefixes>');
}
