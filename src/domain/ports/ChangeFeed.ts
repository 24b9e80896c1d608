/**
 * The change feed: how the processes serving one installation tell each other which cached
 * records went stale. Every node (or worker) keeps short-lived caches of bucket records and of
 * resolved access keys; a change made on one must reach the others' caches at once, so that a
 * deleted or deactivated key, a bucket made private or a removed readonly account stops working
 * everywhere within a second (docs/compatibility.md).
 *
 * Implementations: PostgreSQL LISTEN/NOTIFY (several nodes), a local one for the embedded
 * single-process server (nothing to tell: the process already invalidated its own caches), and
 * node:cluster IPC between the workers of `serve --workers N` (src/store/changes/IpcChangeFeed.ts).
 */
export type CacheInvalidation =
  /** A bucket changed or went away (access rules, readonly accounts, CORS, versioning, deletion). */
  | { kind: 'bucket'; bucketName: string }
  /** Every key of a bucket (the bucket was deleted). */
  | { kind: 'bucketKeys'; bucketId: string }
  /** One key was deleted, deactivated or activated. */
  | { kind: 'accessKey'; accessKeyId: string }
  /** Changes may have been missed (the feed reconnected): drop every cached record. */
  | { kind: 'all' };

/** Whether a value received from another process (JSON, IPC) is a well-formed invalidation. */
export function isCacheInvalidation(v: unknown): v is CacheInvalidation {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  switch (c.kind) {
    case 'bucket':
      return typeof c.bucketName === 'string';
    case 'bucketKeys':
      return typeof c.bucketId === 'string';
    case 'accessKey':
      return typeof c.accessKeyId === 'string';
    case 'all':
      return true;
    default:
      return false;
  }
}

export interface ChangeFeed {
  /**
   * Tells the other processes, after the change committed. Never throws and never waits for
   * delivery (a lost message is bounded by the caches' TTL); this process applies its own
   * invalidation itself.
   */
  publish(change: CacheInvalidation): void;
  /** `listener` is called for every change another process published (and `all` after a gap). */
  subscribe(listener: (change: CacheInvalidation) => void): void;
  close(): Promise<void>;
}
