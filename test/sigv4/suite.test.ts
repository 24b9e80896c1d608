/**
 * The public AWS SigV4 test suite (aws-c-auth): canonical request, string to sign and signature
 * byte for byte, for header and presigned signing; and any changed signed byte fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/server.js';
import {
  canonicalRequestFor,
  parseAuthentication,
  scopeString,
  sha256Hex,
  stringToSignFor,
  verifySignature,
  SigV4Error,
  type SignedAuthInfo,
  type VerifyOptions,
} from '../../src/sigv4/index.js';
import { parseRawRequest, type RawRequest } from './rawRequest.js';

/** The suite, vendored byte for byte (see fixtures/sigv4-suite/README.md). */
const SUITE = join(REPO_ROOT, 'test', 'sigv4', 'fixtures', 'sigv4-suite', 'v4');

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  normalize: boolean;
  region: string;
  service: string;
  timestamp: string;
  omit_session_token?: boolean;
}

const read = (dir: string, f: string) => readFileSync(join(SUITE, dir, f), 'utf8');

function optionsFor(ctx: Context, req: RawRequest): VerifyOptions {
  return {
    now: new Date(ctx.timestamp),
    service: ctx.service,
    normalizePath: ctx.normalize,
    payloadSha256: sha256Hex(req.body),
  };
}

function expectMismatch(req: RawRequest, secret: string, opts: VerifyOptions, what: string) {
  assert.throws(
    () => {
      const auth = parseAuthentication(req);
      assert.notEqual(auth.kind, 'anonymous');
      verifySignature(req, auth as SignedAuthInfo, secret, opts);
    },
    (e: unknown) => e instanceof SigV4Error && e.code === 'SignatureMismatch',
    what,
  );
}

function tamperedVariants(req: RawRequest, auth: SignedAuthInfo): Array<[string, RawRequest]> {
  const out: Array<[string, RawRequest]> = [];
  for (const name of auth.signedHeaders) {
    const values = req.headers[name];
    if (!values || name === 'x-amz-date') continue;
    const change = (v: string) => (/^[0-9a-f]{64}$/.test(v) ? v.slice(0, -1) + (v.endsWith('0') ? '1' : '0') : v + 'x');
    const changed = values.map((v, i) => (i === 0 ? change(v) : v));
    out.push([`signed header ${name}`, { ...req, headers: { ...req.headers, [name]: changed } }]);
  }
  out.push(['path', { ...req, path: req.path === '/' ? '/x' : req.path + 'x' }]);
  out.push(['method', { ...req, method: req.method === 'GET' ? 'PUT' : 'GET' }]);
  out.push(['query (extra parameter)', { ...req, query: req.query === '' ? 'extra=1' : req.query + '&extra=1' }]);
  return out;
}

const cases = readdirSync(SUITE)
  .filter((d) => existsSync(join(SUITE, d, 'context.json')))
  .sort();
assert.ok(cases.length >= 30, `expected the whole suite, found ${cases.length} cases`);

for (const name of cases) {
  const ctx = JSON.parse(read(name, 'context.json')) as Context;
  const secret = ctx.credentials.secret_access_key;

  test(`suite ${name}: header signing`, () => {
    const req = parseRawRequest(read(name, 'header-signed-request.txt'));
    const auth = parseAuthentication(req);
    assert.equal(auth.kind, 'header');
    const a = auth as SignedAuthInfo;
    assert.equal(a.accessKeyId, ctx.credentials.access_key_id);
    const opts = optionsFor(ctx, req);
    const payloadHash = a.payloadHashExplicit ? a.payloadHash! : opts.payloadSha256!;
    const creq = canonicalRequestFor(req, a, { s3Style: !ctx.normalize, payloadHash });
    assert.equal(creq, read(name, 'header-canonical-request.txt'));
    assert.equal(stringToSignFor(a.amzDate, scopeString(a.scope), creq), read(name, 'header-string-to-sign.txt'));
    const v = verifySignature(req, a, secret, opts);
    assert.equal(v.seedSignature, read(name, 'header-signature.txt').trim());
    expectMismatch(req, secret.slice(0, -1) + (secret.endsWith('Y') ? 'Z' : 'Y'), opts, 'changed secret');
    for (const [what, bad] of tamperedVariants(req, a)) expectMismatch(bad, secret, opts, what);
  });

  const queryName = ctx.omit_session_token
    ? `suite ${name}: query signing skipped — token added after signing (omit_session_token), not a request a verifier can accept`
    : `suite ${name}: query signing`;
  test(queryName, { skip: ctx.omit_session_token === true }, () => {
    const req = parseRawRequest(read(name, 'query-signed-request.txt'));
    const auth = parseAuthentication(req);
    assert.equal(auth.kind, 'query');
    const a = auth as SignedAuthInfo;
    const opts = optionsFor(ctx, req);
    const creq = canonicalRequestFor(req, a, { s3Style: !ctx.normalize, payloadHash: opts.payloadSha256! });
    assert.equal(creq, read(name, 'query-canonical-request.txt'));
    assert.equal(stringToSignFor(a.amzDate, scopeString(a.scope), creq), read(name, 'query-string-to-sign.txt'));
    const v = verifySignature(req, a, secret, opts);
    assert.equal(v.seedSignature, read(name, 'query-signature.txt').trim());
    assert.equal(v.expiresAt?.toISOString(), new Date(Date.parse(ctx.timestamp) + 3600_000).toISOString());
    expectMismatch(req, secret + 'x', opts, 'changed secret');
    for (const [what, bad] of tamperedVariants(req, a)) expectMismatch(bad, secret, opts, what);
  });
}
