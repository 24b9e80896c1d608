/** Shared helpers for control-plane tests: SDK client, raw signed/unsigned calls, error checks. */
import assert from 'node:assert/strict';
import { LightsailClient } from '@aws-sdk/client-lightsail';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { TestServer } from '../helpers/server.js';

export const REGION = 'us-east-1';

export function lightsailClient(
  server: TestServer,
  extra: { credentials?: { accessKeyId: string; secretAccessKey: string }; systemClockOffset?: number } = {},
): LightsailClient {
  return new LightsailClient({
    endpoint: server.endpoint,
    region: REGION,
    credentials: extra.credentials ?? server.credentials,
    ...(extra.systemClockOffset !== undefined ? { systemClockOffset: extra.systemClockOffset } : {}),
    maxAttempts: 1,
  });
}

/** Awaits a rejection whose exception name is `name` (and whose message contains `includes`). */
export async function expectError(
  p: Promise<unknown>,
  name: string,
  includes?: string | RegExp,
): Promise<Error & Record<string, unknown>> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, `expected ${name}, but the call succeeded`);
  const e = caught as Error & Record<string, unknown>;
  assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
  if (includes !== undefined) {
    if (typeof includes === 'string')
      assert.ok(e.message.includes(includes), `message '${e.message}' should contain '${includes}'`);
    else assert.match(e.message, includes);
  }
  return e;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export interface RawCallOptions {
  /** Sign with these credentials (default: the server's root credentials); false: no signature. */
  sign?: false | { accessKeyId: string; secretAccessKey: string };
  contentType?: string;
  /** The X-Amz-Target value (default `Lightsail_20161128.<op>`). */
  target?: string;
  /** Send these bytes instead of JSON.stringify(input). */
  rawBody?: string;
  method?: string;
  path?: string;
  signingDate?: Date;
  /** Signing region (default us-east-1). */
  region?: string;
}

/** One control-plane request made by hand (fetch + @smithy/signature-v4), for wire-level checks. */
export async function rawCall(
  server: Pick<TestServer, 'endpoint' | 'credentials'>,
  op: string,
  input: unknown,
  o: RawCallOptions = {},
): Promise<RawResponse> {
  const url = new URL(server.endpoint);
  const body = o.rawBody ?? JSON.stringify(input);
  const method = o.method ?? 'POST';
  const path = o.path ?? '/';
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': o.contentType ?? 'application/x-amz-json-1.1',
    'x-amz-target': o.target ?? `Lightsail_20161128.${op}`,
  };
  if (o.sign !== false) {
    const signer = new SignatureV4({
      service: 'lightsail',
      region: o.region ?? REGION,
      credentials: o.sign ?? server.credentials,
      sha256: Sha256,
    });
    const signed = await signer.sign(
      { method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, headers, body },
      { signingDate: o.signingDate },
    );
    Object.assign(headers, signed.headers);
  }
  delete headers.host;
  const res = await fetch(`${server.endpoint}${path}`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    /* leave empty; tests assert on text */
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Asserts a raw response is the AWS JSON error `name` with the documented fields. */
export function assertRawError(r: RawResponse, name: string, status = 400): void {
  assert.equal(r.status, status, `status for ${name}: ${r.text}`);
  assert.equal(r.headers.get('x-amzn-errortype'), name, r.text);
  assert.equal(r.json.__type, name);
  assert.equal(r.json.code, name);
  assert.equal(typeof r.json.message, 'string');
  assert.ok((r.json.message as string).length > 0);
  assert.equal(typeof r.json.docs, 'string');
  assert.equal(typeof r.json.tip, 'string');
  assert.ok(r.headers.get('x-amzn-requestid'), 'x-amzn-RequestId on every response');
  assert.ok(!/\bat .+:\d+:\d+/.test(r.text), `no stack trace in ${r.text}`);
}
