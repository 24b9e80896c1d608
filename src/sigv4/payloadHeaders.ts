/**
 * The body promises a request's headers make: Content-MD5, x-amz-checksum-*, x-amz-trailer,
 * x-amz-sdk-checksum-algorithm, x-amz-decoded-content-length. Validated before the body is read.
 */
import { SigV4Error } from './errors.js';
import { firstHeader } from './headers.js';
import {
  CHECKSUM_ALGORITHMS,
  checksumAlgorithmForHeader,
  checksumHeaderName,
  decodeDigestValue,
  parseChecksumAlgorithm,
  type ChecksumAlgorithm,
} from '../crypto/checksums.js';
import type { Headers, PayloadMode } from './types.js';

const DIGITS = /^\d{1,16}$/;

export interface PayloadExpectations {
  /** Content-MD5, decoded. */
  contentMd5?: Buffer;
  /** x-amz-checksum-<alg> sent as a header. */
  headerChecksum?: { algorithm: ChecksumAlgorithm; value: string };
  /** The checksum x-amz-trailer announces (its value arrives in the trailer). */
  trailerChecksum?: ChecksumAlgorithm;
  /** x-amz-sdk-checksum-algorithm */
  sdkAlgorithm?: ChecksumAlgorithm;
  /** x-amz-decoded-content-length, required for the aws-chunked modes. */
  decodedLength?: number;
}

export function isStreamingMode(mode: PayloadMode): boolean {
  return mode.startsWith('STREAMING-');
}

export function isTrailerMode(mode: PayloadMode): boolean {
  return mode.endsWith('-TRAILER');
}

export function readPayloadExpectations(headers: Headers, mode: PayloadMode): PayloadExpectations {
  const out: PayloadExpectations = {};
  const md5 = firstHeader(headers, 'content-md5');
  if (md5 !== undefined) {
    const raw = decodeDigestValue('MD5', md5);
    if (!raw)
      throw new SigV4Error(
        'InvalidDigest',
        `The Content-MD5 you specified is not valid: '${md5.slice(0, 64)}' is not the base64 of a 16-byte MD5 digest.`,
      );
    out.contentMd5 = raw;
  }
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = checksumHeaderName(algorithm);
    const value = firstHeader(headers, name);
    if (value === undefined) continue;
    if (out.headerChecksum) {
      throw new SigV4Error(
        'InvalidChecksumHeaders',
        `Expecting a single x-amz-checksum- header; got ${checksumHeaderName(out.headerChecksum.algorithm)} and ${name}. Multiple checksum types are not allowed.`,
      );
    }
    if (!decodeDigestValue(algorithm, value)) {
      // S3 answers this InvalidRequest (ceph/s3-tests#644), unlike a malformed Content-MD5 (InvalidDigest).
      throw new SigV4Error(
        'InvalidChecksumHeaders',
        `Value for ${name} header is invalid: '${value.slice(0, 64)}' is not the base64 of a ${algorithm} digest.`,
      );
    }
    out.headerChecksum = { algorithm, value: value.trim() };
  }
  const trailer = firstHeader(headers, 'x-amz-trailer');
  if (trailer !== undefined && trailer.trim() !== '') {
    if (!isTrailerMode(mode)) {
      throw new SigV4Error(
        'InvalidTrailer',
        `x-amz-trailer '${trailer.slice(0, 64)}' needs x-amz-content-sha256 STREAMING-UNSIGNED-PAYLOAD-TRAILER or STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, not ${mode}`,
      );
    }
    const names = trailer
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
    for (const n of names) {
      const algorithm = checksumAlgorithmForHeader(n);
      if (!algorithm)
        throw new SigV4Error(
          'InvalidChecksumHeaders',
          `The value specified in the x-amz-trailer header is not supported: '${n.slice(0, 64)}'`,
        );
      if (out.trailerChecksum || out.headerChecksum) {
        throw new SigV4Error(
          'InvalidChecksumHeaders',
          'Expecting a single x-amz-checksum- header or trailer. Multiple checksum types are not allowed.',
        );
      }
      out.trailerChecksum = algorithm;
    }
  }
  const sdk = firstHeader(headers, 'x-amz-sdk-checksum-algorithm');
  if (sdk !== undefined) {
    const algorithm = parseChecksumAlgorithm(sdk);
    if (!algorithm)
      throw new SigV4Error(
        'InvalidChecksumHeaders',
        `Value for x-amz-sdk-checksum-algorithm header is invalid: '${sdk.slice(0, 32)}'; expected one of ${CHECKSUM_ALGORITHMS.join(', ')}.`,
      );
    out.sdkAlgorithm = algorithm;
  }
  if (isStreamingMode(mode)) {
    const decoded = firstHeader(headers, 'x-amz-decoded-content-length');
    if (decoded === undefined) {
      throw new SigV4Error(
        'MissingDecodedContentLength',
        `x-amz-decoded-content-length is required with x-amz-content-sha256 ${mode}`,
      );
    }
    if (!DIGITS.test(decoded.trim()) || !Number.isSafeInteger(Number(decoded.trim()))) {
      throw new SigV4Error(
        'MissingDecodedContentLength',
        `x-amz-decoded-content-length '${decoded.slice(0, 32)}' is not a whole number of bytes`,
      );
    }
    out.decodedLength = Number(decoded.trim());
  }
  return out;
}
