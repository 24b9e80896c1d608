/** boto3 PutObject (botocore's own S3 body handling and checksums) verifies end to end. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startServer } from './verifyingServer.js';

const script = fileURLToPath(new URL('../../../test/sigv4/fixtures/boto3_put.py', import.meta.url));
const akid = 'AKIAIOSFODNN7EXAMPLE';
const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function runPython(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('python3', [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), 120_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function selfSignedCert(dir: string): { key: string; cert: string } {
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
}

for (const scheme of ['http', 'https'] as const)
  test(`boto3 put_object over ${scheme} in every checksum mode verifies end to end`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigv4-boto3-'));
    const srv = await startServer(
      (k) => (k === akid ? secret : undefined),
      scheme === 'https' ? selfSignedCert(dir) : undefined,
    );
    try {
      const r = await runPython([srv.url, akid, secret]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as {
        size: number;
        results: Array<{ alg: string | null; kind: string; etag?: string; error?: string; unsupported?: boolean }>;
      };
      const data = Buffer.alloc(out.size);
      for (let i = 0; i < out.size; i++) data[i] = i % 256;
      const etag = `"${createHash('md5').update(data).digest('hex')}"`;
      const done = out.results.filter((res) => !res.unsupported);
      for (const res of out.results) {
        if (res.unsupported) {
          assert.ok(
            res.alg === 'CRC32C' || res.alg === 'CRC64NVME',
            `only the CRT algorithms may be missing, not ${res.alg}`,
          );
          continue;
        }
        assert.equal(res.error, undefined, `${res.kind} ${res.alg}: ${res.error}`);
        assert.equal(res.etag, etag, `${res.kind} ${res.alg}`);
      }
      assert.equal(srv.seen.length, done.length);
      for (const s of srv.seen) assert.ok(s.body.equals(data), `stored body byte-identical (${s.mode})`);
      const withAlg = srv.seen.filter((s) => s.checksum).map((s) => s.checksum!.split(':')[0]);
      for (const alg of ['CRC32', 'SHA1', 'SHA256'])
        assert.ok(withAlg.includes(alg), `${alg} checksum verified (${withAlg.join()})`);
      // over http botocore signs the payload; over https it streams aws-chunked with a checksum trailer
      const modes = new Set(srv.seen.map((x) => x.mode));
      assert.ok(modes.has(scheme === 'http' ? 'SHA256' : 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'), [...modes].join());
    } finally {
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
