import type { Readable } from 'node:stream';
import type { BlobPutOptions, BlobPutResult, BlobStore } from '../../domain/ports/BlobStore.js';

/** Ids held back at most; past this, further deletions are dropped and left to the orphan sweep. */
const MAX_DEFERRED = 1_000_000;

/**
 * A BlobStore whose deletions can be held off: while at least one hold is active (an online backup
 * or a verify is reading the blobs a metadata snapshot references), `delete` only records the ids,
 * and the last `release` deletes them. Every path that frees a blob (replaced and deleted objects,
 * aborted uploads, force-deleted buckets, the orphan sweep) goes through `delete`, so no blob a
 * snapshot references disappears while the hold lasts. Memory is bounded: beyond MAX_DEFERRED ids,
 * further deletions are simply not done; nothing references those blobs, so the orphan sweep
 * removes them later.
 */
export class DeletionHold implements BlobStore {
  private holds = 0;
  private deferred = new Set<string>();
  private dropped = 0;

  constructor(private readonly inner: BlobStore) {}

  /** Holds deletions until the returned function is called (once). */
  hold(): () => Promise<{ deleted: number; leftToSweep: number }> {
    this.holds++;
    let released = false;
    return async () => {
      if (released) return { deleted: 0, leftToSweep: 0 };
      released = true;
      this.holds--;
      if (this.holds > 0) return { deleted: 0, leftToSweep: 0 };
      const ids = [...this.deferred];
      const leftToSweep = this.dropped;
      this.deferred = new Set();
      this.dropped = 0;
      if (ids.length > 0) await this.inner.delete(ids);
      return { deleted: ids.length, leftToSweep };
    };
  }

  get held(): boolean {
    return this.holds > 0;
  }

  async delete(blobIds: readonly string[]): Promise<void> {
    if (this.holds === 0) return this.inner.delete(blobIds);
    for (const id of blobIds) {
      if (this.deferred.size < MAX_DEFERRED) this.deferred.add(id);
      else this.dropped++;
    }
  }

  put(source: Readable, opts?: BlobPutOptions): Promise<BlobPutResult> {
    return this.inner.put(source, opts);
  }
  assertWritable(): void {
    this.inner.assertWritable?.();
  }
  get(blobId: string, range?: { start: number; end: number }): Readable {
    return this.inner.get(blobId, range);
  }
  list(): AsyncIterable<{ blobId: string; mtimeMs: number; size: number }> {
    return this.inner.list();
  }
  removeStaleTemp(olderThanMs: number): Promise<number> {
    return this.inner.removeStaleTemp(olderThanMs);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
