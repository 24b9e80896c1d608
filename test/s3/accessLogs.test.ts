/**
 * S3 server access logs end to end: logging turned on with the Lightsail SDK's UpdateBucket
 * (accessLogConfig), requests made with the S3 SDK (signed, wrong secret, presigned) and fetch
 * (anonymous), log objects listed and read back with the S3 SDK and every line parsed with the
 * documented format. Also: records survive a kill -9 once spooled and are delivered at a graceful
 * stop; a deleted destination drops its records with a warning and the server keeps serving.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketAccessKeyCommand,
  CreateBucketCommand,
  LightsailClient,
  DeleteBucketCommand,
  UpdateBucketCommand,
} from '@aws-sdk/client-lightsail';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { makeCertificate } from '../helpers/tls.js';
import { lightsailClient, REGION } from '../control/support.js';

/** The documented format: 26 space-separated fields, three of them quoted. */
const LINE =
  /^(\S+) (\S+) \[(\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000)\] (\S+) (\S+) (\S+) (\S+) (\S+) "((?:[^"\\]|\\.)*)" (\d{3}) (\S+) (\S+) (\S+) (\d+) (\S+) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)" (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)$/;

interface LogRecord {
  bucketOwner: string;
  bucket: string;
  time: string;
  remoteIp: string;
  requester: string;
  requestId: string;
  operation: string;
  key: string;
  requestUri: string;
  status: number;
  errorCode: string;
  bytesSent: string;
  objectSize: string;
  totalTime: number;
  turnAround: string;
  referer: string;
  userAgent: string;
  versionId: string;
  hostId: string;
  signatureVersion: string;
  cipherSuite: string;
  authType: string;
  hostHeader: string;
  tlsVersion: string;
  accessPointArn: string;
  aclRequired: string;
}

function parse(line: string): LogRecord {
  const m = LINE.exec(line);
  assert.ok(m, `not a server access-log line: ${line}`);
  const f = m.slice(1);
  return {
    bucketOwner: f[0],
    bucket: f[1],
    time: f[2],
    remoteIp: f[3],
    requester: f[4],
    requestId: f[5],
    operation: f[6],
    key: f[7],
    requestUri: f[8],
    status: Number(f[9]),
    errorCode: f[10],
    bytesSent: f[11],
    objectSize: f[12],
    totalTime: Number(f[13]),
    turnAround: f[14],
    referer: f[15],
    userAgent: f[16],
    versionId: f[17],
    hostId: f[18],
    signatureVersion: f[19],
    cipherSuite: f[20],
    authType: f[21],
    hostHeader: f[22],
    tlsVersion: f[23],
    accessPointArn: f[24],
    aclRequired: f[25],
  };
}

const s3For = (server: TestServer, credentials = server.credentials) =>
  new S3Client({ endpoint: server.endpoint, region: REGION, forcePathStyle: true, maxAttempts: 1, credentials });

/** Every log line delivered under `prefix` in `bucket`, with the log objects' names. */
async function deliveredLines(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ keys: string[]; lines: string[] }> {
  const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const keys = (list.Contents ?? []).map((o) => o.Key!);
  const lines: string[] = [];
  for (const key of keys) {
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
    assert.ok(body.endsWith('\n'), `log object ${key} ends with a line feed`);
    lines.push(...body.slice(0, -1).split('\n'));
  }
  return { keys, lines };
}

