/**
 * The one place that picks storage backends. The composition root (app.ts) describes where
 * metadata and blobs live, and this factory opens the matching implementations; nothing else
 * constructs a store. Adding a backend (PostgreSQL next) means a new `kind` here (tsc then demands a
 * case in each switch and in test/store/contracts.test.ts, so the contract suites run against it).
 */
import { join } from 'node:path';
import type { BlobStore } from '../domain/ports/BlobStore.js';
import type { MetadataStore } from '../domain/ports/MetadataStore.js';
import { FsBlobStore, type BlobObserver } from './blob/fs/FsBlobStore.js';
import { SqliteMetadataStore, type CommitObserver } from './metadata/sqlite/SqliteMetadataStore.js';

/** Where the metadata lives. */
export type MetadataBackend = {
  kind: 'sqlite';
  /** The database file, or ':memory:'. */
  path: string;
  /** 'FULL' (default): each transaction is on disk before it resolves; 'NORMAL' only for tests. */
  synchronous?: 'FULL' | 'NORMAL';
};

/** Where object bytes live. */
export type BlobBackend = { kind: 'fs'; root: string };

/** Every metadata backend kind this build can open (the contract suites run against each). */
export const METADATA_BACKEND_KINDS: readonly MetadataBackend['kind'][] = ['sqlite'];
/** Every blob backend kind this build can open. */
export const BLOB_BACKEND_KINDS: readonly BlobBackend['kind'][] = ['fs'];

/** The embedded deployment: everything in one data directory. */
export function dataDirBackends(dataDir: string): { metadata: MetadataBackend; blobs: BlobBackend } {
  return {
    metadata: { kind: 'sqlite', path: join(dataDir, 'metadata.db') },
    blobs: { kind: 'fs', root: join(dataDir, 'blobs') },
  };
}

/** What the stores report to the disk-space reserve (src/store/diskReserve.ts), when there is one. */
export interface StorageHooks {
  reserve?: { checkWritable(): void; noteError(err: unknown): void };
  /** The server's metrics: metadata commit batches and WAL fsyncs. */
  commits?: CommitObserver;
  /** The server's metrics: blobs written and deleted. */
  blobs?: BlobObserver;
}

export function openMetadataStore(b: MetadataBackend, hooks: StorageHooks = {}): MetadataStore {
  const { reserve } = hooks;
  switch (b.kind) {
    case 'sqlite':
      return new SqliteMetadataStore({
        path: b.path,
        ...(b.synchronous ? { synchronous: b.synchronous } : {}),
        ...(reserve ? { onWriteError: (err: unknown) => reserve.noteError(err) } : {}),
        ...(hooks.commits ? { observer: hooks.commits } : {}),
      });
  }
}

export function openBlobStore(b: BlobBackend, hooks: StorageHooks = {}): BlobStore {
  switch (b.kind) {
    case 'fs':
      return new FsBlobStore({
        root: b.root,
        ...(hooks.reserve ? { reserve: hooks.reserve } : {}),
        ...(hooks.blobs ? { observer: hooks.blobs } : {}),
      });
  }
}
