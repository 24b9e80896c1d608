/**
 * The network bounds of the one listener: a request (or its body) that sends nothing for
 * `bodyIdleTimeoutMs` is answered RequestTimeout in its plane's wire format and its connection
 * closed; a response the client stops reading for as long is cut; at most `maxConnections` are open.
 * A request that is complete and still being handled (a slow CompleteMultipartUpload) is never cut.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../log.js';
import type { HttpObserver, RequestContext } from './types.js';

export interface NetworkLimits {
  bodyIdleTimeoutMs: number;
  maxConnections: number;
  /** Bytes that control-plane bodies (read whole before their signature is checked) may hold at once. */
  unauthenticatedBytes: number;
}

export const DEFAULT_LIMITS: NetworkLimits = {
  bodyIdleTimeoutMs: 60_000,
  maxConnections: 4096,
  unauthenticatedBytes: 64 * 1024 * 1024,
};

/** The control-plane body cap (src/control/body.ts refuses more): what a body without a length may hold. */
const CONTROL_BODY_CAP = 128 * 1024;

/**
 * The server-wide budget of bytes held by request bodies not yet authenticated. Only control-plane
 * bodies are read before their signature is checked (S3 verifies the headers first and streams the
 * body), so each control-plane request reserves its declared length (or the body cap) from arrival
 * until its connection is done with it. Over the budget the request is answered 503 at once.
 */
export function reserveUnauthenticated(
  req: IncomingMessage,
  res: ServerResponse,
  budget: { held: number; limit: number },
  ctx: RequestContext,
): boolean {
  if (req.headers['x-amz-target'] === undefined) return true;
  const declared = Number(req.headers['content-length'] ?? NaN);
  const bytes =
    Number.isSafeInteger(declared) && declared >= 0 ? Math.min(declared, CONTROL_BODY_CAP) : CONTROL_BODY_CAP;
  if (budget.held + bytes > budget.limit) {
    const body = JSON.stringify({
      __type: 'ServiceException',
      message: 'The server is busy: too many request bodies are waiting to be authenticated. Retry later.',
    });
    res.writeHead(503, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': 'ServiceException',
      'x-amz-request-id': ctx.requestId,
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    ctx.facts.errorCode ??= 'ServiceException';
    res.end(body, () => {
      req.destroy();
      req.socket.destroy();
    });
    return false;
  }
  budget.held += bytes;
  res.once('close', () => (budget.held -= bytes));
  return true;
}

const S3_TIMEOUT_MESSAGE =
  'Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.';

/** The answer to a request whose body stalled: S3's RequestTimeout, or Lightsail's InvalidInputException. */
function timeoutAnswer(
  req: IncomingMessage,
  requestId: string,
): { code: string; headers: Record<string, string>; body: string } {
  const seconds = 'the request body sent nothing for too long';
  if (req.headers['x-amz-target'] !== undefined) {
    return {
      code: 'InvalidInputException',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'InvalidInputException' },
      body: JSON.stringify({ __type: 'InvalidInputException', message: `Request timed out: ${seconds}` }),
    };
  }
  return {
    code: 'RequestTimeout',
    headers: { 'content-type': 'application/xml' },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>RequestTimeout</Code>' +
      `<Message>${S3_TIMEOUT_MESSAGE}</Message><RequestId>${requestId}</RequestId></Error>`,
  };
}

/** Arms the idle timer of one request (reset by every byte read or written on its connection). */
export function watchIdle(req: IncomingMessage, res: ServerResponse, limits: NetworkLimits, ctx: RequestContext): void {
  req.setTimeout(limits.bodyIdleTimeoutMs, () => {
    const socket = req.socket;
    if (req.complete && !res.headersSent) return; // handling a whole request: not the client's stall
    if (res.headersSent) {
      ctx.log.info('response not read: connection closed', { idleMs: limits.bodyIdleTimeoutMs });
      ctx.facts.errorCode ??= 'ResponseNotRead';
      socket.destroy();
      return;
    }
    ctx.log.info('request body idle: connection closed', { idleMs: limits.bodyIdleTimeoutMs });
    const { code, headers, body } = timeoutAnswer(req, ctx.requestId);
    ctx.facts.errorCode ??= code;
    res.writeHead(400, {
      ...headers,
      'x-amz-request-id': ctx.requestId,
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    // The response has left the request's bookkeeping once it finished: end the request too, so the
    // plane's body reader fails (IncompleteBody) and removes what it wrote.
    res.end(body, () => {
      req.destroy();
      socket.destroy();
    });
  });
}

/** The connection cap, with one warn line per minute while connections are refused. */
export function capConnections(server: Server, limits: NetworkLimits, log: Logger, observer?: HttpObserver): void {
  server.maxConnections = limits.maxConnections;
  let lastLine = 0;
  let refused = 0;
  if (observer !== undefined) {
    // The TCP connection (on an HTTPS listener: before its handshake, so failed handshakes count too).
    server.on('connection', (socket: Socket) => {
      observer.connectionOpened();
      socket.once('close', () => observer.connectionClosed());
    });
  }
  server.on('drop', () => {
    observer?.connectionRefused();
    refused += 1;
    const now = Date.now();
    if (now - lastLine < 60_000) return;
    log.warn('connection limit reached: new connections are refused', {
      maxConnections: limits.maxConnections,
      refused,
    });
    lastLine = now;
    refused = 0;
  });
}
