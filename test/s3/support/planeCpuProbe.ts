/**
 * CPU per request of the S3 plane itself, without sockets (not a test; no thresholds):
 *   npx tsc -p . && node dist/test/s3/support/planeCpuProbe.js [case-substring ...]
 * Calls the in-process plane with an in-memory request/response for a signed GetBucketLocation
 * (router + SigV4 + bucket lookup + authorization + XML), a signed 4 KiB GetObject (adds the object
 * lookup and the blob read), a signed HeadObject of it, and a 1000-key ListObjectsV2 page, and
 * prints µs of CPU per call. Arguments pick cases by name (e.g. `Head List`); none: every case.
 */
import { Readable, Writable } from 'node:stream';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { silentLogger } from '../../../src/log.js';
import { startInProcessS3, type InProcessS3 } from './inProcessS3.js';
import { sendAs } from './s3Requests.js';

class MemoryResponse extends Writable {
  statusCode = 200;
  headersSent = false;
  private readonly headers: Record<string, unknown> = {};
  setHeader(name: string, value: unknown): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  getHeader(name: string): unknown {
    return this.headers[name.toLowerCase()];
  }
  removeHeader(name: string): void {
    delete this.headers[name.toLowerCase()];
  }
  writeContinue(): void {
    /* nothing to continue */
  }
  override _write(_chunk: unknown, _enc: string, cb: () => void): void {
    this.headersSent = true;
    cb();
  }
  override end(...args: unknown[]): this {
    this.headersSent = true;
    return super.end(...(args as []));
  }
}

const wanted = process.argv.slice(2).map((a) => a.toLowerCase());
const picked = (name: string): boolean => wanted.length === 0 || wanted.some((w) => name.toLowerCase().includes(w));

async function probe(
  s3: InProcessS3,
  name: string,
  count: number,
  url: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<void> {
  if (!picked(name)) return;
  const log = silentLogger();
  const once = async () => {
    const req = Object.assign(Readable.from([]), { method, url, headers, complete: true });
    const res = new MemoryResponse();
    await s3.plane(req as never, res as never, { requestId: '0123456789ABCDEF', log, startedAt: 0n, facts: {} });
    if (!res.writableFinished) await new Promise((resolve) => res.on('finish', resolve));
    if (res.statusCode >= 300) throw new Error(`${name}: status ${res.statusCode}`);
  };
  for (let i = 0; i < Math.min(count, 300); i++) await once();
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await once();
  const used = process.cpuUsage(before);
  console.log(`${name}: ${((used.user + used.system) / count).toFixed(1)} µs CPU per request (${count} requests)`);
}

const s3 = await startInProcessS3({ fsync: false });
try {
  await s3.createBucket('probe');
  const key = await s3.createKey('probe');
  const put = (path: string, body: string) =>
    sendAs(s3.endpoint, { kind: 'header', creds: key }, { method: 'PUT', path, body });
  await put('/probe/obj4k', 'x'.repeat(4096));
  if (picked('ListObjectsV2 1000 keys'))
    for (let i = 0; i < 1000; i++) await put(`/probe/list/k${String(i).padStart(5, '0')}`, 'y');
  const u = new URL(s3.endpoint);
  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials: key,
    sha256: Sha256,
    uriEscapePath: false,
  });
  const sign = async (path: string, query: Record<string, string>, method = 'GET') =>
    (
      await signer.sign({
        method,
        protocol: 'http:',
        hostname: u.hostname,
        port: Number(u.port),
        path,
        query,
        headers: { host: u.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      })
    ).headers as Record<string, string>;
  await probe(s3, 'GetBucketLocation', 5000, '/probe?location', await sign('/probe', { location: '' }));
  await probe(
    s3,
    'GetObject 4 KiB',
    Number(process.env.PROBE_N ?? 5000),
    '/probe/obj4k',
    await sign('/probe/obj4k', {}),
  );
  await probe(s3, 'HeadObject 4 KiB', 5000, '/probe/obj4k', await sign('/probe/obj4k', {}, 'HEAD'), 'HEAD');
  await probe(
    s3,
    'ListObjectsV2 1000 keys',
    100,
    '/probe?list-type=2&prefix=list%2F',
    await sign('/probe', { 'list-type': '2', prefix: 'list/' }),
  );
} finally {
  await s3.close();
}
