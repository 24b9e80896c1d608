/**
 * Listing rows (`<Contents>`, `<Version>`, `<DeleteMarker>`, `<CommonPrefixes>`) built as one
 * string per row with literal tags: listings write up to 1000 of them per page.
 */
import type { ObjectSummary, VersionSummary } from '../../../domain/ports/objectRecords.js';
import type { S3Owner } from '../../owner.js';
import { escapeXml, flatString, IsoMillisFormatter, type XmlWriter } from '../../xml.js';
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
  const dates = new IsoMillisFormatter();
  // What comes between the ETag's value and the size, and after the size, is the same for every row
  // with the same storage class and checksum parts: made when those change (once for most pages),
  // as flat strings, so a row is a few pieces (fewer to concatenate and to walk when encoding).
  let storageClass: string | undefined;
  let algorithm: string | undefined;
  let type: string | undefined;
  let middle = '';
  let end = '';
  for (const o of rows) {
    if (o.storageClass !== storageClass || o.checksumAlgorithm !== algorithm || o.checksumType !== type) {
      storageClass = o.storageClass;
      algorithm = o.checksumAlgorithm;
      type = o.checksumType;
      middle = flatString('&quot;</ETag>' + checksumXml(o) + '<Size>');
      end = flatString('</Size>' + ownerPart + storageClassXml(storageClass) + '</Contents>');
    }
    w.raw(
      '<Contents><Key>' +
        escapeXml(encodeKey(o.key, encoding)) +
        '</Key><LastModified>' +
        dates.format(o.lastModified) +
        '</LastModified><ETag>&quot;' +
        escapeXml(o.etag) +
        middle +
        o.size +
        end,
    );
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
