/**
 * Control-plane SigV4 on the wire: repeated signed headers (joined with ',' as SigV4 signs them)
 * and each SigV4 failure code's Lightsail exception (the table in docs/compat/sigv4.md).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SigV4Error, type SigV4ErrorCode } from '../../src/sigv4/errors.js';
import { SIGV4_EXCEPTIONS, wireError } from '../../src/control/authenticate.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { REGION, assertRawError, type RawResponse } from './support.js';

/** One request through node:http, so that an array value goes out as repeated header lines. */
function send(
  server: TestServer,
  path: string,
  headers: Record<string, string | string[]>,
  body: string,
): Promise<RawResponse> {
  const url = new URL(server.endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: Number(url.port), method: 'POST', path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> = {};
        try {
          json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          /* tests assert on text */
        }
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers))
          if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: res.statusCode ?? 0, headers: h, text, json });
      });
      res.on('error', reject);
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer within 15 s for POST ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

const baseHeaders = (server: TestServer, op: string): Record<string, string> => ({
  host: new URL(server.endpoint).host,
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': `Lightsail_20161128.${op}`,
});

async function sign(
  server: TestServer,
  headers: Record<string, string>,
  body: string,
  o: { service?: string; path?: string; query?: Record<string, string> } = {},
): Promise<Record<string, string>> {
  const url = new URL(server.endpoint);
  const signer = new SignatureV4({
    service: o.service ?? 'lightsail',
    region: REGION,
    credentials: server.credentials,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: o.path ?? '/',
    ...(o.query ? { query: o.query } : {}),
    headers,
    body,
  });
  return signed.headers;
}

describe('control plane: SigV4 on the wire', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('a repeated signed header is verified with its values joined by "," (as signed)', async () => {
    const body = '{}';
    // SigV4 signs a header sent twice as its values joined with ','; smithy signs the joined value.
    const signed = await sign(
      server,
      { ...baseHeaders(server, 'GetBucketBundles'), 'x-sailbucket-repeated': 'first,second' },
      body,
    );
    const wire: Record<string, string | string[]> = { ...signed, 'x-sailbucket-repeated': ['first', 'second'] };
    assert.match(signed.authorization, /SignedHeaders=[^,]*x-sailbucket-repeated/, 'the repeated header is signed');
    const ok = await send(server, '/', wire, body);
    assert.equal(ok.status, 200, ok.text);
    assert.ok(Array.isArray(ok.json.bundles), ok.text);
    // The same signature with the values in the other order is a different request.
    const swapped = await send(server, '/', { ...signed, 'x-sailbucket-repeated': ['second', 'first'] }, body);
    assertRawError(swapped, 'InvalidSignatureException');
  });

  it('no X-Amz-Date and no Date header (InvalidRequestDate) → IncompleteSignatureException', async () => {
    const body = '{}';
    const signed = await sign(server, baseHeaders(server, 'GetBuckets'), body);
    const { ['x-amz-date']: _dropped, ...withoutDate } = signed;
    assert.ok(_dropped, 'the signer set x-amz-date');
    const r = await send(server, '/', withoutDate, body);
    assertRawError(r, 'IncompleteSignatureException');
    assert.match(r.json.message as string, /requires existence of either a 'X-Amz-Date' or a 'Date' header/);
    const bad = await send(server, '/', { ...signed, 'x-amz-date': 'yesterday' }, body);
    assertRawError(bad, 'IncompleteSignatureException');
    assert.match(bad.json.message as string, /x-amz-date 'yesterday'/);
  });

  it('an Authorization header together with a presigned query (AmbiguousAuthentication) → IncompleteSignatureException', async () => {
    const body = '{}';
    const query = { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' };
    const signed = await sign(server, baseHeaders(server, 'GetBuckets'), body, { query });
    const r = await send(server, '/?X-Amz-Algorithm=AWS4-HMAC-SHA256', signed, body);
    assertRawError(r, 'IncompleteSignatureException');
    assert.match(r.json.message as string, /Only one auth mechanism allowed/);
  });

  it('a credential scoped to another service (ScopeMismatch) → InvalidSignatureException naming lightsail', async () => {
    const body = '{}';
    const signed = await sign(server, baseHeaders(server, 'GetBuckets'), body, { service: 's3' });
    const r = await send(server, '/', signed, body);
    assertRawError(r, 'InvalidSignatureException');
    assert.match(r.json.message as string, /Credential should be scoped to correct service: 'lightsail', not 's3'/);
  });

  it('every SigV4Error code has the exception of the docs/compat/sigv4.md table', () => {
    const expected: Partial<Record<SigV4ErrorCode, string>> = {
      MissingAuthentication: 'MissingAuthenticationTokenException',
      AmbiguousAuthentication: 'IncompleteSignatureException',
      IncompleteSignature: 'IncompleteSignatureException',
      AuthorizationQueryParametersError: 'IncompleteSignatureException',
      UnsupportedAlgorithm: 'IncompleteSignatureException',
      InvalidRequestDate: 'IncompleteSignatureException',
      SignatureMismatch: 'InvalidSignatureException',
      RequestTimeTooSkewed: 'InvalidSignatureException',
      RequestExpired: 'InvalidSignatureException',
      RequestNotYetValid: 'InvalidSignatureException',
      ScopeMismatch: 'InvalidSignatureException',
      InvalidPayloadMode: 'InvalidSignatureException',
    };
    for (const [code, exception] of Object.entries(expected)) {
      assert.equal(SIGV4_EXCEPTIONS[code as SigV4ErrorCode], exception, `SigV4Error ${code}`);
      const e = wireError(new SigV4Error(code as SigV4ErrorCode, `detail of ${code}`));
      assert.equal(e.exception, exception, `wire error for ${code}`);
    }
    assert.match(
      wireError(new SigV4Error('RequestTimeTooSkewed', 'skewed by 20 min')).message,
      /^Signature expired: skewed by 20 min/,
    );
    assert.doesNotMatch(wireError(new SigV4Error('SignatureMismatch', 'canonical request ...')).message, /canonical/);
    assert.equal(wireError(new SigV4Error('InvalidRequestDate', 'no date')).message, 'no date');
  });
});
