/** A bare node:http server that runs parse → verify → body verifier and answers PUTs like S3. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo } from 'node:net';
import {
  createBodyVerifier,
  parseAuthentication,
  verifySignature,
  SigningKeyCache,
  SigV4Error,
  type SigningRequest,
} from '../../src/sigv4/index.js';
import { s3ErrorFor } from '../../src/s3/errors.js';

export interface Seen {
  mode: string;
  body: Buffer;
  checksum?: string;
}

export function startServer(secretFor: (akid: string) => string | undefined, tls?: { key: string; cert: string }) {
  const seen: Seen[] = [];
  const keyCache = new SigningKeyCache(16);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const sreq: SigningRequest = {
      method: req.method!,
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      headers: req.headersDistinct,
    };
    try {
      const auth = parseAuthentication(sreq);
      if (auth.kind === 'anonymous') throw new SigV4Error('MissingAuthentication', 'Access Denied');
      const secret = secretFor(auth.accessKeyId);
      if (secret === undefined) throw new SigV4Error('MissingAuthentication', 'unknown key');
      const verified = verifySignature(sreq, auth, secret, { now: new Date(), service: 's3', keyCache });
      const cl = req.headers['content-length'];
      const verifier = createBodyVerifier({
        verified,
        headers: sreq.headers,
        ...(cl !== undefined ? { contentLength: Number(cl) } : {}),
      });
      const parts: Buffer[] = [];
      await pipeline(
        req,
        verifier,
        new Writable({
          write(c, _e, cb) {
            parts.push(c);
            cb();
          },
        }),
      );
      const result = await verifier.result;
      seen.push({
        mode: verified.payloadMode,
        body: Buffer.concat(parts),
        ...(result.checksum ? { checksum: `${result.checksum.algorithm}:${result.checksum.value}` } : {}),
      });
      const headers: Record<string, string> = { etag: `"${result.md5.toString('hex')}"` };
      if (result.checksum) headers[`x-amz-checksum-${result.checksum.algorithm.toLowerCase()}`] = result.checksum.value;
      res.writeHead(200, headers).end();
    } catch (e) {
      const err =
        e instanceof SigV4Error ? s3ErrorFor(e.code, e.details.authKind) : { code: 'InternalError', status: 500 };
      req.resume();
      res
        .writeHead(err.status, { 'content-type': 'application/xml' })
        .end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${err.code}</Code><Message>${e instanceof Error ? e.message.replace(/[<&>]/g, '') : ''}</Message></Error>`,
        );
    }
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res);
  };
  const server = tls ? createTlsServer(tls, listener) : createServer(listener);
  return new Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
        seen,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
