/**
 * The one place that picks storage backends. The composition root (app.ts) describes where
 * metadata and blobs live, and this factory opens the matching implementations; nothing else
 * constructs a store. Adding a backend means a new `kind` here (tsc then demands a
 * case in each switch and in test/store/contracts.test.ts, so the contract suites run against it).
 */
import { join } from 'node:path';
import type { BlobStore } from '../domain/ports/BlobStore.js';
import type { MetadataStore } from '../domain/ports/MetadataStore.js';
import { FsBlobStore } from './blob/fs/FsBlobStore.js';
import { PgMetadataStore } from './metadata/postgres/PgMetadataStore.js';
import { SqliteMetadataStore } from './metadata/sqlite/SqliteMetadataStore.js';

/** Where the metadata lives. */
export type MetadataBackend =
  | {
      kind: 'sqlite';
      /** The database file, or ':memory:'. */
      path: string;
      /** 'FULL' (default): each transaction is on disk before it resolves; 'NORMAL' only for tests. */
      synchronous?: 'FULL' | 'NORMAL';
    }
  | {
      kind: 'postgres';
      /** postgres://user@host:5432/db (several nodes may share it). */
      url: string;
      /** The schema holding the tables (default: the connection's search_path, normally public). */
      schema?: string;
      poolSize?: number;
    };

/** Where object bytes live. */
export type BlobBackend = { kind: 'fs'; root: string };

/** Every metadata backend kind this build can open (the contract suites run against each). */
export const METADATA_BACKEND_KINDS: readonly MetadataBackend['kind'][] = ['sqlite', 'postgres'];
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
  /** Told when a networked metadata database goes away (`up` false) and comes back. */
  onAvailability?: (up: boolean, err?: unknown) => void;
}

export function openMetadataStore(b: MetadataBackend, hooks: StorageHooks = {}): MetadataStore {
  const { reserve } = hooks;
  switch (b.kind) {
    case 'sqlite':
      return new SqliteMetadataStore({
        path: b.path,
        ...(b.synchronous ? { synchronous: b.synchronous } : {}),
        ...(reserve ? { onWriteError: (err: unknown) => reserve.noteError(err) } : {}),
      });
    case 'postgres':
      return new PgMetadataStore({
        url: b.url,
        ...(b.schema !== undefined ? { schema: b.schema } : {}),
        ...(b.poolSize !== undefined ? { poolSize: b.poolSize } : {}),
        ...(hooks.onAvailability ? { onAvailability: hooks.onAvailability } : {}),
      });
  }
}

export function openBlobStore(b: BlobBackend, hooks: StorageHooks = {}): BlobStore {
  switch (b.kind) {
    case 'fs':
      return new FsBlobStore({ root: b.root, ...(hooks.reserve ? { reserve: hooks.reserve } : {}) });
  }
}
