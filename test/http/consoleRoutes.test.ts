/**
 * The console's routes on the shared listener, over raw HTTP: the browser redirect of `/` (and
 * only for browsers), the static files with their security and caching headers, ETag/304, gzip,
 * no way out of the build directory, and the first-load JavaScript budget (250 KB compressed).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with the path sent exactly as given (fetch would normalise `..`). */
function raw(endpoint: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  const u = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('console routes', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('redirects an anonymous browser at / to /-/console/, and nobody else', async () => {
    const browser = await raw(server.endpoint, 'GET', '/', { accept: HTML });
    assert.equal(browser.status, 302);
    assert.equal(browser.headers.location, '/-/console/');
    // An S3 client (no text/html) gets S3's answer: anonymous ListBuckets is AccessDenied.
    const s3 = await raw(server.endpoint, 'GET', '/', { accept: '*/*' });
    assert.equal(s3.status, 403);
    assert.match(s3.body.toString(), /<Code>AccessDenied<\/Code>/);
    // A signed request is never redirected, whatever it accepts.
    const signed = await raw(server.endpoint, 'GET', '/', { accept: HTML, authorization: 'AWS4-HMAC-SHA256 x' });
    assert.notEqual(signed.status, 302);
    // A virtual-hosted bucket's root belongs to S3, and so do its `/-/…` keys.
    const host = `${uniqueBucketName()}.localhost:${new URL(server.endpoint).port}`;
    const vhost = await raw(server.endpoint, 'GET', '/', { accept: HTML, host });
    assert.notEqual(vhost.status, 302);
    assert.match(vhost.body.toString(), /<Error>/);
    const vhostConsole = await raw(server.endpoint, 'GET', '/-/console/', { host });
    assert.match(vhostConsole.body.toString(), /<Error>/);
    const bare = await raw(server.endpoint, 'GET', '/-/console');
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.location, '/-/console/');
  });

  it('serves index.html with a strict CSP, no inline script, no framing, revalidated on every load', async () => {
    const r = await raw(server.endpoint, 'GET', '/-/console/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['cache-control'], 'no-cache');
    const html = r.body.toString();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script has a src');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    // HEAD: same headers, no body.
    const head = await raw(server.endpoint, 'HEAD', '/-/console/');
    assert.equal(head.status, 200);
    assert.equal(head.headers.etag, r.headers.etag);
    assert.equal(head.body.length, 0);
  });

  it('serves hashed assets for a year, gzipped when asked, and answers 304 to a matching ETag', async () => {
    const html = (await raw(server.endpoint, 'GET', '/-/console/')).body.toString();
    const js = /src="(\/-\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const css = /href="(\/-\/console\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    assert.ok(js !== undefined && css !== undefined, html);
    const plain = await raw(server.endpoint, 'GET', js);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['content-encoding'], undefined);
    const zipped = await raw(server.endpoint, 'GET', js, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Accept-Encoding');
    assert.ok(zipped.body.length < plain.body.length / 2);
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
    const refused = await raw(server.endpoint, 'GET', js, { 'accept-encoding': 'gzip;q=0' });
    assert.equal(refused.headers['content-encoding'], undefined);
    const again = await raw(server.endpoint, 'GET', js, { 'if-none-match': String(plain.headers.etag) });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const other = await raw(server.endpoint, 'GET', js, { 'if-none-match': '"something-else"' });
    assert.equal(other.status, 200);
    assert.equal((await raw(server.endpoint, 'GET', css)).headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(
      (await raw(server.endpoint, 'GET', '/-/console/favicon.svg')).headers['content-type'],
      'image/svg+xml',
    );
  });

  it('keeps first-load JavaScript under 250 KB compressed', async () => {
    const html = (await raw(server.endpoint, 'GET', '/-/console/')).body.toString();
    const scripts = [...html.matchAll(/(?:src|href)="(\/-\/console\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    assert.ok(scripts.length >= 1);
    let total = 0;
    for (const s of scripts) total += gzipSync((await raw(server.endpoint, 'GET', s)).body).length;
    assert.ok(total <= 250 * 1024, `first load: ${total} bytes of gzipped JavaScript`);
  });

  it('never leaves the build directory, and serves only GET and HEAD', async () => {
    for (const path of [
      '/-/console/../../package.json',
      '/-/console/%2e%2e/%2e%2e/package.json',
      '/-/console/assets/..%2f..%2f..%2fpackage.json',
      '/-/console/..%5c..%5cpackage.json',
      '/-/console/%2fetc%2fpasswd',
      '/-/console/assets/',
      '/-/console/nothing-here.js',
      '/-/console/%E0%A4%A',
    ]) {
      const r = await raw(server.endpoint, 'GET', path);
      assert.ok(r.status === 404 || r.status === 400, `${path}: ${r.status}`);
      assert.doesNotMatch(r.body.toString(), /sailbucket|root:/, path);
    }
    const post = await raw(server.endpoint, 'POST', '/-/console/');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });
});
