/**
 * Streaming decoder for aws-chunked bodies, signed (chained chunk signatures, optional signed
 * trailer) or unsigned (trailer only). Memory is bounded: header and trailer lines have size
 * limits, and chunk data is held back only until its signature is checked, up to a limit.
 *
 *   <hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n
 *   [<trailer-name>:<value>\r\n ... [x-amz-trailer-signature:<sig>\r\n]]\r\n
 */
import { createHash, createHmac, timingSafeEqual, type Hash } from 'node:crypto';
import { EMPTY_SHA256 } from './canonicalRequest.js';
import { SigV4Error } from './errors.js';

const CR = 0x0d;
const LF = 0x0a;
const MAX_CHUNK_LINE = 1024;
const MAX_TRAILER_BYTES = 16 * 1024;
const HEX_SIZE = /^[0-9a-fA-F]{1,16}$/;
const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

export interface ChunkSigningContext {
  signingKey: Buffer;
  timestamp: string;
  scopeString: string;
  seedSignature: string;
}

export interface AwsChunkedDecoderOptions {
  /** Present for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: every chunk must carry a valid signature. */
  signing?: ChunkSigningContext;
  /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: the trailer must end with x-amz-trailer-signature. */
  signedTrailer: boolean;
  /** The decoded length the client declared (x-amz-decoded-content-length). */
  declaredLength: number;
  /** Signed chunks up to this size are held until verified; larger ones pass early (default 1 MiB). */
  maxHeldChunkBytes?: number;
  /** Receives decoded data, in order, as subarrays of the input (no copies). */
  onData: (data: Buffer) => void;
}

type State = 'size' | 'data' | 'data-cr' | 'data-lf' | 'trailer' | 'done';

export class AwsChunkedDecoder {
  private state: State = 'size';
  private line = '';
  private chunkSize = 0;
  private chunkRemaining = 0;
  private chunkSignature = '';
  private chunkHash: Hash | undefined;
  private held: Buffer[] = [];
  private holding = false;
  private previousSignature: string;
  private chunkIndex = 0;
  private trailerBytes = 0;
  private readonly trailerLines: string[] = [];
  private readonly maxHeld: number;
  /** Total decoded bytes seen. */
  decodedLength = 0;
  /** Total encoded bytes consumed. */
  encodedLength = 0;

  constructor(private readonly opts: AwsChunkedDecoderOptions) {
    this.previousSignature = opts.signing?.seedSignature ?? '';
    this.maxHeld = opts.maxHeldChunkBytes ?? 1024 * 1024;
  }

  /** Consumes the next piece of the encoded body; throws SigV4Error on any fault. */
  write(buf: Buffer): void {
    this.encodedLength += buf.length;
    let pos = 0;
    const n = buf.length;
    while (pos < n) {
      switch (this.state) {
        case 'size':
        case 'trailer': {
          const lf = buf.indexOf(LF, pos);
          const end = lf < 0 ? n : lf;
          this.appendLine(buf, pos, end);
          if (lf < 0) return;
          pos = lf + 1;
          this.finishLine();
          break;
        }
        case 'data': {
          const take = Math.min(this.chunkRemaining, n - pos);
          const piece = buf.subarray(pos, pos + take);
          pos += take;
          this.chunkRemaining -= take;
          this.chunkHash?.update(piece);
          if (this.holding) this.held.push(piece);
          else this.opts.onData(piece);
          if (this.chunkRemaining === 0) this.endOfChunkData();
          break;
        }
        case 'data-cr':
          if (buf[pos] !== CR)
            throw this.framing(
              `chunk ${this.chunkIndex} data is not followed by CRLF (found byte 0x${buf[pos].toString(16)} after ${this.chunkSize} bytes)`,
            );
          pos++;
          this.state = 'data-lf';
          break;
        case 'data-lf':
          if (buf[pos] !== LF)
            throw this.framing(`chunk ${this.chunkIndex} data is not followed by CRLF (CR not followed by LF)`);
          pos++;
          this.chunkIndex++;
          this.state = 'size';
          break;
        case 'done':
          throw this.framing(`${n - pos} bytes follow the end of the aws-chunked body`);
      }
    }
  }

  /** Called at end of input: checks the body was complete and returns the trailer headers. */
  end(): Map<string, string> {
    if (this.state !== 'done') {
      throw new SigV4Error(
        'IncompleteBody',
        `The aws-chunked body ended early (in ${this.describeState()}) after ${this.decodedLength} decoded bytes; x-amz-decoded-content-length is ${this.opts.declaredLength}.`,
      );
    }
    if (this.decodedLength !== this.opts.declaredLength) {
      throw new SigV4Error(
        'IncompleteBody',
        `The aws-chunked body decodes to ${this.decodedLength} bytes but x-amz-decoded-content-length is ${this.opts.declaredLength}.`,
      );
    }
    return this.parseTrailers();
  }

  private describeState(): string {
    switch (this.state) {
      case 'size':
        return `the header line of chunk ${this.chunkIndex}`;
      case 'data':
        return `the data of chunk ${this.chunkIndex}, ${this.chunkRemaining} of ${this.chunkSize} bytes missing`;
      case 'data-cr':
      case 'data-lf':
        return `the CRLF after chunk ${this.chunkIndex}`;
      case 'trailer':
        return 'the trailer';
      default:
        return 'the end';
    }
  }

  private framing(message: string): SigV4Error {
    return new SigV4Error('InvalidChunk', `Malformed aws-chunked body: ${message}`);
  }

