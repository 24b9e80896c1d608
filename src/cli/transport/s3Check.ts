/**
 * Proves a bucket access key authenticates: a SigV4-signed S3 HeadBucket (path-style) with that
 * key, hand-signed with @smithy/signature-v4, against the given endpoint.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Credentials } from './lightsailTransport.js';
import { NodeSha256 } from './nodeSha256.js';

export interface S3CheckResult {
  ok: boolean;
  status?: number;
  why: string;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export async function headBucketWith(
  endpoint: string,
  bucket: string,
  region: string,
  creds: Credentials,
  timeoutMs: number,
): Promise<S3CheckResult> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const url = new URL(endpoint);
  const base = url.pathname.replace(/\/+$/, '');
  const signer = new SignatureV4({
    credentials: creds,
    region,
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
  });
  const signed = await signer.sign({
    method: 'HEAD',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: `${base}/${encodeURIComponent(bucket)}`,
    query: {},
    headers: { host: url.host, 'x-amz-content-sha256': EMPTY_SHA256 },
  });
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((done) => {
    const req = send(
      {
        method: 'HEAD',
        hostname: url.hostname,
        port: url.port || undefined,
        path: signed.path,
        headers: signed.headers,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        const code = String(res.headers['x-amz-error-code'] ?? '');
        done({
          ok: status === 200,
          status,
          why:
            status === 200
              ? 'HeadBucket returned 200'
              : `HeadBucket on ${endpoint} returned HTTP ${status}${code ? ` ${code}` : ''}`,
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) =>
      done({ ok: false, why: `HeadBucket could not reach ${endpoint}: ${e.code ?? e.message}` }),
    );
    req.end();
  });
}