/** Polls until `enough(lines)` (bounded: 20 s). */
async function waitForLines(
  s3: S3Client,
  bucket: string,
  prefix: string,
  enough: (records: LogRecord[]) => boolean,
): Promise<{ keys: string[]; records: LogRecord[] }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { keys, lines } = await deliveredLines(s3, bucket, prefix);
    const records = lines.map(parse);
    if (enough(records)) return { keys, records };
    if (Date.now() > deadline)
      assert.fail(`log lines not delivered within 20 s; have ${lines.length}:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function enableLogging(ls: LightsailClient, source: string, destination: string, prefix?: string) {
  await ls.send(new CreateBucketCommand({ bucketName: source, bundleId: 'small_1_0' }));
  await ls.send(new CreateBucketCommand({ bucketName: destination, bundleId: 'small_1_0' }));
  await ls.send(
    new UpdateBucketCommand({
      bucketName: source,
      accessLogConfig: { enabled: true, destination, ...(prefix !== undefined ? { prefix } : {}) },
    }),
  );
}

describe('S3 server access logs', () => {
  let server: TestServer;
  let ls: LightsailClient;
  let s3: S3Client;
  before(async () => {
    server = await startServer({ args: ['--access-log-interval', '1'] });
    ls = lightsailClient(server);
    s3 = s3For(server);
  });
  after(async () => {
    ls?.destroy();
    s3?.destroy();
    await server?.stop();
  });

  it('one record per request in the documented format: signed, denied, anonymous and presigned', async () => {
    const source = uniqueBucketName('logsrc');
    const dest = uniqueBucketName('logdst');
    await enableLogging(ls, source, dest, 'logs/');
    const body = 'hello access log';
    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'dir/a b.txt', Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: source, Key: 'dir/a b.txt' }));
    assert.equal(await got.Body!.transformToString(), body);
    await s3.send(new HeadObjectCommand({ Bucket: source, Key: 'dir/a b.txt' }));
    await s3.send(new ListObjectsV2Command({ Bucket: source }));
    const wrong = s3For(server, { accessKeyId: server.credentials.accessKeyId, secretAccessKey: 'not-the-secret' });
    try {
      await assert.rejects(wrong.send(new GetObjectCommand({ Bucket: source, Key: 'dir/a b.txt' })), {
        name: 'SignatureDoesNotMatch',
      });
    } finally {
      wrong.destroy();
    }
    const anonymous = await fetch(`${server.endpoint}/${source}/anon.txt`, {
      headers: { 'user-agent': 'anon "agent" 1.0', referer: 'https://example.test/page' },
    });
    assert.equal(anonymous.status, 403);
    await anonymous.arrayBuffer();
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: source, Key: 'dir/a b.txt' }), {
      expiresIn: 300,
    });
    const signature = new URL(url).searchParams.get('X-Amz-Signature')!;
    const credential = new URL(url).searchParams.get('X-Amz-Credential')!;
    const presigned = await fetch(url);
    assert.equal(await presigned.text(), body);
    // Control-plane requests are never in an S3 access log.
    await ls.send(new UpdateBucketCommand({ bucketName: source, versioning: 'Enabled' }));

    const { keys, records } = await waitForLines(s3, dest, 'logs/', (r) => r.length >= 7);
    assert.equal(records.length, 7, 'one record per S3 request, none for the control plane');
    for (const key of keys) assert.match(key, /^logs\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$/);
    const raw = (await deliveredLines(s3, dest, 'logs/')).lines.join('\n');
    assert.ok(!raw.includes(signature), 'the presigned URL signature is not logged');
    assert.ok(!raw.includes(encodeURIComponent(credential)) && !raw.includes(credential), 'nor its credential');

    const one = (what: string, match: (r: LogRecord) => boolean): LogRecord => {
      const found = records.filter(match);
      assert.equal(found.length, 1, `one record of ${what}`);
      return found[0];
    };
    const put = one('the PUT', (r) => r.operation === 'REST.PUT.OBJECT');
    const get = one(
      'the GET',
      (r) => r.operation === 'REST.GET.OBJECT' && r.authType === 'AuthHeader' && r.status === 200,
    );
    const head = one('the HEAD', (r) => r.operation === 'REST.HEAD.OBJECT');
    const list = one('the listing', (r) => r.operation === 'REST.GET.BUCKET');
    const denied = one('the wrong secret', (r) => r.errorCode === 'SignatureDoesNotMatch');
    const anon = one('the anonymous GET', (r) => r.signatureVersion === '-');
    const pre = one('the presigned GET', (r) => r.authType === 'QueryString');
    const owner = put.bucketOwner;
    assert.match(owner, /^[0-9a-f]{64}$/);
    for (const r of records) {
      assert.equal(r.bucketOwner, owner);
      assert.equal(r.bucket, source);
      assert.equal(r.remoteIp, '127.0.0.1');
      assert.match(r.requestId, /^[0-9A-F]{16}$/);
      assert.ok(r.totalTime >= 0);
      assert.equal(r.cipherSuite, '-');
      assert.equal(r.tlsVersion, '-');
      assert.equal(r.hostHeader, new URL(server.endpoint).host);
      assert.equal(r.accessPointArn, '-');
      assert.equal(r.aclRequired, '-');
      assert.notEqual(r.hostId, '-');
    }
    // The requester of a root-signed request is the account's canonical id, as ListBuckets' Owner ID.
    assert.equal(put.requester, owner);
    assert.deepEqual(
      [put.operation, put.key, put.status, put.errorCode, put.objectSize, put.signatureVersion, put.authType],
      ['REST.PUT.OBJECT', 'dir/a%20b.txt', 200, '-', String(body.length), 'SigV4', 'AuthHeader'],
    );
    assert.match(put.requestUri, /^PUT \/[a-z0-9-]+\/dir\/a%20b\.txt(\?\S*)? HTTP\/1\.1$/);
    assert.deepEqual(
      [get.operation, get.status, get.bytesSent, get.objectSize, get.requester],
      ['REST.GET.OBJECT', 200, String(body.length), String(body.length), owner],
    );
    assert.match(get.turnAround, /^\d+$/);
    assert.deepEqual([head.operation, head.status, head.bytesSent], ['REST.HEAD.OBJECT', 200, '-']);
    assert.deepEqual([list.operation, list.key, list.status], ['REST.GET.BUCKET', '-', 200]);
    assert.match(list.requestUri, /^GET \/[a-z0-9-]+\/?\?list-type=2\S* HTTP\/1\.1$/);
    assert.deepEqual(
      [denied.operation, denied.status, denied.errorCode, denied.requester, denied.signatureVersion, denied.authType],
      ['REST.GET.OBJECT', 403, 'SignatureDoesNotMatch', '-', 'SigV4', 'AuthHeader'],
    );
    assert.deepEqual(
      [anon.operation, anon.key, anon.status, anon.errorCode, anon.requester, anon.signatureVersion, anon.authType],
      ['REST.GET.OBJECT', 'anon.txt', 403, 'AccessDenied', '-', '-', '-'],
    );
    assert.equal(anon.userAgent, 'anon \\"agent\\" 1.0');
    assert.equal(anon.referer, 'https://example.test/page');
    assert.deepEqual(
      [pre.operation, pre.status, pre.requester, pre.signatureVersion, pre.authType],
      ['REST.GET.OBJECT', 200, owner, 'SigV4', 'QueryString'],
    );
    assert.match(pre.requestUri, /X-Amz-Algorithm=AWS4-HMAC-SHA256/);
    assert.doesNotMatch(pre.requestUri, /X-Amz-Signature|X-Amz-Credential/i);
  });

  it('a deleted destination drops its records with a warning; the server keeps serving', async () => {
    const source = uniqueBucketName('logsrc');
    const dest = uniqueBucketName('logdst');
    await enableLogging(ls, source, dest);
    const from = server.stderr().length;
    await ls.send(new DeleteBucketCommand({ bucketName: dest, forceDelete: true }));
    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'k', Body: 'x' }));
    const line = await server.waitForStderrLine(
      (l) => l.includes('access-log destination bucket missing: records dropped') && l.includes(dest),
      from,
      15_000,
    );
    assert.match(line, /"records":1/);
    const again = await s3.send(new GetObjectCommand({ Bucket: source, Key: 'k' }));
    assert.equal(await again.Body!.transformToString(), 'x');
  });
});

describe('S3 server access logs across restarts', () => {
  let server: TestServer;
  before(async () => {
    // Deliveries only at a graceful stop: an hour between them.
    server = await startServer({ args: ['--access-log-interval', '3600'] });
  });
  after(async () => {
    await server?.stop();
  });

  it('spooled records survive kill -9 and are delivered by the next graceful stop', async () => {
    let ls = lightsailClient(server);
    let s3 = s3For(server);
    const source = uniqueBucketName('logsrc');
    const dest = uniqueBucketName('logdst');
    try {
      await enableLogging(ls, source, dest, 'p-');
      await s3.send(new PutObjectCommand({ Bucket: source, Key: 'before-crash', Body: 'x' }));
      // Appended to the spool within a second; then the process dies without a chance to deliver.
      await new Promise((r) => setTimeout(r, 2_500));
    } finally {
      ls.destroy();
      s3.destroy();
    }
    await server.kill9();
    await server.restart();
    s3 = s3For(server);
    try {
      assert.equal((await deliveredLines(s3, dest, 'p-')).lines.length, 0, 'nothing delivered before the interval');
      await s3.send(new GetObjectCommand({ Bucket: source, Key: 'before-crash' }));
    } finally {
      s3.destroy();
    }
    // A graceful stop appends what is held and delivers the spool.
    await server.restart();
    ls = lightsailClient(server);
    s3 = s3For(server);
    try {
      const { records } = await waitForLines(s3, dest, 'p-', (r) => r.length >= 2);
      assert.deepEqual(
        records.map((r) => `${r.operation} ${r.key} ${r.status}`),
        ['REST.PUT.OBJECT before-crash 200', 'REST.GET.OBJECT before-crash 200'],
      );
    } finally {
      ls.destroy();
      s3.destroy();
    }
  });
});

describe('S3 server access logs over TLS', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-accesslog-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    makeCertificate('localhost', cert, key);
    server = await startServer({ args: ['--access-log-interval', '1', '--tls-cert', cert, '--tls-key', key] });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the cipher suite and TLS version; a bucket key request names the bucket account as requester', async () => {
    const requestHandler = { httpsAgent: new Agent({ ca: readFileSync(join(dir, 'cert.pem')) }) };
    const ls = new LightsailClient({
      endpoint: server.endpoint,
      region: REGION,
      credentials: server.credentials,
      requestHandler,
      maxAttempts: 1,
    });
    const source = uniqueBucketName('logsrc');
    const dest = uniqueBucketName('logdst');
    let s3: S3Client | undefined;
    let reader: S3Client | undefined;
    try {
      await enableLogging(ls, source, dest, 'tls/');
      const bucketKey = (await ls.send(new CreateBucketAccessKeyCommand({ bucketName: source }))).accessKey!;
      s3 = new S3Client({
        endpoint: server.endpoint,
        region: REGION,
        forcePathStyle: true,
        maxAttempts: 1,
        requestHandler,
        credentials: { accessKeyId: bucketKey.accessKeyId!, secretAccessKey: bucketKey.secretAccessKey! },
      });
      await s3.send(new PutObjectCommand({ Bucket: source, Key: 'secure', Body: 'over tls' }));
      reader = new S3Client({
        endpoint: server.endpoint,
        region: REGION,
        forcePathStyle: true,
        maxAttempts: 1,
        requestHandler,
        credentials: server.credentials,
      });
      const { records } = await waitForLines(reader, dest, 'tls/', (r) => r.length >= 1);
      assert.equal(records.length, 1);
      const [put] = records;
      assert.equal(put.operation, 'REST.PUT.OBJECT');
      assert.equal(put.status, 200);
      assert.match(put.cipherSuite, /^[A-Z0-9_-]{8,}$/);
      assert.match(put.tlsVersion, /^TLSv1\.[23]$/);
      assert.equal(put.requester, put.bucketOwner, "a bucket key acts for its bucket's account");
      assert.equal(put.signatureVersion, 'SigV4');
    } finally {
      ls.destroy();
      s3?.destroy();
      reader?.destroy();
    }
  });
});
