import type { CacheInvalidation, ChangeFeed } from '../ports/ChangeFeed.js';
import type { CachingCredentialResolver, CredentialInvalidation } from './credentials.js';

/**
 * Credential invalidation that also tells the other nodes: what the key and bucket services call
 * after a key or a bucket changed. This node's cache is dropped at once, the others' when the
 * change feed delivers (milliseconds with PostgreSQL LISTEN/NOTIFY).
 */
export function publishingInvalidation(
  local: CredentialInvalidation,
  changes: Pick<ChangeFeed, 'publish'>,
): CredentialInvalidation {
  return {
    invalidate(accessKeyId) {
      local.invalidate(accessKeyId);
      changes.publish({ kind: 'accessKey', accessKeyId });
    },
    invalidateBucket(bucketId) {
      local.invalidateBucket(bucketId);
      changes.publish({ kind: 'bucketKeys', bucketId });
    },
  };
}

/** Applies another node's change to this node's caches. */
export function applyRemoteChange(
  change: CacheInvalidation,
  caches: {
    credentials: CachingCredentialResolver;
    buckets: { invalidateCachedBucket(name: string): void; invalidateAllCachedBuckets(): void };
  },
): void {
  switch (change.kind) {
    case 'bucket':
      caches.buckets.invalidateCachedBucket(change.bucketName);
      return;
    case 'bucketKeys':
      caches.credentials.invalidateBucket(change.bucketId);
      return;
    case 'accessKey':
      caches.credentials.invalidate(change.accessKeyId);
      return;
    case 'all':
      caches.buckets.invalidateAllCachedBuckets();
      caches.credentials.invalidateAll();
      return;
  }
}
