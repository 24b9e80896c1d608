import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomFillSync } from 'node:crypto';
import type { Logger } from '../log.js';
import type { PlaneHandler, RequestContext } from './types.js';
import { capConnections, DEFAULT_LIMITS, reserveUnauthenticated, watchIdle, type NetworkLimits } from './limits.js';
import { clientGone } from './clientGone.js';
import type { ConsoleRoutes } from './console/route.js';

export interface HttpServerDeps {
  log: Logger;
  limits?: NetworkLimits;
  controlPlane: PlaneHandler;
  s3: PlaneHandler;
  /** The web console's static files and the browser redirect of `/` (absent: no console). */
  console?: ConsoleRoutes;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));
const IDS_PER_FILL = 512;

/**
 * Request ids: 16 upper-case hex characters (64 random bits), like S3's. Random bytes are drawn
 * 4 KiB at a time, so an id costs eight table lookups instead of a randomBytes call.
 */
export function createRequestIds(): () => string {
  const pool = Buffer.alloc(IDS_PER_FILL * 8);
  let at = pool.length;
  return () => {
    if (at === pool.length) {
      randomFillSync(pool);
      at = 0;
    }
    const p = pool;
    const i = at;
    at += 8;
    return (
      HEX[p[i]] +
      HEX[p[i + 1]] +
      HEX[p[i + 2]] +
      HEX[p[i + 3]] +
      HEX[p[i + 4]] +
      HEX[p[i + 5]] +
      HEX[p[i + 6]] +
      HEX[p[i + 7]]
    );
  };
}

/** A request's context; its logger (with the request id) is made only when a plane logs. */
class Context implements RequestContext {
  private childLog: Logger | undefined;
  readonly startedAt = process.hrtime.bigint();
  constructor(
    readonly requestId: string,
    private readonly base: Logger,
  ) {}
  get log(): Logger {
    return (this.childLog ??= this.base.child({ requestId: this.requestId }));
  }
}

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
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const unauthenticated = { held: 0, limit: limits.unauthenticatedBytes };
  const newRequestId = createRequestIds();
  /** The access log: one line per finished request (`this` is the response). */
  function logRequest(this: ServerResponse & { sbContext?: Context; sbRequest?: IncomingMessage }): void {
    const ctx = this.sbContext!;
    const req = this.sbRequest!;
    const us = Number(process.hrtime.bigint() - ctx.startedAt) / 1000;
    log.info('request', {
      requestId: ctx.requestId,
      method: req.method,
      path: pathOnly(req.url),
      status: this.statusCode,
      ms: Math.round(us) / 1000,
    });
  }
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const ctx = new Context(newRequestId(), log);
    // One shared listener instead of a closure per request.
    const tagged = res as ServerResponse & { sbContext?: Context; sbRequest?: IncomingMessage };
    tagged.sbContext = ctx;
    tagged.sbRequest = req;
    res.on('finish', logRequest);
    if (req.url === '/-/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      const body = '{"status":"ok"}';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (deps.console?.handle(req, res) === true) return;
    watchIdle(req, res, limits, ctx.requestId, () => ctx.log);
    if (!reserveUnauthenticated(req, res, unauthenticated, ctx.requestId)) {
      ctx.log.info('unauthenticated bodies over budget: request refused', { limit: limits.unauthenticatedBytes });
      return;
    }
    const plane = req.headers['x-amz-target'] !== undefined ? deps.controlPlane : deps.s3;
    plane(req, res, ctx).catch((err: unknown) => {
      if (clientGone(req)) ctx.log.info('client aborted', { method: req.method, path: pathOnly(req.url) });
      else ctx.log.error('unhandled error', { error: err instanceof Error ? err : String(err) });
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
  capConnections(server, limits, log);
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
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
