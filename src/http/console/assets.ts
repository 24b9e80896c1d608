/**
 * The console's built files (`dist/console/`, made by `vite build`), read once into memory on the
 * first console request. Lookups go through this table only, so no request path ever becomes a
 * file path: there is nothing to traverse. The build is small (well under a megabyte); the walk is
 * bounded in file count and bytes anyway.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ConsoleAsset {
  body: Buffer;
  /** The gzip encoding, when it is smaller by enough to matter. */
  gzip: Buffer | undefined;
  contentType: string;
  /** Strong validator: the SHA-256 of the body, base64url, quoted. */
  etag: string;
  /** Content-hashed build output (`assets/…`): cacheable for a year. */
  immutable: boolean;
}

const MAX_FILES = 1000;
const MAX_TOTAL_BYTES = 32 * 1024 * 1024;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

/** Walks `root` and returns `relative/path` (with `/`) → asset; throws if the build is absent. */
export function loadConsoleAssets(root: string): Map<string, ConsoleAsset> {
  const out = new Map<string, ConsoleAsset>();
  let total = 0;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) {
        walk(path);
        continue;
      }
      if (!st.isFile()) continue;
      const ext = extname(name).toLowerCase();
      const contentType = TYPES[ext];
      if (contentType === undefined) continue;
      if (out.size >= MAX_FILES) throw new Error(`console build has more than ${MAX_FILES} files`);
      total += st.size;
      if (total > MAX_TOTAL_BYTES) throw new Error(`console build is larger than ${MAX_TOTAL_BYTES} bytes`);
      const body = readFileSync(path);
      const zipped = COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined;
      const rel = relative(root, path).split(sep).join('/');
      out.set(rel, {
        body,
        gzip: zipped !== undefined && zipped.length < body.length * 0.9 ? zipped : undefined,
        contentType,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        immutable: rel.startsWith('assets/'),
      });
    }
  };
  walk(root);
  if (!out.has('index.html')) throw new Error(`no index.html in ${root}`);
  return out;
}
