import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { Socket } from 'node:net';
import { randomFillSync } from 'node:crypto';
import type { Logger } from '../log.js';
import type { HttpObserver, PlaneHandler, RequestContext, RequestFacts, RequestLogger } from './types.js';
import { capConnections, DEFAULT_LIMITS, reserveUnauthenticated, watchIdle, type NetworkLimits } from './limits.js';
import { clientGone } from './clientGone.js';
import { serveMetrics, type MetricsEndpoint } from './metricsEndpoint.js';
import type { ConsoleRoutes } from './console/route.js';

export interface HttpServerDeps {
  log: Logger;
  limits?: NetworkLimits;
  controlPlane: PlaneHandler;
  s3: PlaneHandler;
  /** Request and connection metrics (none in tests that do not ask). */
  observer?: HttpObserver;
  /** `GET /-/metrics`: answered when given. */
  metrics?: MetricsEndpoint;
  /** Certificate and key (PEM): the listener speaks HTTPS only. */
  tls?: SecureContextOptions;
  /** Readiness for `/-/ready`: false while a dependency (the metadata database) cannot answer. */
  ready?: () => Promise<boolean>;
  /** The web console's static files and the browser redirect of `/` (absent: no console). */
  console?: ConsoleRoutes;
  /** S3 server access logs: told of every request given to the S3 plane, when it is done. */
  requestLog?: RequestLogger;
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
  readonly facts: RequestFacts = {};
  /** Whether the request has a body and is not a control-plane call (an upload in flight). */
  upload = false;
  /** Given to the S3 plane (its requests are access-logged). */
  s3 = false;
  /** hrtime of the request body's end and of the response's first byte (tracked for access logs only). */
  bodyEndAt: bigint | undefined;
  firstByteAt: bigint | undefined;
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

/** The status logged for a request whose connection closed before any answer was sent. */
const CLOSED_BEFORE_ANSWER = 499;

/** A socket with the byte counts at the end of its previous request (keep-alive). */
type CountedSocket = Socket & { sbRead?: number; sbWritten?: number };

const hasBody = (req: IncomingMessage): boolean => {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
};

/** The access-log line's fields, in a fixed order; unknown facts are left out. */
function accessFields(
  ctx: Context,
  req: IncomingMessage,
  status: number,
  ms: number,
  bytesIn: number,
  bytesOut: number,
  finished: boolean,
): Record<string, unknown> {
  const f = ctx.facts;
  const out: Record<string, unknown> = { requestId: ctx.requestId, method: req.method, path: pathOnly(req.url) };
  if (f.operation !== undefined) out.operation = f.operation;
  if (f.bucket !== undefined) out.bucket = f.bucket;
  if (f.key !== undefined) out.key = f.key;
  if (f.principal !== undefined) out.principal = f.principal;
  if (f.accessKeyId !== undefined) out.accessKeyId = f.accessKeyId;
  out.status = status;
  if (f.errorCode !== undefined) out.errorCode = f.errorCode;
  out.bytesIn = bytesIn;
  out.bytesOut = bytesOut;
  out.ms = ms;
  if (!finished) out.aborted = true;
  return out;
}

/**
 * For the access log's turn-around time: when the request body ended (if it has one) and when the
 * response's first byte went out (node writes every response's head through writeHead).
 */
function trackTurnAround(req: IncomingMessage, res: ServerResponse, ctx: Context): void {
  ctx.s3 = true;
  if (hasBody(req))
    req.once('end', () => {
      ctx.bodyEndAt = process.hrtime.bigint();
    });
  const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
  res.writeHead = (...args: unknown[]) => {
    ctx.firstByteAt ??= process.hrtime.bigint();
    return writeHead(...args);
  };
}

/** `/-/ready`: 200 when the server can serve requests (its metadata database answers), else 503. */
function answerReady(req: IncomingMessage, res: ServerResponse, ready: (() => Promise<boolean>) | undefined): void {
  const send = (ok: boolean) => {
    const body = ok ? '{"status":"ready"}' : '{"status":"unavailable","reason":"metadata database unreachable"}';
    res.writeHead(ok ? 200 : 503, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (!ready) return send(true);
  ready().then(send, () => send(false));
}

/**
 * The one listener for both wire protocols. Requests with an `X-Amz-Target` header go to the
 * Lightsail control plane, everything else to S3; `GET /-/health`, `/-/ready` and `/-/metrics` answer
 * here. Requests that ask `Expect: 100-continue` go to the same planes, which decide when to send
 * 100 Continue (S3 authenticates and authorizes first). With `tls` it is an HTTPS listener (and
 * speaks no plain HTTP); `setSecureContext` swaps its certificate for new connections.
 */
export function createHttpServer(deps: HttpServerDeps): Server {
  const { log, observer } = deps;
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const unauthenticated = { held: 0, limit: limits.unauthenticatedBytes };
  const newRequestId = createRequestIds();
  /**
   * The access log and the request metrics: one line per request once its response is done or cut
   * (`this` is the response). Bytes are counted on the connection since its previous request ended.
   */
  function requestDone(this: ServerResponse & { sbContext?: Context; sbRequest?: IncomingMessage }): void {
    const ctx = this.sbContext!;
    const req = this.sbRequest!;
    const us = Number(process.hrtime.bigint() - ctx.startedAt) / 1000;
    const socket = req.socket as CountedSocket;
    const read = socket.bytesRead;
    const written = socket.bytesWritten;
    const bytesIn = read - (socket.sbRead ?? 0);
    const bytesOut = written - (socket.sbWritten ?? 0);
    socket.sbRead = read;
    socket.sbWritten = written;
    const finished = this.writableFinished;
    // Cut before any answer: nginx's 499 ("client closed request"), not node's default 200.
    const status = !finished && !this.headersSent ? CLOSED_BEFORE_ANSWER : this.statusCode;
    observer?.requestFinished(ctx.facts, status, us / 1e6, bytesIn, bytesOut, ctx.upload);
    if (ctx.s3 && deps.requestLog) {
      const since = ctx.bodyEndAt ?? ctx.startedAt;
      const first = ctx.firstByteAt;
      deps.requestLog(ctx.facts, req, this, {
        receivedAt: Date.now() - us / 1000,
        totalMs: us / 1000,
        ...(first !== undefined ? { turnAroundMs: first > since ? Number(first - since) / 1e6 : 0 } : {}),
        status,
        bytesOut,
        finished,
      });
    }
    log.info('request', accessFields(ctx, req, status, Math.round(us) / 1000, bytesIn, bytesOut, finished));
  }
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const ctx = new Context(newRequestId(), log);
    // One shared listener instead of a closure per request.
    const tagged = res as ServerResponse & { sbContext?: Context; sbRequest?: IncomingMessage };
    tagged.sbContext = ctx;
    tagged.sbRequest = req;
    res.on('close', requestDone);
    const url = req.url;
    if ((url === '/-/health' || url === '/-/metrics') && (req.method === 'GET' || req.method === 'HEAD')) {
      observer?.requestStarted(false);
      if (url === '/-/metrics' && deps.metrics !== undefined) {
        ctx.facts.operation = 'Metrics';
        serveMetrics(req, res, deps.metrics, ctx);
        return;
      }
      if (url === '/-/health') {
        ctx.facts.operation = 'Health';
        const body = '{"status":"ok"}';
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
    } else {
      ctx.upload = req.headers['x-amz-target'] === undefined && hasBody(req);
      observer?.requestStarted(ctx.upload);
    }
    if (req.url === '/-/ready' && (req.method === 'GET' || req.method === 'HEAD')) {
      answerReady(req, res, deps.ready);
      return;
    }
    if (deps.console?.handle(req, res) === true) return;
    watchIdle(req, res, limits, ctx);
    if (!reserveUnauthenticated(req, res, unauthenticated, ctx)) {
      ctx.log.info('unauthenticated bodies over budget: request refused', { limit: limits.unauthenticatedBytes });
      return;
    }
    const toS3 = req.headers['x-amz-target'] === undefined;
    if (toS3 && deps.requestLog) trackTurnAround(req, res, ctx);
    const plane = toS3 ? deps.s3 : deps.controlPlane;
    plane(req, res, ctx).catch((err: unknown) => {
      if (clientGone(req)) ctx.log.info('client aborted', { method: req.method, path: pathOnly(req.url) });
      else ctx.log.error('unhandled error', { error: err instanceof Error ? err : String(err) });
      ctx.facts.errorCode ??= 'InternalError';
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain', connection: 'close' });
        res.end(`Internal error (request ${ctx.requestId})`);
      } else {
        res.destroy();
      }
    });
  };
  const options = { keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 };
  // An https.Server is an http.Server whose connections are TLS: the rest of the listener is the same.
  const server: Server = deps.tls
    ? createTlsServer({ ...options, ...deps.tls }, handle)
    : createServer(options, handle);
  server.on('checkContinue', handle);
  // Any other Expect value: S3 ignores expectations it does not know and answers the request itself
  // (with its request id), instead of node's bare 417. No 100 Continue is sent for them.
  server.on('checkExpectation', handle);
  capConnections(server, limits, log, observer);
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
