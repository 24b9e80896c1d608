/**
 * The request body as handlers see it: node's request piped into the SigV4 body verifier for
 * the request's payload mode, created only when a handler first touches it (GET/HEAD never pay).
 * A client that goes away mid-body fails the stream with IncompleteBody instead of leaving it open.
 */
import type { IncomingMessage } from 'node:http';
import { createBodyVerifier, type BodyVerifier } from '../sigv4/bodyVerifier.js';
import { SigV4Error } from '../sigv4/errors.js';
import { isStreamingMode } from '../sigv4/payloadHeaders.js';
import type { VerifiedSignature } from '../sigv4/types.js';
import type { ChecksumAlgorithm } from '../crypto/checksums.js';
import { S3Error } from './errors.js';
import type { VerifiedBody } from './types.js';

/**
 * aws-chunked framing (chunk-size lines, chunk signatures, the trailer) read along with a small
 * body before whole() lets the stream path take it instead.
 */
const MAX_WHOLE_FRAMING_BYTES = 8 * 1024;

const lengthHeader = (v: string | string[] | undefined): number | undefined => {
  if (typeof v !== 'string' || v === '') return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

export function createVerifiedBody(req: IncomingMessage, verified: VerifiedSignature | undefined): VerifiedBody {
  let verifier: BodyVerifier | undefined;
  const computeChecksums: ChecksumAlgorithm[] = [];
  let verifierHeaders = req.headers;
  const contentLength = lengthHeader(req.headers['content-length']);
  const decodedHeader = req.headers['x-amz-decoded-content-length'];
  const streaming = verified !== undefined && isStreamingMode(verified.payloadMode);
  // Only an aws-chunked body has a decoded length of its own; on any other body the header may
  // only repeat Content-Length (a length that disagrees would be a body that cannot be).
  if (!streaming && decodedHeader !== undefined && lengthHeader(decodedHeader) !== contentLength) {
    throw new S3Error(
      'InvalidRequest',
      `x-amz-decoded-content-length (${String(decodedHeader).slice(0, 32)}) is only for aws-chunked bodies; this body is not aws-chunked and its Content-Length is ${contentLength ?? 'not given'}.`,
    );
  }
  const declaredLength = (streaming ? lengthHeader(decodedHeader) : undefined) ?? contentLength;
  const open = (): BodyVerifier => {
    if (verifier !== undefined) return verifier;
    if (verified === undefined)
      throw new S3Error('AccessDenied', 'Access Denied: an unsigned request cannot send a body');
    // req.headers on purpose: the body verifier reads payload promises, not signed values, and a
    // repeated x-amz-trailer or checksum header joined by node is refused as several checksums
    // instead of silently keeping the first (the signature was checked on every value already).
    const v = createBodyVerifier({ verified, headers: verifierHeaders, contentLength, computeChecksums });
    verifier = v;
    // Consumers see failures through their own listeners/pipeline and through `result`; this one
    // only keeps a failure that happens after the consumer let go from becoming an uncaught error.
    v.on('error', () => undefined);
    req.on('error', (err) => v.destroy(err));
    req.on('close', () => {
      if (!req.complete && !v.destroyed) {
        v.destroy(
          new SigV4Error(
            'IncompleteBody',
            `The client closed the connection before the whole body arrived (Content-Length: ${contentLength ?? 'not given'}).`,
          ),
        );
      }
    });
    req.pipe(v);
    return v;
  };
  /**
   * A small body: collected from the request into one Buffer, then verified (and, aws-chunked,
   * decoded) at once.
   */
  const whole = (maxBytes: number): Promise<Buffer> | undefined => {
    if (
      verifier !== undefined ||
      contentLength === undefined ||
      declaredLength === undefined ||
      declaredLength > maxBytes
    )
      return undefined;
    if (verified === undefined)
      throw new S3Error('AccessDenied', 'Access Denied: an unsigned request cannot send a body');
    const framing = isStreamingMode(verified.payloadMode) ? MAX_WHOLE_FRAMING_BYTES : 0;
    if (contentLength > maxBytes + framing || (framing === 0 && contentLength !== declaredLength)) return undefined;
    const v = createBodyVerifier({ verified, headers: verifierHeaders, contentLength, computeChecksums });
    verifier = v;
    const p = new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        v.abandon(err);
        reject(err);
      };
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > contentLength)
          fail(new SigV4Error('IncompleteBody', `The body is longer than its Content-Length ${contentLength}.`));
        else if (!settled) chunks.push(chunk);
      });
      req.on('end', () => {
        if (settled) return;
        settled = true;
        const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
        v.verifyWhole(bytes).then(resolve, reject);
      });
      req.on('error', (err) => fail(err));
      req.on('close', () => {
        if (!req.complete)
          fail(
            new SigV4Error(
              'IncompleteBody',
              `The client closed the connection before the whole body arrived (Content-Length: ${contentLength}).`,
            ),
          );
      });
    });
    p.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
    return p;
  };
  return {
    get stream() {
      return open();
    },
    declaredLength,
    result: () => open().result,
    whole,
    checksumHeadersDescribeObject() {
      if (verifier !== undefined)
        throw new Error('checksumHeadersDescribeObject must be called before the body is read');
      verifierHeaders = Object.fromEntries(
        Object.entries(req.headers).filter(([n]) => !(n.startsWith('x-amz-checksum-') && n !== 'x-amz-checksum-type')),
      );
    },
    computeAlso(algorithms) {
      if (verifier !== undefined) throw new Error('computeAlso must be called before the body is read');
      for (const a of algorithms) if (!computeChecksums.includes(a)) computeChecksums.push(a);
    },
  };
}
