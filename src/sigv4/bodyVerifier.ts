/**
 * A Transform that checks a request body against everything the verified request promised:
 * payload hash, chunk signatures, decoded length, Content-MD5 and x-amz-checksum-* (header or
 * trailer). It emits the decoded body and errors (never ends normally) on any mismatch, so a
 * caller that commits only after 'finish'/'end' never commits bad data.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { AwsChunkedDecoder } from './awsChunkedDecoder.js';
import {
  createChecksum,
  checksumHeaderName,
  decodeDigestValue,
  type ChecksumAlgorithm,
  type IncrementalChecksum,
} from '../crypto/checksums.js';
import { SigV4Error } from './errors.js';
import { isStreamingMode, isTrailerMode, readPayloadExpectations, type PayloadExpectations } from './payloadHeaders.js';
import type { Headers, VerifiedSignature } from './types.js';

export interface BodyVerifierOptions {
  verified: VerifiedSignature;
  headers: Headers;
  /** Content-Length of the body as sent (encoded length for aws-chunked), when known. */
  contentLength?: number;
  /** Also compute these checksums (e.g. CRC64NVME by default, as S3 does), whatever the client sent. */
  computeChecksums?: readonly ChecksumAlgorithm[];
  /** Signed chunks up to this size are held until their signature is checked (default 1 MiB). */
  maxHeldChunkBytes?: number;
}

export interface ChecksumValue {
  algorithm: ChecksumAlgorithm;
  /** base64 of the big-endian digest */
  value: string;
}

export interface BodyVerification {
  /** Bytes of the decoded body (what gets stored). */
  decodedLength: number;
  /** MD5 of the decoded body: the single-part ETag is `"${md5.toString('hex')}"`. */
  md5: Buffer;
  /** Every checksum computed, verified where the client sent a value. */
  checksums: ChecksumValue[];
  /** The checksum the client sent (header or trailer) or asked for (x-amz-sdk-checksum-algorithm). */
  checksum?: ChecksumValue;
  /** Trailer headers received (aws-chunked trailer modes), lowercase names. */
  trailers: Map<string, string>;
}

/**
 * Bytes buffered on each side before backpressure reaches the request: one socket read (64 KiB).
 * Node's default (16 KiB) is less than one read, so every chunk paused and resumed the socket as
 * soon as the consumer lagged. The blob store's own batches (writeBody) bound the rest.
 */
const HIGH_WATER_MARK = 64 * 1024;

export class BodyVerifier extends Transform {
  /** Resolves after the body verified; rejects with the SigV4Error that stopped it. */
  readonly result: Promise<BodyVerification>;
  private resolveResult!: (r: BodyVerification) => void;
  private rejectResult!: (e: Error) => void;
  private readonly expect: PayloadExpectations;
  private readonly decoder: AwsChunkedDecoder | undefined;
  private readonly md5 = createChecksum('MD5');
  private readonly sha256: IncrementalChecksum | undefined;
  private readonly checksums = new Map<ChecksumAlgorithm, IncrementalChecksum>();
  private length = 0;
  private failed = false;
  /** verifyWhole of an aws-chunked body: the decoded pieces, collected instead of pushed. */
  private sink: Buffer[] | undefined;

  constructor(private readonly opts: BodyVerifierOptions) {
    super({ highWaterMark: HIGH_WATER_MARK });
    this.result = new Promise<BodyVerification>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    this.result.catch(() => {
      /* observed through 'error' or by awaiting result */
    });
    const { verified, headers } = opts;
    const mode = verified.payloadMode;
    this.expect = readPayloadExpectations(headers, mode);
    if (mode === 'SHA256') this.sha256 = createChecksum('SHA256');
    for (const a of [
      this.expect.headerChecksum?.algorithm,
      this.expect.trailerChecksum,
      this.expect.sdkAlgorithm,
      ...(opts.computeChecksums ?? []),
    ]) {
      if (a !== undefined && !this.checksums.has(a)) this.checksums.set(a, createChecksum(a));
    }
    if (isStreamingMode(mode)) {
      const signed = mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
      this.decoder = new AwsChunkedDecoder({
        ...(signed
          ? {
              signing: {
                signingKey: verified.signingKey,
                timestamp: verified.timestamp,
                scopeString: verified.scopeString,
                seedSignature: verified.seedSignature,
              },
            }
          : {}),
        signedTrailer: mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
        declaredLength: this.expect.decodedLength!,
        ...(opts.maxHeldChunkBytes !== undefined ? { maxHeldChunkBytes: opts.maxHeldChunkBytes } : {}),
        onData: (data) => this.emitData(data),
      });
    }
  }

  private account(data: Buffer): void {
    this.length += data.length;
    this.md5.update(data);
    this.sha256?.update(data);
    for (const c of this.checksums.values()) c.update(data);
  }

  private emitData(data: Buffer): void {
    this.account(data);
    if (this.sink) this.sink.push(data);
    else this.push(data);
  }

  /** Fails `result` with `err` (the whole body could not be read); nothing more is checked. */
  abandon(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.rejectResult(err);
  }

