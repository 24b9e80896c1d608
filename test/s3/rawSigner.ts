/**
 * A small SigV4 signer for raw S3 requests built by hand (the public algorithm), so tests can send
 * what SDKs never send: broken aws-chunked framing, a bad chunk signature mid-stream, a wrong
 * trailer checksum, a decoded length that lies. Paths are sent and signed exactly as given
 * (already percent-encoded), as S3 signs them.
 */
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';

export interface RawCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();
export const EMPTY_SHA256 = sha256Hex('');

export interface SignedRequest {
  headers: Record<string, string>;
  /** The seed signature (for chunk signatures). */
  signature: string;
  signingKey: Buffer;
  amzDate: string;
  scope: string;
}

export function amzDateOf(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Signs method + path + query + headers (host must be included); `payloadHash` goes in x-amz-content-sha256. */
export function signRequest(opts: {
  method: string;
  path: string;
  query?: string;
  headers: Record<string, string>;
  payloadHash: string;
  creds: RawCredentials;
  region?: string;
  now?: Date;
}): SignedRequest {
  const region = opts.region ?? 'us-east-1';
  const amzDate = amzDateOf(opts.now ?? new Date());
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/s3/aws4_request`;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers)) headers[k.toLowerCase()] = v;
  headers['x-amz-date'] = amzDate;
  headers['x-amz-content-sha256'] = opts.payloadHash;
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalQuery = (opts.query ?? '')
    .split('&')
    .filter((p) => p !== '')
    .map((p) => (p.includes('=') ? p : `${p}=`))
    .sort()
    .join('&');
  const creq = [opts.method, opts.path, canonicalQuery, canonicalHeaders, names.join(';'), opts.payloadHash].join('\n');
  const sts = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(creq)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${opts.creds.secretAccessKey}`, day), region), 's3'), 'aws4_request');
  const signature = hmac(signingKey, sts).toString('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${opts.creds.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return { headers, signature, signingKey, amzDate, scope };
}

/** aws-chunked with chained chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD). */
export function signedChunks(signed: SignedRequest, chunks: Buffer[]): { frames: Buffer[]; signatures: string[] } {
  let prev = signed.signature;
  const frames: Buffer[] = [];
  const signatures: string[] = [];
  for (const data of [...chunks, Buffer.alloc(0)]) {
    const sts = ['AWS4-HMAC-SHA256-PAYLOAD', signed.amzDate, signed.scope, prev, EMPTY_SHA256, sha256Hex(data)].join(
      '\n',
    );
    const sig = hmac(signed.signingKey, sts).toString('hex');
    signatures.push(sig);
    frames.push(
      Buffer.concat([Buffer.from(`${data.length.toString(16)};chunk-signature=${sig}\r\n`), data, Buffer.from('\r\n')]),
    );
    prev = sig;
  }
  return { frames, signatures };
}

/** aws-chunked without signatures plus a trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER). */
export function unsignedTrailerBody(chunks: Buffer[], trailerName: string, trailerValue: string): Buffer {
  const parts: Buffer[] = [];
  for (const data of chunks) parts.push(Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n'));
  parts.push(Buffer.from(`0\r\n${trailerName}:${trailerValue}\r\n\r\n`));
  return Buffer.concat(parts);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Sends a request whose body is written as the given pieces. With `destroyAfter`, the socket is
 * destroyed after that many body bytes (a client going away mid-body); the promise then resolves
 * with status 0 unless a response arrived first.
 */
export function sendRaw(
  endpoint: string,
  opts: {
    method: string;
    path: string;
    query?: string;
    headers: Record<string, string>;
    body?: Buffer[];
    destroyAfter?: number;
    timeoutMs?: number;
  },
): Promise<RawResponse> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: opts.method,
        path: opts.path + (opts.query ? `?${opts.query}` : ''),
        headers: opts.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no response within ${opts.timeoutMs ?? 15000} ms`));
    }, opts.timeoutMs ?? 15000);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) => {
      if (opts.destroyAfter !== undefined) resolve({ status: 0, headers: {}, body: Buffer.from(String(err.message)) });
      else reject(err);
    });
    const body = Buffer.concat(opts.body ?? []);
    if (opts.destroyAfter !== undefined) {
      req.write(body.subarray(0, opts.destroyAfter), () => setTimeout(() => req.destroy(), 200));
      return;
    }
    req.end(body);
  });
}

/** The `<Code>` of an S3 error document, or undefined. */
export const errorCode = (body: Buffer): string | undefined => /<Code>([^<]*)<\/Code>/.exec(body.toString('utf8'))?.[1];
