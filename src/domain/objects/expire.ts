/**
 * The object changes lifecycle rules make, each in its own transaction that first checks the
 * version is still what the scan saw: a write racing with expiration wins (a version replaced after
 * the scan read it is left alone), as on S3, where a rule never removes data newer than its check.
 */
import { newOpaqueId } from '../../crypto/ids.js';
import { NULL_VERSION } from '../ports/objectRecords.js';
import { freeBlobs, type ObjectBucket, type ObjectDeps } from './blobFreeing.js';
import { deleteMarkerRecord } from './write.js';

/** What an expiration did: removed a version for good, or put a delete marker on top. */
export interface ExpireOutcome {
  kind: 'removed' | 'deleteMarker';
  /** The version removed, or the delete marker's version id. */
  versionId: string;
  /** Bytes of the version removed (0 for a marker). */
  size: number;
}

/**
 * Expires the key's current version if it is still `versionId` and not a delete marker: removed
 * where versioning was never enabled, else hidden under a new delete marker (a `null` one while
 * versioning is suspended, which replaces a `null` version).
 */
export async function expireCurrentVersion(
  deps: ObjectDeps,
  bucket: ObjectBucket,
  key: string,
  versionId: string,
): Promise<ExpireOutcome | undefined> {
  const now = deps.clock();
  const markerId = bucket.objectVersioning === 'Enabled' ? newOpaqueId() : NULL_VERSION;
  const { outcome, freed } = await deps.store.transaction(async (tx) => {
    const cur = await tx.objects.getObject(bucket.id, key, undefined, false);
    if (cur === undefined || cur.versionId !== versionId || cur.isDeleteMarker)
      return { outcome: undefined, freed: [] };
    if (bucket.objectVersioning === 'NeverEnabled') {
      const r = await tx.objects.deleteVersion(bucket.id, key, versionId);
      return { outcome: { kind: 'removed', versionId, size: cur.size } as const, freed: r.freedBlobIds };
    }
    const r = await tx.objects.putObject(deleteMarkerRecord(bucket, key, markerId, now));
    return { outcome: { kind: 'deleteMarker', versionId: markerId, size: 0 } as const, freed: r.freedBlobIds };
  }, 'perKey');
  await freeBlobs(deps, freed);
  return outcome;
}

/**
 * Removes one version for good if it still is what the scan saw: `noncurrent` — not the latest;
 * `lonelyDeleteMarker` — the latest, a delete marker, and the key's only version.
 */
export async function removeExpiredVersion(
  deps: ObjectDeps,
  bucket: ObjectBucket,
  key: string,
  versionId: string,
  expect: 'noncurrent' | 'lonelyDeleteMarker',
): Promise<ExpireOutcome | undefined> {
  const { outcome, freed } = await deps.store.transaction(async (tx) => {
    const v = await tx.objects.getObject(bucket.id, key, versionId, false);
    const none = { outcome: undefined, freed: [] as string[] };
    if (v === undefined) return none;
    if (expect === 'noncurrent' && v.isLatest) return none;
    if (expect === 'lonelyDeleteMarker') {
      if (!v.isLatest || !v.isDeleteMarker) return none;
      // Versions of `key` come first among keys that start with it, newest first.
      const page = await tx.objects.listObjectVersions(bucket.id, { prefix: key, maxKeys: 2 });
      if (page.versions.some((x) => x.key === key && x.versionId !== versionId)) return none;
    }
    const r = await tx.objects.deleteVersion(bucket.id, key, versionId);
    return { outcome: { kind: 'removed', versionId, size: v.size } as const, freed: r.freedBlobIds };
  }, 'perKey');
  await freeBlobs(deps, freed);
  return outcome;
}

/** Aborts an unfinished multipart upload (its parts freed), if it still exists. */
export async function abortExpiredUpload(
  deps: ObjectDeps,
  bucket: ObjectBucket,
  key: string,
  uploadId: string,
): Promise<boolean> {
  const freed = await deps.store.transaction(
    async (tx) =>
      (await tx.objects.getUpload(bucket.id, key, uploadId)) === undefined
        ? undefined
        : tx.objects.deleteUpload(uploadId),
    'perKey',
  );
  if (freed === undefined) return false;
  await freeBlobs(deps, freed);
  return true;
}
