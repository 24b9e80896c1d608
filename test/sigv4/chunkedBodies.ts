/**
 * Builds aws-chunked bodies the way clients do, with the public chunk-signature algorithm
 * (independent of src/sigv4), and feeds bodies to a verifier in TCP-like pieces.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Transform } from 'node:stream';

const EMPTY = createHash('sha256').update('').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

export interface ChunkSigning {
  secret: string;
  amzDate: string;
  region: string;
  service: string;
  seedSignature: string;
}

export function signingKeyOf(s: ChunkSigning): Buffer {
  const date = s.amzDate.slice(0, 8);
  return hmac(hmac(hmac(hmac('AWS4' + s.secret, date), s.region), s.service), 'aws4_request');
}

function scopeOf(s: ChunkSigning): string {
  return `${s.amzDate.slice(0, 8)}/${s.region}/${s.service}/aws4_request`;
}

export function chunkSignature(s: ChunkSigning, previous: string, data: Buffer): string {
  const sts = [
    'AWS4-HMAC-SHA256-PAYLOAD',
    s.amzDate,
    scopeOf(s),
    previous,
    EMPTY,
    createHash('sha256').update(data).digest('hex'),
  ].join('\n');
  return createHmac('sha256', signingKeyOf(s)).update(sts).digest('hex');
}

export function trailerSignature(s: ChunkSigning, previous: string, trailers: Array<[string, string]>): string {
  const canonical = trailers.map(([n, v]) => `${n}:${v}\n`).join('');
  const sts = [
    'AWS4-HMAC-SHA256-TRAILER',
    s.amzDate,
    scopeOf(s),
    previous,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  return createHmac('sha256', signingKeyOf(s)).update(sts).digest('hex');
}

export interface SignedBodyOptions {
  /** Replace the signature of chunk i (0-based, the final empty chunk is chunks.length). */
  badSignatureAt?: number;
  trailers?: Array<[string, string]>;
  /** Sign the trailer (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER). */
  signTrailer?: boolean;
  badTrailerSignature?: boolean;
}

export function signedChunkedBody(s: ChunkSigning, chunks: Buffer[], o: SignedBodyOptions = {}): Buffer {
  const parts: Buffer[] = [];
  let previous = s.seedSignature;
  const all = [...chunks, Buffer.alloc(0)];
  all.forEach((data, i) => {
    let sig = chunkSignature(s, previous, data);
    previous = sig;
    if (o.badSignatureAt === i) sig = sig.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    parts.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${sig}\r\n`), data);
    if (data.length > 0) parts.push(Buffer.from('\r\n'));
  });
  for (const [n, v] of o.trailers ?? []) parts.push(Buffer.from(`${n}:${v}\r\n`));
  if (o.signTrailer) {
    let sig = trailerSignature(s, previous, o.trailers ?? []);
    if (o.badTrailerSignature) sig = sig.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    parts.push(Buffer.from(`x-amz-trailer-signature:${sig}\r\n`));
  }
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** STREAMING-UNSIGNED-PAYLOAD-TRAILER framing, as the AWS SDKs write it. */
export function unsignedChunkedBody(chunks: Buffer[], trailers: Array<[string, string]>): Buffer {
  const parts: Buffer[] = [];
  for (const c of chunks) parts.push(Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n'));
  parts.push(Buffer.from('0\r\n'));
  for (const [n, v] of trailers) parts.push(Buffer.from(`${n}:${v}\r\n`));
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** Deterministic pseudo-random bytes / split points (xorshift), so failures reproduce. */
export function pseudoRandom(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

export function bytes(n: number, seed: number): Buffer {
  const r = pseudoRandom(seed);
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

/** Splits a body into pieces: 'one', 'bytes' (1-byte pieces) or random sizes up to max. */
export function split(body: Buffer, how: 'one' | 'bytes' | { seed: number; max: number }): Buffer[] {
  if (how === 'one') return [body];
  if (how === 'bytes') return [...body].map((_, i) => body.subarray(i, i + 1));
  const r = pseudoRandom(how.seed);
  const out: Buffer[] = [];
  for (let i = 0; i < body.length;) {
    const n = 1 + Math.floor(r() * how.max);
    out.push(Buffer.from(body.subarray(i, i + n)));
    i += n;
  }
  return out;
}

export interface RunResult {
  output: Buffer;
  error?: Error & { code?: string };
  ended: boolean;
}

/** Writes pieces into the transform, collects its output; never rejects. */
export function run(t: Transform, pieces: Buffer[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    let ended = false;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      resolve({ output: Buffer.concat(out), ended, ...(error ? { error } : {}) });
    };
    t.on('data', (d: Buffer) => out.push(d));
    t.on('end', () => {
      ended = true;
      finish();
    });
    t.on('error', (e) => finish(e));
    for (const p of pieces) {
      if (t.destroyed) break;
      t.write(p);
    }
    if (!t.destroyed) t.end();
  });
}
