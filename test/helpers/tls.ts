/** Test certificates: self-signed EC certificates made with openssl (which the tests require). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** A self-signed P-256 certificate for localhost and 127.0.0.1, written to `cert` and `key`. */
export function makeCertificate(cn: string, cert: string, key: string): void {
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, `openssl is needed for the TLS tests and failed: ${r.error?.message ?? r.stderr}`);
}
