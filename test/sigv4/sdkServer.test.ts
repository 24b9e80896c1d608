/**
 * End to end with the real @aws-sdk/client-s3 middleware (checksums, aws-chunked trailers, retries
 * off): a bare node:http server runs parse → verify → body verifier and answers like S3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { S3Client, PutObjectCommand, type ChecksumAlgorithm } from '@aws-sdk/client-s3';
import {
  createBodyVerifier, parseAuthentication, s3ErrorFor, verifySignature, SigningKeyCache, SigV4Error,
  type SigningRequest,
} from '../../src/sigv4/index.js';
import { bytes } from './chunkedBodies.js';

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

interface Seen { mode: string; body: Buffer; checksum?: string }

function startServer(secretFor: (akid: string) => string | undefined) {
  const seen: Seen[] = [];
  const keyCache = new SigningKeyCache(16);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const sreq: SigningRequest = { method: req.method!, path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1), headers: req.headersDistinct };
    try {
      const auth = parseAuthentication(sreq);
      if (auth.kind === 'anonymous') throw new SigV4Error('MissingAuthentication', 'Access Denied');
      const secret = secretFor(auth.accessKeyId);
      if (secret === undefined) throw new SigV4Error('MissingAuthentication', 'unknown key');
      const verified = verifySignature(sreq, auth, secret, { now: new Date(), service: 's3', keyCache });
      const cl = req.headers['content-length'];
      const verifier = createBodyVerifier({ verified, headers: sreq.headers, ...(cl !== undefined ? { contentLength: Number(cl) } : {}) });
      const parts: Buffer[] = [];
      await pipeline(req, verifier, new Writable({ write(c, _e, cb) { parts.push(c); cb(); } }));
      const result = await verifier.result;
      seen.push({ mode: verified.payloadMode, body: Buffer.concat(parts), ...(result.checksum ? { checksum: `${result.checksum.algorithm}:${result.checksum.value}` } : {}) });
      const headers: Record<string, string> = { etag: `"${result.md5.toString('hex')}"` };
      if (result.checksum) headers[`x-amz-checksum-${result.checksum.algorithm.toLowerCase()}`] = result.checksum.value;
      res.writeHead(200, headers).end();
    } catch (e) {
      const err = e instanceof SigV4Error ? s3ErrorFor(e.code, e.details.authKind) : { code: 'InternalError', status: 500 };
      req.resume();
      res.writeHead(err.status, { 'content-type': 'application/xml' })
        .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${err.code}</Code><Message>${e instanceof Error ? e.message.replace(/[<&>]/g, '') : ''}</Message></Error>`);
    }
  };
  const server = createServer((req, res) => { void handle(req, res); });
  return new Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) });
    });
  });
}

test('@aws-sdk/client-s3 PutObject in every checksum mode verifies end to end', async () => {
  const srv = await startServer((akid) => (akid === credentials.accessKeyId ? credentials.secretAccessKey : undefined));
  const client = new S3Client({ region: 'us-east-1', endpoint: srv.url, forcePathStyle: true, credentials, maxAttempts: 1 });
  try {
    const data = bytes(200_000, 99);
    const algorithms: Array<ChecksumAlgorithm | undefined> = [undefined, 'CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];
    for (const alg of algorithms) {
      for (const kind of ['buffer', 'stream', 'empty'] as const) {
        const body = kind === 'empty' ? Buffer.alloc(0) : data;
        const Body = kind === 'stream' ? Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]) : body;
        const out = await client.send(new PutObjectCommand({
          Bucket: 'photos', Key: `dir/${kind} ${alg ?? 'default'}+ü.bin`, Body, ContentLength: body.length,
          ...(alg ? { ChecksumAlgorithm: alg } : {}), Metadata: { note: 'x  y' },
        }));
        assert.equal(out.ETag, `"${createHash('md5').update(body).digest('hex')}"`, `${kind} ${alg}`);
        const last = srv.seen.at(-1)!;
        assert.ok(last.body.equals(body), `${kind} ${alg}: body stored byte-identical (${last.mode})`);
        if (alg) assert.ok(last.checksum?.startsWith(alg + ':'), `${kind} ${alg}: checksum ${last.checksum} (${last.mode})`);
      }
    }
    const modes = new Set(srv.seen.map((s) => s.mode));
    // over plain http the SDK signs buffered bodies (SHA256) and streams them with a checksum trailer
    assert.ok(modes.has('STREAMING-UNSIGNED-PAYLOAD-TRAILER') && modes.has('SHA256'), [...modes].join());

    const wrong = new S3Client({ region: 'us-east-1', endpoint: srv.url, forcePathStyle: true, maxAttempts: 1,
      credentials: { ...credentials, secretAccessKey: credentials.secretAccessKey.replace('w', 'W') } });
    await assert.rejects(wrong.send(new PutObjectCommand({ Bucket: 'photos', Key: 'k', Body: 'hello' })), (e: Error) => e.name === 'SignatureDoesNotMatch');
    wrong.destroy();
  } finally {
    client.destroy();
    await srv.close();
  }
});
