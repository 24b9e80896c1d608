/**
 * The one place that picks storage backends. The composition root (app.ts) describes where
 * metadata and blobs live, and this factory opens the matching implementations; nothing else
 * constructs a store. Adding a backend means a new `kind` here (tsc then demands a
 * case in each switch and in test/store/contracts.test.ts, so the contract suites run against it).
 */
import { join } from 'node:path';
import type { BlobStore } from '../domain/ports/BlobStore.js';
import type { ChangeFeed } from '../domain/ports/ChangeFeed.js';
import type { MetadataStore } from '../domain/ports/MetadataStore.js';
import { LocalChangeFeed } from './changes/LocalChangeFeed.js';
import { PgChangeFeed } from './metadata/postgres/cluster/PgChangeFeed.js';
import { PgLeaderLock } from './metadata/postgres/cluster/PgLeaderLock.js';
import { PgNodeRegistry } from './metadata/postgres/cluster/PgNodeRegistry.js';
import { PgMetadataStore } from './metadata/postgres/PgMetadataStore.js';
import { FsBlobStore, type BlobObserver } from './blob/fs/FsBlobStore.js';
import { SqliteMetadataStore, type CommitObserver } from './metadata/sqlite/SqliteMetadataStore.js';

/** Where the metadata lives. */
export type MetadataBackend =
  | {
      kind: 'sqlite';
      /** The database file, or ':memory:'. */
      path: string;
      /**
       * 'FULL' (default): each transaction is on disk before it resolves; 'NORMAL' (`--durability
       * relaxed`, tests): in the OS's hands, safe from a process kill, not from a power loss.
       */
      synchronous?: 'FULL' | 'NORMAL';
    }
  | {
      kind: 'postgres';
      /** postgres://user@host:5432/db (several nodes may share it). */
      url: string;
      /** The schema holding the tables (default: the connection's search_path, normally public). */
      schema?: string;
      poolSize?: number;
      /** false (`--durability relaxed`): commits do not wait for the server's WAL flush. */
      synchronousCommit?: boolean;
    };

/** Where object bytes live. */
export type BlobBackend = {
  kind: 'fs';
  root: string;
  /** Set when several nodes share `root`: temporary files under tmp/<nodeId>/ (FsBlobStore). */
  nodeId?: string;
  /** false (`--durability relaxed`): blob files and directories are not fsynced. Default true. */
  fsync?: boolean;
};

/** Every metadata backend kind this build can open (the contract suites run against each). */
export const METADATA_BACKEND_KINDS: readonly MetadataBackend['kind'][] = ['sqlite', 'postgres'];
/** Every blob backend kind this build can open. */
export const BLOB_BACKEND_KINDS: readonly BlobBackend['kind'][] = ['fs'];

/** The embedded deployment: everything in one data directory. */
export function dataDirBackends(dataDir: string): {
  metadata: Extract<MetadataBackend, { kind: 'sqlite' }>;
  blobs: BlobBackend;
} {
  return {
    metadata: { kind: 'sqlite', path: join(dataDir, 'metadata.db') },
    blobs: { kind: 'fs', root: join(dataDir, 'blobs') },
  };
}

/**
 * A node of a shared installation: metadata in PostgreSQL, blobs in the (shared) data directory,
 * this node's temporary files under its node id.
 */
export function sharedBackends(
  dataDir: string,
  metadataUrl: string,
  nodeId: string,
): { metadata: MetadataBackend; blobs: BlobBackend } {
  return {
    metadata: { kind: 'postgres', url: metadataUrl },
    blobs: { kind: 'fs', root: join(dataDir, 'blobs'), nodeId },
  };
}

/** What the stores report to the disk-space reserve (src/store/diskReserve.ts), when there is one. */
export interface StorageHooks {
  reserve?: { checkWritable(): void; noteError(err: unknown): void };
  /** The server's metrics: metadata commit batches and WAL fsyncs. */
  commits?: CommitObserver;
  /** The server's metrics: blobs written and deleted. */
  blobs?: BlobObserver;
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
        ...(hooks.commits ? { observer: hooks.commits } : {}),
      });
    case 'postgres':
      return new PgMetadataStore({
        url: b.url,
        ...(b.schema !== undefined ? { schema: b.schema } : {}),
        ...(b.poolSize !== undefined ? { poolSize: b.poolSize } : {}),
        ...(b.synchronousCommit === false ? { synchronousCommit: false } : {}),
        ...(hooks.onAvailability ? { onAvailability: hooks.onAvailability } : {}),
      });
  }
}

/** Applies the backend's pending schema migrations and closes it; returns the versions applied. */
export async function migrateMetadata(b: MetadataBackend): Promise<number[]> {
  switch (b.kind) {
    case 'sqlite': {
      const store = new SqliteMetadataStore({ path: b.path });
      await store.close();
      return [];
    }
    case 'postgres': {
      const store = new PgMetadataStore({ url: b.url, ...(b.schema !== undefined ? { schema: b.schema } : {}) });
      try {
        return await store.ready();
      } finally {
        await store.close();
      }
    }
  }
}

export function openBlobStore(b: BlobBackend, hooks: StorageHooks = {}): BlobStore {
  switch (b.kind) {
    case 'fs':
      return new FsBlobStore({
        root: b.root,
        ...(b.nodeId !== undefined ? { nodeId: b.nodeId } : {}),
        ...(b.fsync === false ? { fsync: false } : {}),
        ...(hooks.reserve ? { reserve: hooks.reserve } : {}),
        ...(hooks.blobs ? { observer: hooks.blobs } : {}),
      });
  }
}

interface ClusterLog {
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * What nodes sharing one metadata backend need of each other: the change feed (cache
 * invalidations), leadership for the jobs that must run on one node at a time (orphan sweep,
 * metric sampling), and the claim of this node's id. The embedded backend has one process: a
 * local feed, always the leader, nothing to claim.
 */
export interface Cluster {
  changes: ChangeFeed;
  /** Claims the node id (throws when a live node holds it) and starts the feed. After migrations. */
  join(): Promise<void>;
  /** `gain` when this node becomes the leader (at once for the embedded backend), `lose` when it stops. */
  lead(hooks: { gain(): void; lose(): void }): Promise<void>;
  /** The node leaves: stops leading, removes its claim, closes the feed. */
  close(): Promise<void>;
}

export function openCluster(b: MetadataBackend, nodeId: string, log?: ClusterLog): Cluster {
  switch (b.kind) {
    case 'sqlite': {
      const changes = new LocalChangeFeed();
      let hooks: { gain(): void; lose(): void } | undefined;
      return {
        changes,
        join: async () => undefined,
        lead: async (h) => {
          hooks = h;
          h.gain();
        },
        close: async () => {
          hooks?.lose();
          await changes.close();
        },
      };
    }
    case 'postgres': {
      const changes = new PgChangeFeed(b.url, b.schema, log);
      const leader = new PgLeaderLock(b.url, b.schema, log);
      const nodes = new PgNodeRegistry(b.url, b.schema, nodeId, log);
      return {
        changes,
        join: async () => {
          await nodes.claim();
          await changes.start();
        },
        lead: (h) => leader.run(h),
        close: async () => {
          await leader.close();
          await changes.close();
          await nodes.close();
        },
      };
    }
  }
}
