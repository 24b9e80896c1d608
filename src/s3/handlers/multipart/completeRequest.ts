import type { ChecksumAlgorithm } from '../../../domain/ports/objectRecords.js';
import { unquoteEtag } from '../../../domain/objects/limits.js';
import { S3Error } from '../../errors.js';
import { asList, asText, type XmlReader } from '../../xml.js';

/** One `<Part>` of a CompleteMultipartUpload document; ETag without quotes. */
export interface CompletedPart {
  partNumber: number;
  etag: string;
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

const CHECKSUM_ELEMENTS: ReadonlyArray<[string, ChecksumAlgorithm]> = [
  ['ChecksumCRC32', 'CRC32'],
  ['ChecksumCRC32C', 'CRC32C'],
  ['ChecksumCRC64NVME', 'CRC64NVME'],
  ['ChecksumSHA1', 'SHA1'],
  ['ChecksumSHA256', 'SHA256'],
];

const INTEGER = /^\s*\d+\s*$/;

/** Parses `<CompleteMultipartUpload><Part><PartNumber/><ETag/>...</Part>...</CompleteMultipartUpload>`. */
export function parseCompleteRequest(xml: XmlReader, doc: Buffer): CompletedPart[] {
  const root = xml.parse(doc, 'CompleteMultipartUpload');
  const parts = asList(root.Part);
  if (parts.length === 0) {
    throw new S3Error(
      'MalformedXML',
      'The CompleteMultipartUpload document lists no <Part>: at least one part is required.',
    );
  }
  if (parts.length > 10000)
    throw new S3Error(
      'MalformedXML',
      `The CompleteMultipartUpload document lists ${parts.length} parts; the limit is 10000.`,
    );
  return parts.map((p, i): CompletedPart => {
    if (typeof p !== 'object' || p === null)
      throw new S3Error('MalformedXML', `<Part> number ${i + 1} has no <PartNumber> and <ETag>.`);
    const el = p as Record<string, unknown>;
    const num = asText(el.PartNumber);
    const etag = asText(el.ETag);
    if (num === undefined || !INTEGER.test(num)) {
      throw new S3Error('MalformedXML', `<Part> number ${i + 1} has an invalid <PartNumber> '${num ?? ''}'.`);
    }
    if (etag === undefined || etag.trim() === '')
      throw new S3Error('MalformedXML', `<Part> with PartNumber ${num.trim()} has no <ETag>.`);
    const checksums: CompletedPart['checksums'] = {};
    for (const [name, alg] of CHECKSUM_ELEMENTS) {
      const v = asText(el[name]);
      if (v !== undefined) checksums[alg] = v.trim();
    }
    return { partNumber: Number(num), etag: unquoteEtag(etag), checksums };
  });
}
