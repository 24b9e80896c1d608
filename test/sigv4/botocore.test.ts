/** Requests signed by botocore (SigV4Auth, S3SigV4Auth, presigned query auth) verify; tampering fails. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  parseAuthentication,
  sha256Hex,
  verifySignature,
  SigV4Error,
  type SignedAuthInfo,
  type SigningRequest,
} from '../../src/sigv4/index.js';

const script = fileURLToPath(new URL('../../../test/sigv4/fixtures/botocore_sign.py', import.meta.url));
const akid = 'AKIAIOSFODNN7EXAMPLE';
const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

interface Signed extends SigningRequest {
  name: string;
  body: string;
  headers: Record<string, string>;
}

test('botocore-signed requests verify', () => {
  const p = spawnSync('python3', [script, akid, secret], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(p.status, 0, `python3 botocore signer failed: ${p.stderr}`);
  const requests = JSON.parse(p.stdout) as Signed[];
  assert.ok(requests.length >= 10);
  for (const r of requests) {
    const service = r.name.startsWith('lightsail') ? 'lightsail' : 's3';
    const auth = parseAuthentication(r);
    assert.notEqual(auth.kind, 'anonymous', r.name);
    const a = auth as SignedAuthInfo;
    const opts = { now: new Date(), service, payloadSha256: sha256Hex(Buffer.from(r.body, 'latin1')) };
    const v = verifySignature(r, a, secret, opts);
    assert.equal(v.accessKeyId, akid);
    assert.equal(v.kind, r.name.includes('Query') ? 'query' : 'header', r.name);
    const bad = (what: string, req: SigningRequest) =>
      assert.throws(
        () => verifySignature(req, a, secret, opts),
        (e: unknown) => e instanceof SigV4Error && e.code === 'SignatureMismatch',
        `${r.name}: ${what}`,
      );
    bad('path', { ...r, path: r.path + 'x' });
    bad('query', { ...r, query: r.query + (r.query ? '&' : '') + 'z=1' });
    bad('host', { ...r, headers: { ...r.headers, host: 'localhost:8081' } });
    assert.throws(
      () => verifySignature(r, a, secret + '1', opts),
      (e: SigV4Error) => e.code === 'SignatureMismatch',
      `${r.name}: secret`,
    );
  }
});
