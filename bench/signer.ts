/**
 * A small SigV4 signer for the load generator: header auth (any payload hash) and presigned URLs.
 * The signing key is derived once per (date, region, service) and cached; the timestamp string is
 * rebuilt once per second, so signing a request costs one SHA-256 and one HMAC.
 */
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignInput {
  method: string;
  /** Canonical (already URI-encoded) path, e.g. `/bucket/some%20key`. */
  path: string;
  /** Query parameters, not encoded; a flag parameter such as `delete` has value ''. */
  query?: ReadonlyArray<readonly [string, string]>;
  /** Headers to sign, names lower-case (host is added). */
  headers?: Record<string, string>;
  /** Hex SHA-256 of the body, `UNSIGNED-PAYLOAD` or a `STREAMING-*` mode. */
  payloadHash: string;
}

export interface SignedRequest {
  /** `path?query` ready for the request line. */
  url: string;
  headers: Record<string, string>;
}

export interface Signer {
  sign(input: SignInput): SignedRequest;
  /** A presigned URL path+query (`X-Amz-Expires` seconds), payload UNSIGNED-PAYLOAD. */
  presign(input: Omit<SignInput, 'payloadHash'>, expiresSeconds: number): string;
}

export interface SignerOptions {
  credentials: Credentials;
  region: string;
  service: string;
  /** `host[:port]` exactly as sent in the Host header. */
  host: string;
  now?: () => number;
}

const UNRESERVED = /[^A-Za-z0-9\-_.~]/g;
const pctByte = (b: number): string => '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();

/** RFC 3986 encoding as SigV4 wants it (every byte outside A-Z a-z 0-9 - _ . ~ as %XX). */
export function uriEncode(s: string): string {
  return s.replace(UNRESERVED, (ch) => Array.from(Buffer.from(ch, 'utf8'), pctByte).join(''));
}

/** `/bucket/key` with each key segment encoded and slashes kept. */
export function objectPath(bucket: string, key?: string): string {
  if (key === undefined) return `/${uriEncode(bucket)}`;
  return `/${uriEncode(bucket)}/${key.split('/').map(uriEncode).join('/')}`;
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function canonicalQuery(query: ReadonlyArray<readonly [string, string]>): string {
  return query
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

export function createSigner(opts: SignerOptions): Signer {
  const now = opts.now ?? Date.now;
  const { accessKeyId, secretAccessKey } = opts.credentials;
  let second = -1;
  let amzDate = '';
  let day = '';
  let scope = '';
  let signingKey: Buffer = Buffer.alloc(0);

  const refresh = (): void => {
    const ms = now();
    const s = Math.floor(ms / 1000);
    if (s === second) return;
    second = s;
    amzDate = new Date(s * 1000)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const d = amzDate.slice(0, 8);
    if (d === day) return;
    day = d;
    scope = `${day}/${opts.region}/${opts.service}/aws4_request`;
    const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(day).digest();
    const kRegion = createHmac('sha256', kDate).update(opts.region).digest();
    const kService = createHmac('sha256', kRegion).update(opts.service).digest();
    signingKey = createHmac('sha256', kService).update('aws4_request').digest();
  };

  const signature = (
    method: string,
    path: string,
    query: string,
    headers: Record<string, string>,
    payloadHash: string,
  ): { signed: string; sig: string } => {
    const names = Object.keys(headers).sort();
    let canonicalHeaders = '';
    for (const n of names) canonicalHeaders += `${n}:${headers[n].trim()}\n`;
    const signed = names.join(';');
    const canonical = `${method}\n${path}\n${query}\n${canonicalHeaders}\n${signed}\n${payloadHash}`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
    return { signed, sig: createHmac('sha256', signingKey).update(toSign).digest('hex') };
  };

  return {
    sign(input) {
      refresh();
      const headers: Record<string, string> = {
        ...input.headers,
        host: opts.host,
        'x-amz-date': amzDate,
        'x-amz-content-sha256': input.payloadHash,
      };
      const query = canonicalQuery(input.query ?? []);
      const { signed, sig } = signature(input.method, input.path, query, headers, input.payloadHash);
      headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${sig}`;
      return { url: query === '' ? input.path : `${input.path}?${query}`, headers };
    },
    presign(input, expiresSeconds) {
      refresh();
      const headers: Record<string, string> = { ...input.headers, host: opts.host };
      const signedNames = Object.keys(headers).sort().join(';');
      const query = canonicalQuery([
        ...(input.query ?? []),
        ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
        ['X-Amz-Credential', `${accessKeyId}/${scope}`],
        ['X-Amz-Date', amzDate],
        ['X-Amz-Expires', String(expiresSeconds)],
        ['X-Amz-SignedHeaders', signedNames],
      ]);
      const { sig } = signature(input.method, input.path, query, headers, 'UNSIGNED-PAYLOAD');
      return `${input.path}?${query}&X-Amz-Signature=${sig}`;
    },
  };
}
