/**
 * The trivial node:http server: reads each request body to the end and answers a fixed body, with
 * no auth and no storage — the ceiling for a Node server on this machine. GET answers a
 * preallocated body whose size the harness sets between cases (`POST /__trivial/get-body-bytes/N`);
 * every other method answers a small fixed XML document (it carries an UploadId and an ETag so a
 * multipart client can run against it unchanged).
 *
 *   node dist/bench/servers/trivialMain.js [port]   → prints `trivial listening on http://HOST:PORT`
 */
import { createServer } from 'node:http';

const FIXED = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<Result><UploadId>trivial-upload</UploadId></Result>',
);
const CONFIG = /^\/__trivial\/get-body-bytes\/(\d{1,10})$/;
const MAX_GET_BYTES = 64 * 1024 * 1024;

function main(): void {
  let getBody = Buffer.alloc(4096, 0x61);
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      const config = req.method === 'POST' ? CONFIG.exec(req.url ?? '') : null;
      if (config) {
        const n = Number(config[1]);
        if (n > MAX_GET_BYTES) {
          res.writeHead(400).end(`get-body-bytes ${n} is over ${MAX_GET_BYTES}`);
          return;
        }
        getBody = Buffer.alloc(n, 0x61);
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-length': getBody.length, etag: '"trivial"' }).end(getBody);
        return;
      }
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'content-length': getBody.length, etag: '"trivial"' }).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/xml', 'content-length': FIXED.length, etag: '"trivial"' })
        .end(FIXED);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    process.stdout.write(`trivial listening on http://127.0.0.1:${port}\n`);
  });
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
