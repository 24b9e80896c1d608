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

/**
 * What comes between a row's ETag value and its size, and after the size, is the same for every
 * row with the same storage class and checksum parts: made when those change (once for most
 * pages), as flat strings, so a row is a few pieces (fewer to concatenate and to walk when encoding).
 */
class RowTails {
  middle = '';
  end = '';
  private storageClass: string | undefined;
  private algorithm: string | undefined;
  private type: string | undefined;
  constructor(
    private readonly ownerPart: string,
    private readonly closeTag: string,
  ) {}

  of(o: ObjectSummary): this {
    if (
      o.storageClass !== this.storageClass ||
      o.checksumAlgorithm !== this.algorithm ||
      o.checksumType !== this.type
    ) {
      this.storageClass = o.storageClass;
      this.algorithm = o.checksumAlgorithm;
      this.type = o.checksumType;
      this.middle = flatString('&quot;</ETag>' + checksumXml(o) + '<Size>');
      this.end = flatString('</Size>' + this.ownerPart + storageClassXml(o.storageClass) + this.closeTag);
    }
    return this;
  }
}

export function writeContents(
  w: XmlWriter,
  rows: readonly ObjectSummary[],
  encoding: 'url' | undefined,
  owner: S3Owner | undefined,
): void {
  const tails = new RowTails(ownerXml(owner), '</Contents>');
  const dates = new IsoMillisFormatter();
  for (const o of rows) {
    const t = tails.of(o);
    w.raw(
      '<Contents><Key>' +
        escapeXml(encodeKey(o.key, encoding)) +
        '</Key><LastModified>' +
        dates.format(o.lastModified) +
        '</LastModified><ETag>&quot;' +
        escapeXml(o.etag) +
        t.middle +
        o.size +
        t.end,
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
  const markerEnd = flatString(ownerPart + '</DeleteMarker>');
  const tails = new RowTails(ownerPart, '</Version>');
  const dates = new IsoMillisFormatter();
  for (const v of rows) {
    const head =
      '<Key>' +
      escapeXml(encodeKey(v.key, encoding)) +
      '</Key><VersionId>' +
      escapeXml(v.versionId) +
      (v.isLatest
        ? '</VersionId><IsLatest>true</IsLatest><LastModified>'
        : '</VersionId><IsLatest>false</IsLatest><LastModified>') +
      dates.format(v.lastModified) +
      '</LastModified>';
    if (v.isDeleteMarker) {
      w.raw('<DeleteMarker>' + head + markerEnd);
    } else {
      const t = tails.of(v);
      w.raw('<Version>' + head + '<ETag>&quot;' + escapeXml(v.etag) + t.middle + v.size + t.end);
    }
  }
}

export function writeCommonPrefixes(w: XmlWriter, prefixes: readonly string[], encoding: 'url' | undefined): void {
  for (const p of prefixes)
    w.raw('<CommonPrefixes><Prefix>' + escapeXml(encodeKey(p, encoding)) + '</Prefix></CommonPrefixes>');
}