  private appendLine(buf: Buffer, from: number, to: number): void {
    const limit = this.state === 'size' ? MAX_CHUNK_LINE : MAX_TRAILER_BYTES;
    const size = this.state === 'size' ? this.line.length : this.trailerBytes + this.line.length;
    if (size + (to - from) > limit) {
      throw this.framing(
        this.state === 'size'
          ? `chunk ${this.chunkIndex} header line is longer than ${MAX_CHUNK_LINE} bytes`
          : `trailer is longer than ${MAX_TRAILER_BYTES} bytes`,
      );
    }
    if (to > from) this.line += buf.toString('latin1', from, to);
  }

  private finishLine(): void {
    const raw = this.line;
    this.line = '';
    if (!raw.endsWith('\r')) {
      throw this.framing(
        this.state === 'size'
          ? `chunk ${this.chunkIndex} header line is not terminated by CRLF`
          : 'trailer line is not terminated by CRLF',
      );
    }
    const line = raw.slice(0, -1);
    if (this.state === 'size') this.startChunk(line);
    else if (line === '') this.state = 'done';
    else {
      this.trailerBytes += raw.length + 1;
      this.trailerLines.push(line);
    }
  }

  private startChunk(line: string): void {
    const semi = line.indexOf(';');
    const sizeText = semi < 0 ? line : line.slice(0, semi);
    if (!HEX_SIZE.test(sizeText))
      throw this.framing(`chunk ${this.chunkIndex} size '${sizeText.slice(0, 32)}' is not hexadecimal`);
    const size = parseInt(sizeText, 16);
    if (!Number.isSafeInteger(size) || this.decodedLength + size > this.opts.declaredLength) {
      throw new SigV4Error(
        'IncompleteBody',
        `aws-chunked chunk ${this.chunkIndex} of ${size} bytes takes the body past x-amz-decoded-content-length ${this.opts.declaredLength} (already ${this.decodedLength} bytes)`,
      );
    }
    if (this.opts.signing) {
      const ext = semi < 0 ? '' : line.slice(semi + 1);
      const sig = ext.startsWith('chunk-signature=') ? ext.slice(16) : '';
      if (!HEX_SIGNATURE.test(sig))
        throw this.framing(`chunk ${this.chunkIndex} has no valid chunk-signature extension`);
      this.chunkSignature = sig;
      this.chunkHash = createHash('sha256');
    }
    this.chunkSize = size;
    this.chunkRemaining = size;
    this.decodedLength += size;
    this.holding = this.opts.signing !== undefined && size <= this.maxHeld;
    if (size === 0) {
      this.verifyChunk();
      this.state = 'trailer';
    } else {
      this.state = 'data';
    }
  }

  private endOfChunkData(): void {
    this.verifyChunk();
    if (this.held.length > 0) {
      for (const piece of this.held) this.opts.onData(piece);
      this.held = [];
    }
    this.state = 'data-cr';
  }

  private verifyChunk(): void {
    const s = this.opts.signing;
    if (!s) return;
    const dataHash = this.chunkSize === 0 ? EMPTY_SHA256 : this.chunkHash!.digest('hex');
    const sts =
      'AWS4-HMAC-SHA256-PAYLOAD\n' +
      s.timestamp +
      '\n' +
      s.scopeString +
      '\n' +
      this.previousSignature +
      '\n' +
      EMPTY_SHA256 +
      '\n' +
      dataHash;
    const expected = createHmac('sha256', s.signingKey).update(sts).digest('hex');
    if (!timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(this.chunkSignature, 'latin1'))) {
      throw new SigV4Error(
        'ChunkSignatureMismatch',
        `The chunk signature of aws-chunked chunk ${this.chunkIndex} (${this.chunkSize} bytes) does not match the data; the body may have been altered.`,
      );
    }
    this.previousSignature = expected;
    this.chunkHash = undefined;
  }

  private parseTrailers(): Map<string, string> {
    const trailers = new Map<string, string>();
    let signature: string | undefined;
    let canonical = '';
    for (const line of this.trailerLines) {
      const colon = line.indexOf(':');
      if (colon <= 0)
        throw new SigV4Error('InvalidTrailer', `Trailer line '${line.slice(0, 64)}' is not of the form name:value`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (signature !== undefined)
        throw new SigV4Error(
          'InvalidTrailer',
          `Trailer '${name}' follows x-amz-trailer-signature, which must come last`,
        );
      if (name === 'x-amz-trailer-signature') {
        signature = value;
        continue;
      }
      if (trailers.has(name)) throw new SigV4Error('InvalidTrailer', `Trailer '${name}' is given more than once`);
      trailers.set(name, value);
      canonical += name + ':' + value + '\n';
    }
    if (this.opts.signedTrailer) {
      const s = this.opts.signing!;
      if (signature === undefined)
        throw new SigV4Error(
          'InvalidTrailer',
          'The trailer has no x-amz-trailer-signature (required by STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)',
        );
      const sts =
        'AWS4-HMAC-SHA256-TRAILER\n' +
        s.timestamp +
        '\n' +
        s.scopeString +
        '\n' +
        this.previousSignature +
        '\n' +
        createHash('sha256').update(canonical).digest('hex');
      const expected = Buffer.from(createHmac('sha256', s.signingKey).update(sts).digest('hex'), 'latin1');
      const given = Buffer.from(signature, 'latin1');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new SigV4Error(
          'ChunkSignatureMismatch',
          'The x-amz-trailer-signature does not match the trailer headers; the trailer may have been altered.',
        );
      }
    } else if (signature !== undefined) {
      throw new SigV4Error(
        'InvalidTrailer',
        'An x-amz-trailer-signature was sent with a payload mode that has no signed trailer',
      );
    }
    return trailers;
  }
}
