/**
 * The web console's routes on the shared listener: `/-/console/…` (the built single-page app)
 * and the redirect of a browser that opens `/` anonymously. The console is a client of the public
 * APIs only (it signs its own requests in the browser); these routes serve static files and
 * nothing else. A bucket cannot be named `-`, so `/-/…` never collides with a path-style bucket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { loadConsoleAssets, type ConsoleAsset } from './assets.js';

export const CONSOLE_PREFIX = '/-/console/';

/** Strict: scripts and styles from this origin only, no inline script, no framing. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** `dist/console/` beside the compiled server (`dist/src/http/console/route.js`). */
export const DEFAULT_CONSOLE_ROOT = fileURLToPath(new URL('../../../console/', import.meta.url));

export interface ConsoleRoutes {
  /** Answers the request and returns true when it is the console's; false leaves it to the planes. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export interface ConsoleRouteOptions {
  root?: string;
  /** True when the Host names a bucket (virtual-hosted): then every path belongs to S3. */
  isBucketHost(host: string | undefined): boolean;
}

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...SECURITY_HEADERS,
    ...extra,
  });
  res.end(text);
}

/** `gzip` listed in Accept-Encoding without `q=0`. */
function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

function isBrowserLanding(req: IncomingMessage): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    req.url === '/' &&
    req.headers.authorization === undefined &&
    req.headers['x-amz-target'] === undefined &&
    (req.headers.accept ?? '').toLowerCase().includes('text/html')
  );
}

export function createConsoleRoutes(opts: ConsoleRouteOptions): ConsoleRoutes {
  const root = opts.root ?? DEFAULT_CONSOLE_ROOT;
  let assets: Map<string, ConsoleAsset> | undefined;
  let loadError: string | undefined;
  const table = (): Map<string, ConsoleAsset> | undefined => {
    if (assets === undefined && loadError === undefined) {
      try {
        assets = loadConsoleAssets(root);
      } catch {
        loadError = 'The web console is not built: run `npm run build` (it runs `vite build`).';
      }
    }
    return assets;
  };

  const serve = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      plain(res, 405, 'Method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    const files = table();
    if (files === undefined) {
      plain(res, 503, `${loadError}\n`);
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(path.slice(CONSOLE_PREFIX.length));
    } catch {
      plain(res, 400, 'Bad path\n');
      return;
    }
    const asset = files.get(rel === '' ? 'index.html' : rel);
    if (asset === undefined) {
      plain(res, 404, 'Not found\n');
      return;
    }
    const headers: Record<string, string | number> = {
      'content-type': asset.contentType,
      etag: asset.etag,
      'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'Accept-Encoding',
      ...SECURITY_HEADERS,
    };
    if (req.headers['if-none-match']?.split(',').some((t) => t.trim() === asset.etag || t.trim() === '*')) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    let body = asset.body;
    if (asset.gzip !== undefined && acceptsGzip(req.headers['accept-encoding'])) {
      body = asset.gzip;
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  return {
    handle(req, res) {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      if (opts.isBucketHost(req.headers.host)) return false;
      if (path.startsWith(CONSOLE_PREFIX)) {
        serve(req, res, path);
        return true;
      }
      if (path === '/-/console') {
        res.writeHead(301, { location: CONSOLE_PREFIX, 'content-length': 0, ...SECURITY_HEADERS });
        res.end();
        return true;
      }
      if (isBrowserLanding(req)) {
        res.writeHead(302, {
          location: CONSOLE_PREFIX,
          'content-length': 0,
          'cache-control': 'no-store',
          vary: 'Accept, Authorization',
        });
        res.end();
        return true;
      }
      return false;
    },
  };
}
