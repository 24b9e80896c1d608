/** A real store (SQLite in a temp dir, or PostgreSQL: testStore.ts) with every control-plane service wired to it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/crypto/secretBox.js';
import { newOpaqueId } from '../../src/crypto/ids.js';
import { openDomainTestStore } from './testStore.js';
import type { MetadataStore } from '../../src/domain/ports/MetadataStore.js';
import { BucketService } from '../../src/domain/buckets/buckets.js';
import { AccessKeyService } from '../../src/domain/keys/accessKeys.js';
import { OperationService } from '../../src/domain/operationRecords/operationService.js';
import { createCredentialResolver, type CachingCredentialResolver } from '../../src/domain/keys/credentials.js';
import type { CallerContext } from '../../src/domain/caller.js';
import type { ObjectRecord } from '../../src/domain/ports/objectRecords.js';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const caller: CallerContext = { accountId: ACCOUNT, region: 'us-east-1' };
export const ROOT = {
  accountId: ACCOUNT,
  rootAccessKeyId: 'AKIAROOTROOTROOTROOT',
  rootSecretAccessKey: 'r'.repeat(40),
};

export interface Fixture {
  store: MetadataStore;
  secretBox: SecretBox;
  /** The services' clock; tests move it. */
  time: { now: number };
  clock: () => number;
  freedBlobs: string[];
  buckets: BucketService;
  keys: AccessKeyService;
  operations: OperationService;
  credentials: CachingCredentialResolver;
  close(): Promise<void>;
}

export async function withFixture(
  fn: (f: Fixture) => Promise<void>,
  opts: { bucketPageSize?: number; operationPageSize?: number } = {},
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-domain-'));
  const store = await openDomainTestStore(join(dir, 'meta.db'), 'NORMAL');
  const secretBox = new SecretBox(randomBytes(32));
  const time = { now: Date.UTC(2026, 10, 15, 12, 0, 0) };
  const clock = () => time.now;
  const freedBlobs: string[] = [];
  const credentials = createCredentialResolver({ store, secretBox, root: ROOT, clock });
  const f: Fixture = {
    store,
    secretBox,
    time,
    clock,
    freedBlobs,
    credentials,
    buckets: new BucketService({
      store,
      clock,
      credentials,
      pageSize: opts.bucketPageSize,
      blobs: {
        delete: async (ids) => {
          freedBlobs.push(...ids);
        },
      },
    }),
    keys: new AccessKeyService({ store, secretBox, clock, credentials }),
    operations: new OperationService({ store, pageSize: opts.operationPageSize }),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await fn(f);
  } finally {
    await f.close();
  }
}

/** Puts an object row (as the S3 data plane would) that owns one blob; returns the blob id. */
export async function putObject(
  store: MetadataStore,
  bucketId: string,
  key: string,
  size: number,
  versionId = 'null',
): Promise<string> {
  const blobId = newOpaqueId();
  const obj: ObjectRecord = {
    bucketId,
    key,
    versionId,
    isLatest: true,
    isDeleteMarker: false,
    size,
    etag: 'd41d8cd98f00b204e9800998ecf8427e',
    lastModified: 0,
    content: {},
    userMetadata: {},
    storageClass: 'STANDARD',
    acl: 'private',
    tags: [],
    partsCount: 0,
    segments: [{ blobId, offset: 0, length: size, partNumber: 0 }],
  };
  await store.transaction((tx) => tx.objects.putObject(obj));
  return blobId;
}

/** Asserts a promise rejects with a DomainError of `code` whose message matches `message`. */
export function domainError(code: string, message: RegExp | string) {
  return (e: unknown) => {
    const err = e as { name?: string; code?: string; message?: string };
    if (err?.name !== 'DomainError' || err.code !== code)
      throw new Error(`expected DomainError ${code}, got ${String(e)}`);
    const ok = typeof message === 'string' ? err.message === message : message.test(err.message ?? '');
    if (!ok) throw new Error(`message '${err.message}' does not match ${String(message)}`);
    return true;
  };
}
