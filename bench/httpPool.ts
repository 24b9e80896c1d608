/**
 * A keep-alive HTTP/1.1 connection pool for one server: `send` writes a request (Buffer, Buffer
 * list or stream body), drains the response and counts its bytes, keeping the body only when asked
 * (small XML answers). Every request has a timeout so no run can hang. A request whose kept-alive
 * socket the server had just closed (an idle-timeout race: ECONNRESET / "socket hang up" before any
 * answer on a reused socket) is sent once more when its body can be replayed, as Node's docs advise
 * (`request.reusedSocket`); every other failure is reported as is.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

export interface HttpRequestSpec {
  method: string;
  /** `path?query`, already encoded. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer | Buffer[] | (() => Readable);
  /** Keep the response body (up to this many bytes) in `HttpResult.body`. */
  keepBodyBytes?: number;
  /** Sees every response body chunk (e.g. to hash a big download). */
  onData?: (chunk: Buffer) => void;
}

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  /** Body bytes received. */
  bytes: number;
  body: Buffer;
}

export interface HttpPool {
  readonly host: string;
  readonly port: number;
  send(spec: HttpRequestSpec): Promise<HttpResult>;
  close(): void;
}

export interface HttpPoolOptions {
  host: string;
  port: number;
  maxSockets: number;
  timeoutMs: number;
}

function bodyLength(body: HttpRequestSpec['body']): number | undefined {
  if (body === undefined) return 0;
  if (Buffer.isBuffer(body)) return body.length;
  if (Array.isArray(body)) return body.reduce((n, b) => n + b.length, 0);
  return undefined;
}

export function createHttpPool(opts: HttpPoolOptions): HttpPool {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets, maxFreeSockets: opts.maxSockets });
  return {
    host: opts.host,
    port: opts.port,
    send(spec) {
      const replayable = spec.body === undefined || Buffer.isBuffer(spec.body) || Array.isArray(spec.body);
      return sendOnce(spec).catch((err: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
        if (replayable && err.reusedSocket === true && (err.code === 'ECONNRESET' || err.message === 'socket hang up'))
          return sendOnce(spec);
        throw err;
      });
    },
    close() {
      agent.destroy();
    },
  };

  function sendOnce(spec: HttpRequestSpec): Promise<HttpResult> {
    return new Promise<HttpResult>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...spec.headers };
      const len = bodyLength(spec.body);
      if (
        len !== undefined &&
        headers['content-length'] === undefined &&
        (len > 0 || spec.method === 'PUT' || spec.method === 'POST')
      )
        headers['content-length'] = len;
      const req = request(
        {
          host: opts.host,
          port: opts.port,
          method: spec.method,
          path: spec.url,
          headers,
          agent,
          timeout: opts.timeoutMs,
        },
        (res) => {
          let bytes = 0;
          const keep = spec.keepBodyBytes ?? 0;
          const kept: Buffer[] = [];
          let keptBytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            spec.onData?.(chunk);
            if (keptBytes < keep) {
              kept.push(chunk);
              keptBytes += chunk.length;
            }
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, body: Buffer.concat(kept) }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${spec.method} ${spec.url.split('?')[0]} timed out after ${opts.timeoutMs} ms`)),
      );
      let answered = false;
      req.on('response', () => {
        answered = true;
      });
      // Marks a failure on a reused socket before any answer (the server closed it as we sent).
      req.on('error', (err: Error & { reusedSocket?: boolean }) => {
        if (!answered && req.reusedSocket) err.reusedSocket = true;
        reject(err);
      });
      const body = spec.body;
      if (body === undefined) req.end();
      else if (Buffer.isBuffer(body)) req.end(body);
      else if (Array.isArray(body)) {
        for (const b of body) req.write(b);
        req.end();
      } else {
        const stream = body();
        stream.on('error', (err) => req.destroy(err));
        stream.pipe(req);
      }
    });
  }
}
