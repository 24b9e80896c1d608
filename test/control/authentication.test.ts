/** Control-plane envelope and SigV4: each failure gets its AWS exception, on the wire and via the SDK. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketAccessKeyCommand,
  CreateBucketCommand,
  GetBucketsCommand,
  type LightsailClient,
} from '@aws-sdk/client-lightsail';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { assertRawError, expectError, lightsailClient, rawCall } from './support.js';

describe('control plane: protocol and authentication', () => {
  let server: TestServer;
  let ls: LightsailClient;
  before(async () => {
    server = await startServer();
    ls = lightsailClient(server);
  });
  after(async () => {
    ls?.destroy();
    await server?.stop();
  });

  it('a signed raw call succeeds and carries x-amzn-RequestId', async () => {
    const r = await rawCall(server, 'GetBucketBundles', {});
    assert.equal(r.status, 200, r.text);
    assert.ok(r.headers.get('x-amzn-requestid'));
    assert.ok(Array.isArray(r.json.bundles));
  });

  it('timestamps are JSON numbers of epoch seconds on the wire', async () => {
    const name = uniqueBucketName('wire');
    const before = Date.now() / 1000;
    const r = await rawCall(server, 'CreateBucket', { bucketName: name, bundleId: 'small_1_0' });
    assert.equal(r.status, 200, r.text);
    const bucket = r.json.bucket as Record<string, unknown>;
    assert.equal(typeof bucket.createdAt, 'number', r.text);
    assert.ok(
      Math.abs((bucket.createdAt as number) - before) < 60,
      `createdAt ${String(bucket.createdAt)} is epoch seconds`,
    );
    const op = (r.json.operations as Record<string, unknown>[])[0];
    assert.equal(typeof op.createdAt, 'number');
    assert.equal(typeof op.statusChangedAt, 'number');
    const k = await rawCall(server, 'CreateBucketAccessKey', { bucketName: name });
    assert.equal(typeof (k.json.accessKey as Record<string, unknown>).createdAt, 'number', k.text);
    assert.ok(!('lastUsed' in (k.json.accessKey as object)), 'no lastUsed on create');
    const listed = await rawCall(server, 'GetBucketAccessKeys', { bucketName: name });
    const key = (listed.json.accessKeys as Record<string, unknown>[])[0];
    assert.deepEqual(key.lastUsed, { region: 'N/A', serviceName: 'N/A' });
    assert.ok(!('secretAccessKey' in key));
  });

  it('missing signature → MissingAuthenticationTokenException', async () => {
    assertRawError(await rawCall(server, 'GetBuckets', {}, { sign: false }), 'MissingAuthenticationTokenException');
  });

  it('malformed Authorization → IncompleteSignatureException', async () => {
    const url = new URL(server.endpoint);
    const res = await fetch(server.endpoint + '/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Lightsail_20161128.GetBuckets',
        'x-amz-date': '20261129T000000Z',
        authorization: `AWS4-HMAC-SHA256 Credential=${server.credentials.accessKeyId}/20261129/us-east-1/lightsail/aws4_request`,
        host: url.host,
      },
      body: '{}',
    });
    const text = await res.text();
    assertRawError(
      { status: res.status, headers: res.headers, text, json: JSON.parse(text) },
      'IncompleteSignatureException',
    );
  });

  it('unknown access key → UnrecognizedClientException; wrong secret → InvalidSignatureException', async () => {
    const unknown = lightsailClient(server, {
      credentials: { accessKeyId: 'AKIAUNKNOWNUNKNOWN22', secretAccessKey: 'x'.repeat(40) },
    });
    await expectError(unknown.send(new GetBucketsCommand({})), 'UnrecognizedClientException');
    const wrong = lightsailClient(server, {
      credentials: { accessKeyId: server.credentials.accessKeyId, secretAccessKey: 'y'.repeat(40) },
    });
    await expectError(wrong.send(new GetBucketsCommand({})), 'InvalidSignatureException');
    unknown.destroy();
    wrong.destroy();
  });

  it('clock skewed by more than 15 minutes → InvalidSignatureException "Signature expired"', async () => {
    const skewed = lightsailClient(server, { systemClockOffset: -20 * 60 * 1000 });
    // The SDK corrects its clock offset from the server's Date header after a skew error, so use one attempt.
    await expectError(skewed.send(new GetBucketsCommand({})), 'InvalidSignatureException', 'Signature expired');
    skewed.destroy();
    const r = await rawCall(server, 'GetBuckets', {}, { signingDate: new Date(Date.now() + 30 * 60 * 1000) });
    assertRawError(r, 'InvalidSignatureException');
    assert.match(r.json.message as string, /^Signature expired/);
  });

  it('a body that differs from the signed body → InvalidSignatureException', async () => {
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Sha256 } = await import('@aws-crypto/sha256-js');
    const url = new URL(server.endpoint);
    const headers: Record<string, string> = {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Lightsail_20161128.GetBuckets',
    };
    const signer = new SignatureV4({
      service: 'lightsail',
      region: 'us-east-1',
      credentials: server.credentials,
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers,
      body: '{}',
    });
    const h = { ...signed.headers } as Record<string, string>;
    delete h.host;
    const res = await fetch(server.endpoint + '/', { method: 'POST', headers: h, body: '{"bucketName":"tampered"}' });
    const text = await res.text();
    assertRawError(
      { status: res.status, headers: res.headers, text, json: JSON.parse(text) },
      'InvalidSignatureException',
    );
  });

  it('a bucket access key on the control plane → AccessDeniedException', async () => {
    const name = uniqueBucketName('deny');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    const { accessKey } = await ls.send(new CreateBucketAccessKeyCommand({ bucketName: name }));
    const keyClient = lightsailClient(server, {
      credentials: { accessKeyId: accessKey!.accessKeyId!, secretAccessKey: accessKey!.secretAccessKey! },
    });
    await expectError(keyClient.send(new GetBucketsCommand({})), 'AccessDeniedException', accessKey!.accessKeyId);
    await expectError(keyClient.send(new CreateBucketAccessKeyCommand({ bucketName: name })), 'AccessDeniedException');
    keyClient.destroy();
  });

  it('wrong content type → 415 UnsupportedMediaTypeException', async () => {
    assertRawError(
      await rawCall(server, 'GetBuckets', {}, { contentType: 'application/json' }),
      'UnsupportedMediaTypeException',
      415,
    );
  });

  it('unknown operation or wrong target prefix → UnknownOperationException', async () => {
    assertRawError(await rawCall(server, 'NoSuchOperation', {}), 'UnknownOperationException');
    assertRawError(
      await rawCall(server, 'GetBuckets', {}, { target: 'Lightsail_20161129.GetBuckets' }),
      'UnknownOperationException',
    );
    assertRawError(
      await rawCall(server, 'GetBuckets', {}, { target: 'lightsail_20161128.GetBuckets' }),
      'UnknownOperationException',
    );
    assertRawError(
      await rawCall(server, 'GetBuckets', {}, { target: 'SailbucketAdmin_20261129.GetBuckets' }),
      'UnknownOperationException',
    );
    assertRawError(
      await rawCall(server, 'x', {}, { target: 'Lightsail_20161128.UpdateBucketAccessKey' }),
      'UnknownOperationException',
    );
  });

  it('deeply nested JSON (the deepest a 128 KiB body holds) and many or huge unknown members: a bounded InvalidInputException', async () => {
    const levels = Math.floor((128 * 1024 - '{"bucketName":,"bundleId":"small_1_0"}'.length) / 2);
    const nested = '['.repeat(levels) + ']'.repeat(levels);
    let r = await rawCall(server, 'CreateBucket', undefined, {
      rawBody: `{"bucketName":${nested},"bundleId":"small_1_0"}`,
    });
    assertRawError(r, 'InvalidInputException');
    assert.match(r.json.message as string, /bucketName/);
    assert.ok(r.text.length < 1000, `${r.text.length} characters`);
    r = await rawCall(server, 'GetBuckets', undefined, { rawBody: `{"x":${nested}}` });
    assertRawError(r, 'InvalidInputException');
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`m${i}${'x'.repeat(10)}`, i]));
    r = await rawCall(server, 'GetBuckets', { ...many, ['k'.repeat(30_000)]: 1 });
    assertRawError(r, 'InvalidInputException');
    assert.ok(r.text.length < 4000, `${r.text.length} characters`);
    assert.match(r.json.message as string, /and 991 more validation errors/);
  });

  it('bad JSON, non-object JSON, unknown and wrongly typed members → InvalidInputException naming the problem', async () => {
    let r = await rawCall(server, 'GetBuckets', undefined, { rawBody: '{"bucketName": ' });
    assertRawError(r, 'InvalidInputException');
    assert.match(r.json.message as string, /JSON/);
    r = await rawCall(server, 'GetBuckets', undefined, { rawBody: '[1,2]' });
    assertRawError(r, 'InvalidInputException');
    r = await rawCall(server, 'GetBuckets', { bogusMember: 1 });
    assertRawError(r, 'InvalidInputException');
    assert.match(r.json.message as string, /bogusMember/);
    r = await rawCall(server, 'CreateBucket', { bucketName: 42, bundleId: 'small_1_0' });
    assertRawError(r, 'InvalidInputException');
    assert.match(r.json.message as string, /bucketName/);
  });

  it('a body over the limit is refused with a clear message', async () => {
    const big = JSON.stringify({ bucketName: 'x'.repeat(1024 * 1024 + 10) });
    const r = await rawCall(server, 'GetBuckets', undefined, { rawBody: big });
    assertRawError(r, 'InvalidInputException');
    assert.match(r.json.message as string, /limit/);
  });

  it('Expect: 100-continue gets 100 Continue, then the answer', async () => {
    const { request } = await import('node:http');
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Sha256 } = await import('@aws-crypto/sha256-js');
    const url = new URL(server.endpoint);
    const body = '{}';
    const headers: Record<string, string> = {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Lightsail_20161128.GetBucketBundles',
      'content-length': String(body.length),
      expect: '100-continue',
    };
    const signer = new SignatureV4({
      service: 'lightsail',
      region: 'us-east-1',
      credentials: server.credentials,
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers,
      body,
    });
    const result = await new Promise<{ continued: boolean; status: number; text: string }>((resolve, reject) => {
      let continued = false;
      const req = request(
        { host: url.hostname, port: Number(url.port), method: 'POST', path: '/', headers: signed.headers },
        (res) => {
          let text = '';
          res
            .setEncoding('utf8')
            .on('data', (d: string) => {
              text += d;
            })
            .on('end', () => resolve({ continued, status: res.statusCode!, text }));
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error('timed out waiting for 100 Continue')));
      req.on('continue', () => {
        if (!continued) req.end(body);
        continued = true;
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    assert.equal(result.continued, true);
    assert.equal(result.status, 200, result.text);
    assert.equal((JSON.parse(result.text).bundles as unknown[]).length, 3);
  });

  it('the region comes from the credential scope: regions are separate, unknown regions refused', async () => {
    const name = uniqueBucketName('region');
    assert.equal((await rawCall(server, 'CreateBucket', { bucketName: name, bundleId: 'small_1_0' })).status, 200);
    const eu = await rawCall(server, 'GetBuckets', { bucketName: name }, { region: 'eu-west-1' });
    assertRawError(eu, 'NotFoundException');
    assert.match(eu.json.message as string, /eu-west-1/);
    const euList = await rawCall(server, 'GetBuckets', {}, { region: 'eu-west-1' });
    assert.ok(!(euList.json.buckets as { name: string }[]).some((b) => b.name === name));
    const bad = await rawCall(server, 'GetBuckets', {}, { region: 'xx-nowhere-1' });
    assertRawError(bad, 'InvalidSignatureException');
    assert.match(bad.json.message as string, /xx-nowhere-1/);
  });

  it('GET / with a target is refused', async () => {
    const r = await rawCall(server, 'GetBuckets', {}, { method: 'GET' });
    assertRawError(r, 'UnknownOperationException');
  });
});
