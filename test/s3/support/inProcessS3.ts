/**
 * The S3 plane composed in-process (real SQLite store, FS blob store, domain services, SigV4)
 * behind a bare node:http server on 127.0.0.1:0 — for pipeline tests and CPU measurements
 * that must not depend on the full server. Buckets and keys are made through the domain services.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMetadataStore } from '../../../src/store/metadata/sqlite/SqliteMetadataStore.js';
import { FsBlobStore } from '../../../src/store/blob/fs/FsBlobStore.js';
import { SecretBox } from '../../../src/crypto/secretBox.js';
import { BucketService } from '../../../src/domain/buckets/buckets.js';
import { AccessKeyService } from '../../../src/domain/keys/accessKeys.js';
import { ObjectService } from '../../../src/domain/objects/objects.js';
import { LifecycleRunner } from '../../../src/domain/lifecycle/runner.js';
import { MultipartService } from '../../../src/domain/multipart/multipart.js';
import { createCredentialResolver } from '../../../src/domain/keys/credentials.js';
import { SigningKeyCache } from '../../../src/sigv4/signingKey.js';
import { createS3Plane, s3Handlers } from '../../../src/s3/index.js';
import { createLogger, silentLogger } from '../../../src/log.js';
import type { Creds } from './s3Requests.js';
import type { PlaneHandler } from '../../../src/http/types.js';

export interface InProcessS3 {
  endpoint: string;
  root: Creds;
  accountId: string;
  buckets: BucketService;
  accessKeys: AccessKeyService;
  /** The S3 plane itself, for calls without a socket (CPU measurements). */
  plane: PlaneHandler;
  /** Keys touched through lastUsed.touch, in order. */
  touched: string[];
  createBucket(name: string): Promise<void>;
  createKey(bucket: string): Promise<Creds>;
  close(): Promise<void>;
}

export async function startInProcessS3(opts: { fsync?: boolean } = {}): Promise<InProcessS3> {
  const dir = mkdtempSync(join(tmpdir(), 'sailbucket-s3-inproc-'));
  const region = 'us-east-1';
  const accountId = '123456789012';
  const root: Creds = {
    accessKeyId: 'SBROOT' + randomBytes(7).toString('hex').toUpperCase(),
    secretAccessKey: randomBytes(30).toString('base64'),
  };
  const store = new SqliteMetadataStore({ path: join(dir, 'metadata.db') });
  const blobs = new FsBlobStore({ root: join(dir, 'blobs'), fsync: opts.fsync ?? true });
  const clock = () => Date.now();
  const secretBox = new SecretBox(randomBytes(32));
  const resolver = createCredentialResolver({
    store,
    secretBox,
    root: { accountId, rootAccessKeyId: root.accessKeyId, rootSecretAccessKey: root.secretAccessKey },
    clock,
  });
  const buckets = new BucketService({ store, clock, blobs, credentials: resolver });
  const accessKeys = new AccessKeyService({ store, secretBox, clock, credentials: resolver });
  const touched: string[] = [];
  const plane = createS3Plane({
    baseDomains: ['localhost'],
    region,
    credentials: resolver,
    lastUsed: {
      touch: (id) => {
        touched.push(id);
      },
    },
    services: {
      buckets,
      objects: new ObjectService({ store, blobs, clock }),
      multipart: new MultipartService({ store, blobs, clock }),
      // Not started: it answers x-amz-expiration from the buckets' rules.
      lifecycle: new LifecycleRunner({
        store,
        objects: { store, blobs, clock },
        log: silentLogger(),
        clock,
        intervalMs: 60_000,
      }),
      clock,
    },
    handlers: s3Handlers(),
    clock,
    keyCache: new SigningKeyCache(),
  });
  const log = process.env.SAILBUCKET_TEST_LOG ? createLogger(process.stderr, 'debug') : silentLogger();
  let n = 0;
  const handle: Parameters<typeof createServer>[1] = (req, res) => {
    const requestId = (++n).toString(16).toUpperCase().padStart(16, '0');
    plane(req, res, { requestId, log, startedAt: process.hrtime.bigint(), facts: {} }).catch(() => {
      res.destroy();
    });
  };
  const server: Server = createServer(handle);
  server.on('checkContinue', handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const caller = { accountId, region };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    root,
    accountId,
    buckets,
    accessKeys,
    touched,
    plane,
    async createBucket(name) {
      await buckets.create(caller, { bucketName: name, bundleId: 'small_1_0' });
    },
    async createKey(bucket) {
      const k = await accessKeys.create(caller, bucket);
      return { accessKeyId: k.accessKey.accessKeyId, secretAccessKey: k.secretAccessKey };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      await blobs.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
