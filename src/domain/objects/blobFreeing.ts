import type { Logger } from '../../log.js';
import type { BlobStore } from '../ports/BlobStore.js';
import type { MetadataStore } from '../ports/MetadataStore.js';
import type { BucketRecord } from '../ports/records.js';

/** What ObjectService and MultipartService are built from (the composition root passes them). */
export interface ObjectDeps {
  store: MetadataStore;
  blobs: BlobStore;
  /** Epoch milliseconds. */
  clock: () => number;
  /** Where failures to free blobs are reported (the orphan sweep collects them later). */
  logger?: Logger;
}

/** The bucket facts object operations need: its id and versioning state. */
/** `accountId` (absent only in tests of the object rules) is whose storage quota a write counts against. */
export type ObjectBucket = Pick<BucketRecord, 'id' | 'objectVersioning'> & { accountId?: string };

/**
 * After a failed write transaction: frees the blobs it would have referenced — unless the store
 * says the transaction did commit (an error with `committed: true`, e.g. its WAL fsync failed), in
 * which case its rows may reference them: the orphan sweep decides later, by reference.
 */
export async function freeUnlessCommitted(deps: ObjectDeps, blobIds: readonly string[], err: unknown): Promise<void> {
  if ((err as { committed?: unknown } | undefined)?.committed === true) {
    deps.logger?.warn('a write failed after its metadata committed; its blobs are left to the orphan sweep', {
      count: blobIds.length,
    });
    return;
  }
  await freeBlobs(deps, blobIds);
}

/**
 * Frees blobs no committed row references any more. Never throws: a blob that cannot be
 * removed now is an orphan the sweeper removes later.
 */
export async function freeBlobs(deps: ObjectDeps, blobIds: readonly string[]): Promise<void> {
  if (blobIds.length === 0) return;
  try {
    await deps.blobs.delete(blobIds);
  } catch (err) {
    deps.logger?.warn('could not free blobs; the sweep will retry', { count: blobIds.length, err });
  }
}
