/**
 * Raw S3 requests for the authorization tests: signed with @smithy/signature-v4 (header or
 * presigned, S3 style: path not re-escaped), unsigned, or hand-made, and sent with node:http so
 * that the exact status, headers and error document can be asserted.
 */
import { request } from 'node:http';
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface RawRequest {
  method: string;
  /** Percent-encoded path as sent. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  code?: string;
  message?: string;
}

export type Auth =
  | { kind: 'header'; creds: Creds; signingDate?: Date }
  | { kind: 'presign'; creds: Creds; signingDate?: Date; expiresIn?: number }
  | { kind: 'anonymous' };

const REGION = 'us-east-1';

export function encodeQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([k, v]) => (v === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join('&');
}

export function send(
  endpoint: string,
  r: { method: string; path: string; query?: Record<string, string>; headers: Record<string, string>; body?: string },
): Promise<RawResponse> {
  const u = new URL(endpoint);
  const qs = r.query && Object.keys(r.query).length > 0 ? `?${encodeQuery(r.query)}` : '';
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: Number(u.port), method: r.method, path: r.path + qs, headers: r.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
          const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, code, message });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error(`request ${r.method} ${r.path} timed out`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Signs (or not) and sends `r` to `endpoint` as `auth` says. */
export async function sendAs(endpoint: string, auth: Auth, r: RawRequest): Promise<RawResponse> {
  const u = new URL(endpoint);
  const headers: Record<string, string> = { host: u.host, ...(r.headers ?? {}) };
  if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
  if (auth.kind === 'anonymous')
    return send(endpoint, { method: r.method, path: r.path, query: r.query, headers, body: r.body });
  const signer = new SignatureV4({
    service: 's3',
    region: REGION,
    credentials: auth.creds,
    sha256: Sha256,
    uriEscapePath: false,
  });
  const httpReq = {
    method: r.method,
    protocol: u.protocol,
    hostname: u.hostname,
    port: Number(u.port),
    path: r.path,
    query: { ...(r.query ?? {}) },
    headers: { ...headers },
    body: r.body,
  };
  if (auth.kind === 'header') {
    if (r.body !== undefined)
      httpReq.headers['x-amz-content-sha256'] = createHash('sha256').update(r.body).digest('hex');
    else httpReq.headers['x-amz-content-sha256'] = createHash('sha256').update('').digest('hex');
    const signed = await signer.sign(httpReq, { signingDate: auth.signingDate });
    return send(endpoint, {
      method: r.method,
      path: r.path,
      query: signed.query as Record<string, string>,
      headers: signed.headers,
      body: r.body,
    });
  }
  // As @aws-sdk/s3-request-presigner does: the payload is UNSIGNED-PAYLOAD, neither hoisted nor signed nor sent.
  httpReq.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  const only = new Set(['x-amz-content-sha256']);
  const signed = await signer.presign(httpReq, {
    signingDate: auth.signingDate,
    expiresIn: auth.expiresIn ?? 60,
    unhoistableHeaders: only,
    unsignableHeaders: only,
  });
  delete (signed.headers as Record<string, string>)['x-amz-content-sha256'];
  return send(endpoint, {
    method: r.method,
    path: r.path,
    query: signed.query as Record<string, string>,
    headers: signed.headers,
    body: r.body,
  });
}

export const md5Base64 = (s: string): string => createHash('md5').update(s).digest('base64');
