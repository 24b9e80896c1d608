/**
 * `GET /-/metrics`: the Prometheus text exposition of the server's metrics. With a token set,
 * only `Authorization: Bearer <token>` gets them (compared in constant time); anything else is
 * 401 with a `WWW-Authenticate` challenge, as Prometheus' `authorization` scrape setting expects.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from './types.js';

export interface MetricsEndpoint {
  /** The exposition text and its content type (from the registry). */
  render(): Promise<{ contentType: string; body: string }>;
  /** When set, scrapes must send it as a bearer token. */
  token?: string;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Whether the Authorization header carries the token (hashes compared: no length leak). */
function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return false;
  const m = /^Bearer +(\S+) *$/i.exec(header);
  return m !== null && timingSafeEqual(digest(m[1]), digest(token));
}

export function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  endpoint: MetricsEndpoint,
  ctx: RequestContext,
): void {
  if (endpoint.token !== undefined && !authorized(req, endpoint.token)) {
    const body = 'Unauthorized: /-/metrics needs "Authorization: Bearer <metrics token>" (--metrics-token).\n';
    ctx.facts.errorCode = 'Unauthorized';
    res.writeHead(401, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'www-authenticate': 'Bearer realm="sailbucket metrics"',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  endpoint.render().then(
    ({ contentType, body }) => {
      res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    (err: unknown) => {
      ctx.log.error('metrics collection failed', { error: err instanceof Error ? err : String(err) });
      ctx.facts.errorCode = 'InternalError';
      if (res.headersSent) return;
      const body = `Internal error (request ${ctx.requestId})\n`;
      res.writeHead(500, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    },
  );
}
