/** Canonical URI and query encoding rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalizeEncoded,
  canonicalQuery,
  canonicalUri,
  normalizePath,
  uriEncode,
} from '../../src/sigv4/uriEncoding.js';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { parseAuthentication, verifySignature, type SignedAuthInfo } from '../../src/sigv4/index.js';
import { toSigningRequest, type SdkLikeRequest } from './sdkRequest.js';

test('S3 paths: encoding made canonical, slashes and dots kept, %2F stays encoded', () => {
  assert.equal(canonicalUri('/b/a%7eb', true), '/b/a~b');
  assert.equal(canonicalUri('/b/%c3%bc', true), '/b/%C3%BC');
  assert.equal(canonicalUri('/b/a b!', true), '/b/a%20b%21');
  assert.equal(canonicalUri('/b/x%2Fy//./../z/', true), '/b/x%2Fy//./../z/');
  assert.equal(canonicalUri('/b/100%', true), '/b/100%25');
  assert.equal(canonicalUri('/b/%zz', true), '/b/%25zz');
  assert.equal(canonicalUri('/b/a+b', true), '/b/a%2Bb');
  assert.equal(canonicalUri('', true), '/');
});

test('other services: normalized, then encoded again', () => {
  assert.equal(normalizePath('//a/./b/../c//'), '/a/c/');
  assert.equal(normalizePath('/a/..'), '/');
  assert.equal(canonicalUri('/a%20b/./c', false), '/a%2520b/c');
  assert.equal(uriEncode('a/b ü', true), 'a/b%20%C3%BC');
  assert.equal(uriEncode('a/b', false), 'a%2Fb');
});

test('query: names and values canonical, sorted by name then value, + is a space', () => {
  assert.equal(canonicalQuery('b=2&a=2&a=1&c'), 'a=1&a=2&b=2&c=');
  assert.equal(canonicalQuery('Param-3=1&Param=2'), 'Param=2&Param-3=1');
  assert.equal(canonicalQuery('prefix=a+b%2b&x=%7e'), 'prefix=a%20b%2B&x=~');
  assert.equal(canonicalQuery('k=a%2Fb/c'), 'k=a%2Fb%2Fc');
  assert.equal(canonicalQuery('X-Amz-Signature=abc&a=1', 'X-Amz-Signature'), 'a=1');
  assert.equal(canonicalQuery(''), '');
  assert.equal(canonicalizeEncoded('ab', false), 'ab');
  // Escapes already canonical are copied; lower-case hex, escaped unreserved bytes and a '%'
  // that starts no escape around them are still rewritten.
  assert.equal(
    canonicalizeEncoded('AKID%2F20261129%2Fus-east-1%2Fs3', false, true),
    'AKID%2F20261129%2Fus-east-1%2Fs3',
  );
  assert.equal(canonicalizeEncoded('a%2Fb%2fc%7Ed%41%E2%82%AC', false), 'a%2Fb%2Fc~dA%E2%82%AC');
  assert.equal(canonicalizeEncoded('%2F%zz%2F%4', false), '%2F%25zz%2F%254');
  assert.equal(canonicalizeEncoded('%20+%20', false, true), '%20%20%20');
  assert.equal(
    canonicalQuery('X-Amz-Date=1&X-Amz-Credential=a%2Fb&X-Amz-Algorithm=x'),
    'X-Amz-Algorithm=x&X-Amz-Credential=a%2Fb&X-Amz-Date=1',
  );
  assert.equal(canonicalQuery('a=2&a=1&a=1'), 'a=1&a=1&a=2');
});

test('S3: a client that signed a non-canonical path spelling still verifies', async () => {
  const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };
  const signingDate = new Date('2026-11-29T12:00:00Z');
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
  });
  for (const path of ['/b/a%7Eb', '/b/%c3%bc', "/b/it's"]) {
    const signed = (await signer.sign(
      { method: 'GET', path, query: {}, headers: { host: 'h', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } } as never,
      { signingDate },
    )) as unknown as SdkLikeRequest;
    const req = toSigningRequest(signed);
    const v = verifySignature(req, parseAuthentication(req) as SignedAuthInfo, 'secret', {
      now: signingDate,
      service: 's3',
    });
    assert.equal(v.kind, 'header', path);
  }
});
