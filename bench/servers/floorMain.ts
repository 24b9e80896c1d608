/**
 * The floor reference: plain node:http with no auth, no database and no cache, doing exactly the work a
 * correct, durable S3 must do per request (issue 17):
 *   PUT /bucket/key — each body chunk is written to a temp file as it arrives while MD5 (the ETag),
 *     SHA-256 (when x-amz-content-sha256 is a hex hash, checked at the end) and, when the request names
 *     no checksum, CRC64NVME (@aws-sdk/crc64-nvme: S3 stores one for every new object) are updated;
 *     then fdatasync, close, rename into place, and the ETag answered.
 *   GET /bucket/key — fs.readFile of the object's file, sent. HEAD — fs.stat.
 *   PUT /bucket — makes the bucket's directory.
 * Anything else answers 501: the harness runs only the PUT, GET and HEAD cases on it.
 *
 *   node dist/bench/servers/floorMain.js DATA_DIR [port]   → prints `floor listening on http://HOST:PORT`
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

function fail(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(message);
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': body.length }).end(body);
}

/** A request names a checksum when it sends one (header or trailer) or asks the SDK's algorithm. */
function namesChecksum(req: IncomingMessage): boolean {
  if (req.headers['x-amz-sdk-checksum-algorithm'] !== undefined || req.headers['x-amz-trailer'] !== undefined)
    return true;
  for (const h of Object.keys(req.headers)) if (h.startsWith('x-amz-checksum-')) return true;
  return false;
}

function main(): void {
  const dataDir = process.argv[2];
  if (!dataDir) {
    process.stderr.write('usage: floorMain.js DATA_DIR [port]\n');
    process.exitCode = 2;
    return;
  }
  const tmpDir = join(dataDir, '.tmp');
  mkdirSync(tmpDir, { recursive: true });
  let tmpSeq = 0;

  /** `/bucket/key…` (still URI-encoded) → the bucket's directory and the object's file in it. */
  const locate = (url: string): { bucketDir: string; file?: string } | undefined => {
    const path = url.split('?', 1)[0];
    const m = /^\/([a-z0-9][a-z0-9.-]{1,62})(?:\/(.+))?$/.exec(path);
    if (!m) return undefined;
    const bucketDir = join(dataDir, m[1]);
    // The key's encoded form with '/' encoded too: one flat file name per key ('%' is always %25 in it).
    return m[2] === undefined ? { bucketDir } : { bucketDir, file: join(bucketDir, m[2].replaceAll('/', '%2F')) };
  };

  const put = async (req: IncomingMessage, res: ServerResponse, file: string): Promise<void> => {
    const declared = req.headers['x-amz-content-sha256'];
    const sha256 = typeof declared === 'string' && HEX_SHA256.test(declared) ? createHash('sha256') : undefined;
    const md5 = createHash('md5');
    const crc = namesChecksum(req) ? undefined : new Crc64Nvme();
    const tmp = join(tmpDir, `${process.pid}-${tmpSeq++}`);
    const fh = await open(tmp, 'w');
    let renamed = false;
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        md5.update(chunk);
        sha256?.update(chunk);
        crc?.update(chunk);
        await fh.write(chunk);
      }
      if (sha256 && sha256.digest('hex') !== declared) {
        fail(res, 400, 'XAmzContentSHA256Mismatch: the body does not match x-amz-content-sha256');
        return;
      }
      await fh.datasync();
      await fh.close();
      await rename(tmp, file);
      renamed = true;
      const headers: Record<string, string> = { etag: `"${md5.digest('hex')}"`, 'content-length': '0' };
      if (crc) headers['x-amz-checksum-crc64nvme'] = Buffer.from(await crc.digest()).toString('base64');
      res.writeHead(200, headers).end();
    } finally {
      if (!renamed) {
        await fh.close().catch(() => undefined);
        await unlink(tmp).catch(() => undefined);
      }
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const where = locate(req.url ?? '');
    if (!where) {
      req.resume();
      return fail(res, 400, `floor: not a /bucket/key path: ${(req.url ?? '').slice(0, 200)}`);
    }
    if (where.file === undefined) {
      req.resume();
      if (req.method !== 'PUT') return fail(res, 501, `floor: ${req.method} on a bucket is not part of the floor`);
      await mkdir(where.bucketDir, { recursive: true });
      res.writeHead(200, { 'content-length': '0' }).end();
      return;
    }
    if (req.method === 'PUT') return put(req, res, where.file);
    req.resume();
    if (req.method === 'GET' || req.method === 'HEAD') {
      try {
        if (req.method === 'HEAD') {
          const st = await stat(where.file);
          res.writeHead(200, { 'content-length': st.size }).end();
        } else {
          const body = await readFile(where.file);
          res.writeHead(200, { 'content-length': body.length }).end(body);
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fail(res, 404, 'NoSuchKey');
        throw err;
      }
      return;
    }
    fail(res, 501, `floor: ${req.method} on an object is not part of the floor`);
  };

  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    handle(req, res).catch((err: Error) => fail(res, 500, `floor: ${err.message}`));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    process.stdout.write(`floor listening on http://127.0.0.1:${port}\n`);
  });
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
