import { DomainError } from '../../src/domain/errors.js';
import { fromDomainError } from '../../src/s3/errors.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MultipartService } from '../../src/domain/multipart/multipart.js';
import { ObjectService } from '../../src/domain/objects/objects.js';
import type { ObjectBucket } from '../../src/domain/objects/blobFreeing.js';
import type { BucketRecord } from '../../src/domain/ports/records.js';
import { FsBlobStore } from '../../src/store/blob/fs/FsBlobStore.js';
import type { MetadataStore } from '../../src/domain/ports/MetadataStore.js';
import { SqliteMetadataStore } from '../../src/store/metadata/sqlite/SqliteMetadataStore.js';
import { openDomainTestStore } from './testStore.js';

/** Services over a real FsBlobStore (temp dir) and an in-memory SQLite store, with a settable clock. */
export interface ObjectsFixture {
  root: string;
  /** The metadata database file, or ':memory:'. */
  metaPath: string;
  blobs: FsBlobStore;
  store: MetadataStore;
  objects: ObjectService;
  multipart: MultipartService;
  now: { ms: number };
  bucket: ObjectBucket;
  blobIds(): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** `metaFile`: keep the metadata in a file (`metaPath`, with its read connection) instead of memory. */
export async function objectsFixture(
  versioning: ObjectBucket['objectVersioning'] = 'NeverEnabled',
  metaFile = false,
): Promise<ObjectsFixture> {
  const root = await mkdtemp(join(tmpdir(), 'sb-objects-'));
  const blobs = new FsBlobStore({ root });
  const metaDir = metaFile ? await mkdtemp(join(tmpdir(), 'sb-objects-meta-')) : undefined;
  const metaPath = metaDir ? join(metaDir, 'meta.db') : ':memory:';
  // A metadata file is for tests that look inside SQLite; otherwise the suite's backend (testStore.ts).
  const store = metaFile ? new SqliteMetadataStore({ path: metaPath }) : await openDomainTestStore(metaPath);
  const now = { ms: 1_750_000_000_000 };
  const deps = { store, blobs, clock: () => now.ms };
  const bucket = testBucket('bucket-1', versioning);
  await store.transaction((tx) => tx.control.insertBucket(bucket));
  return {
    root,
    metaPath,
    blobs,
    store,
    now,
    bucket: { id: bucket.id, objectVersioning: versioning },
    objects: new ObjectService(deps),
    multipart: new MultipartService(deps),
    async blobIds() {
      const ids: string[] = [];
      for await (const b of blobs.list()) ids.push(b.blobId);
      return ids.sort();
    },
    async cleanup() {
      await store.close();
      await blobs.close();
      await rm(root, { recursive: true, force: true });
      if (metaDir) await rm(metaDir, { recursive: true, force: true });
    },
  };
}

export const body = (s: string | Buffer): Readable => Readable.from([typeof s === 'string' ? Buffer.from(s) : s]);

export async function text(r: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function bytes(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/**
 * Asserts a DomainError that the S3 plane answers with this error code (the domain's own reasons are
 * protocol-free; src/s3/errors.ts maps them). Returns a predicate for assert.rejects.
 */
export const reason =
  (code: string) =>
  (e: unknown): boolean => {
    if (!(e instanceof DomainError)) throw new Error(`expected a DomainError (${code}), got: ${String(e)}`);
    const got = fromDomainError(e).code;
    if (got !== code) throw new Error(`expected ${code}, got ${got} (reason ${e.details.reason}): ${e.message}`);
    return true;
  };

export function testBucket(id: string, versioning: BucketRecord['objectVersioning'] = 'NeverEnabled'): BucketRecord {
  return {
    id,
    accountId: '123456789012',
    region: 'us-east-1',
    name: `name-${id}`,
    bundleId: 'small_1_0',
    createdAt: 1,
    objectVersioning: versioning,
    accessRules: { getObject: 'private', allowPublicOverrides: false },
    readonlyAccessAccounts: [],
    accessLogConfig: { enabled: false },
    cors: [],
    lifecycle: [],
    bundleChangedAt: null,
    tags: [],
  };
}
