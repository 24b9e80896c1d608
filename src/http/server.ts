import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.js';
import type { PlaneHandler, RequestContext } from './types.js';

export interface HttpServerDeps {
  log: Logger;
  controlPlane: PlaneHandler;
  s3: PlaneHandler;
}

/** 16 upper-case hex characters, like S3's request ids. */
const newRequestId = (): string => randomBytes(8).toString('hex').toUpperCase();

/** Path without the query string: queries may carry presigned credentials and never reach logs. */
const pathOnly = (url: string | undefined): string => {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q === -1 ? u : u.slice(0, q);
};

/**
 * The one listener for both wire protocols. Requests with an `X-Amz-Target` header go to the
 * Lightsail control plane, everything else to S3; `GET /-/health` answers here. Requests that
 * ask `Expect: 100-continue` go to the same planes, which decide when to send 100 Continue
 * (S3 authenticates and authorizes first).
 */
export function createHttpServer(deps: HttpServerDeps): Server {
  const { log } = deps;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = newRequestId();
    const ctx: RequestContext = { requestId, log: log.child({ requestId }), startedAt: process.hrtime.bigint() };
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - ctx.startedAt) / 1e6;
      ctx.log.info('request', { method: req.method, path: pathOnly(req.url), status: res.statusCode, ms: Math.round(ms * 1000) / 1000 });
    });
    if (req.url === '/-/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      const body = '{"status":"ok"}';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const plane = req.headers['x-amz-target'] !== undefined ? deps.controlPlane : deps.s3;
    plane(req, res, ctx).catch((err: unknown) => {
      ctx.log.error('unhandled error', { error: err instanceof Error ? err : String(err) });
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain', connection: 'close' });
        res.end(`Internal error (request ${ctx.requestId})`);
      } else {
        res.destroy();
      }
    });
  };
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, handle);
  server.on('checkContinue', handle);
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) { socket.destroy(); return; }
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  return server;
}

/** Stops accepting, lets in-flight requests finish for up to `graceMs`, then cuts the rest. */
export async function closeHttpServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
