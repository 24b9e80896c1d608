/**
 * `serve --workers 2 --tls-cert … --tls-key …`: SIGHUP to the primary reaches every worker, and new
 * connections (spread over both workers) get the renewed certificate. Certificates are made with
 * openssl, as in test/foundation/tls.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, Agent } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/server.js';
import { makeCertificate } from '../helpers/tls.js';

let dir: string;
let certFile: string;
let keyFile: string;
let server: TestServer;

/** The certificate CN a fresh connection gets from GET /-/health. */
function peerCn(ca: Buffer): Promise<string> {
  const url = new URL(server.endpoint);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: url.hostname, port: url.port, path: '/-/health', agent: new Agent({ keepAlive: false }), ca },
      (res) => {
        const cn = String((res.socket as TLSSocket).getPeerCertificate().subject?.CN);
        res.resume();
        res.on('end', () => resolve(cn));
      },
    );
    req.setTimeout(5_000, () => req.destroy(new Error('health request timed out')));
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-wtls-'));
  certFile = join(dir, 'cert.pem');
  keyFile = join(dir, 'key.pem');
  makeCertificate('first.sailbucket.test', certFile, keyFile);
  server = await startServer({ args: ['--workers', '2', '--tls-cert', certFile, '--tls-key', keyFile] });
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('SIGHUP to the primary reloads the certificate in every worker', async () => {
  assert.match(server.stdout().split('\n')[0], /^sailbucket listening on https:\/\/127\.0\.0\.1:\d+$/);
  const oldCa = readFileSync(certFile);
  assert.equal(await peerCn(oldCa), 'first.sailbucket.test');
  const renewedCert = join(dir, 'renewed-cert.pem');
  const renewedKey = join(dir, 'renewed-key.pem');
  makeCertificate('renewed.sailbucket.test', renewedCert, renewedKey);
  for (const [to, from] of [
    [keyFile, renewedKey],
    [certFile, renewedCert],
  ]) {
    writeFileSync(`${to}.new`, readFileSync(from));
    renameSync(`${to}.new`, to);
  }
  const offset = server.stderr().length;
  process.kill(server.pid()!, 'SIGHUP');
  const reloaded = new Set<unknown>();
  for (let i = 0; i < 2; i++) {
    const line = await server.waitForStderrLine(
      (l) => l.includes('TLS certificate reloaded') && !reloaded.has(JSON.parse(l).worker),
      offset,
    );
    assert.match(line, /CN=renewed\.sailbucket\.test/);
    reloaded.add((JSON.parse(line) as { worker?: unknown }).worker);
  }
  assert.deepEqual([...reloaded].sort(), [1, 2], 'both workers reloaded');
  // Fresh connections go to the workers in turn: every one gets the renewed certificate.
  const ca = readFileSync(renewedCert);
  for (let i = 0; i < 4; i++) assert.equal(await peerCn(ca), 'renewed.sailbucket.test', `connection ${i}`);
  assert.ok(server.pid(), 'the primary is still running after SIGHUP');
});