  /**
   * Checks a whole body, as sent, at once instead of streaming it through this Transform: each hash
   * sees the bytes exactly once and every check of `_flush` runs, with the same errors; `result`
   * settles the same way. An aws-chunked body is decoded here by the same decoder (framing, chunk
   * signatures, decoded length, trailer). Resolves with the decoded body. Use one or the other
   * (this or the stream), never both.
   */
  async verifyWhole(body: Buffer): Promise<Buffer> {
    try {
      if (this.length !== 0 || this.failed || this.sink || (this.decoder && this.decoder.encodedLength !== 0)) {
        throw new Error('verifyWhole: the body was already (partly) verified');
      }
      const { contentLength } = this.opts;
      if (contentLength !== undefined && body.length > contentLength) {
        throw new SigV4Error('IncompleteBody', `The body is longer than its Content-Length ${contentLength}.`);
      }
      let decoded = body;
      let sink: Buffer[] | undefined;
      if (this.decoder) {
        sink = [];
        this.sink = sink;
        this.decoder.write(body);
      } else {
        this.account(body);
      }
      const r = await this.finishChecks();
      if (sink) decoded = sink.length === 1 ? sink[0] : Buffer.concat(sink, this.length);
      this.resolveResult(r);
      return decoded;
    } catch (e) {
      this.failed = true;
      this.rejectResult(e as Error);
      throw e;
    }
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    if (this.failed) return callback();
    try {
      if (this.decoder) {
        this.decoder.write(chunk);
      } else {
        if (this.opts.contentLength !== undefined && this.length + chunk.length > this.opts.contentLength) {
          throw new SigV4Error(
            'IncompleteBody',
            `The body is longer than its Content-Length ${this.opts.contentLength}.`,
          );
        }
        this.emitData(chunk);
      }
      callback();
    } catch (e) {
      this.fail(e as Error, callback);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.failed) return callback();
    this.finishChecks().then(
      (r) => {
        this.resolveResult(r);
        callback();
      },
      (e: Error) => this.fail(e, callback),
    );
  }

  private fail(e: Error, callback: TransformCallback): void {
    this.failed = true;
    this.rejectResult(e);
    callback(e);
  }

  private async finishChecks(): Promise<BodyVerification> {
    const { verified, contentLength } = this.opts;
    let trailers = new Map<string, string>();
    if (this.decoder) {
      trailers = this.decoder.end();
      if (contentLength !== undefined && this.decoder.encodedLength !== contentLength) {
        throw new SigV4Error(
          'IncompleteBody',
          `The aws-chunked body is ${this.decoder.encodedLength} bytes but Content-Length is ${contentLength}.`,
        );
      }
    } else if (contentLength !== undefined && this.length !== contentLength) {
      throw new SigV4Error(
        'IncompleteBody',
        `You did not provide the number of bytes specified by the Content-Length HTTP header: got ${this.length} of ${contentLength}.`,
      );
    }
    if (this.sha256) {
      const actual = (await this.sha256.digest()).toString('hex');
      if (actual !== verified.payloadSha256) {
        throw new SigV4Error(
          'PayloadHashMismatch',
          `The provided 'x-amz-content-sha256' header does not match what was computed: client ${verified.payloadSha256}, computed ${actual}.`,
        );
      }
    }
    const md5 = await this.md5.digest();
    if (this.expect.contentMd5 && !md5.equals(this.expect.contentMd5)) {
      throw new SigV4Error(
        'BadDigest',
        `The Content-MD5 you specified did not match what we received: ${this.expect.contentMd5.toString('base64')} given, ${md5.toString('base64')} computed.`,
      );
    }
    const computed = new Map<ChecksumAlgorithm, string>();
    for (const [a, c] of this.checksums) computed.set(a, (await c.digest()).toString('base64'));
    const claimed = this.claimedChecksum(trailers);
    if (claimed && computed.get(claimed.algorithm) !== claimed.value) {
      throw new SigV4Error(
        'BadDigest',
        `The ${checksumHeaderName(claimed.algorithm)} you specified (${claimed.value}) did not match the calculated checksum (${computed.get(claimed.algorithm)}).`,
      );
    }
    const primary = claimed?.algorithm ?? this.expect.sdkAlgorithm;
    return {
      decodedLength: this.length,
      md5,
      checksums: [...computed].map(([algorithm, value]) => ({ algorithm, value })),
      ...(primary !== undefined ? { checksum: { algorithm: primary, value: computed.get(primary)! } } : {}),
      trailers,
    };
  }

  /** The checksum value the client sent, from a header or the trailer it announced. */
  private claimedChecksum(trailers: Map<string, string>): ChecksumValue | undefined {
    const announced = this.expect.trailerChecksum;
    for (const name of trailers.keys()) {
      if (!isTrailerMode(this.opts.verified.payloadMode)) {
        throw new SigV4Error(
          'InvalidTrailer',
          `Trailer '${name}' was sent with ${this.opts.verified.payloadMode}, which has no trailer`,
        );
      }
      if (announced === undefined || name !== checksumHeaderName(announced)) {
        throw new SigV4Error(
          'InvalidTrailer',
          `Trailer '${name}' was not announced in x-amz-trailer${announced ? ` (which named ${checksumHeaderName(announced)})` : ''}`,
        );
      }
    }
    if (announced !== undefined) {
      const name = checksumHeaderName(announced);
      const value = trailers.get(name);
      if (value === undefined)
        throw new SigV4Error('InvalidTrailer', `x-amz-trailer announced ${name} but the trailer did not carry it`);
      if (!decodeDigestValue(announced, value)) {
        throw new SigV4Error(
          'InvalidDigest',
          `Value for trailer ${name} is invalid: '${value.slice(0, 64)}' is not the base64 of a ${announced} digest.`,
        );
      }
      return { algorithm: announced, value };
    }
    return this.expect.headerChecksum;
  }
}

/**
 * Builds the body verifier for a verified request. Throws SigV4Error at once when the headers
 * alone are wrong (malformed Content-MD5 or checksum, missing x-amz-decoded-content-length...),
 * so the caller can refuse before reading the body (Expect: 100-continue).
 */
export function createBodyVerifier(opts: BodyVerifierOptions): BodyVerifier {
  return new BodyVerifier(opts);
}
