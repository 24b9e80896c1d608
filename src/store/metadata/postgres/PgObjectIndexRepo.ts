import {
  NULL_VERSION,
  type CannedAcl,
  type ObjectRecord,
  type ObjectSegment,
  type PartRecord,
  type UploadRecord,
} from '../../../domain/ports/objectRecords.js';
import type { Tag } from '../../../domain/ports/records.js';
import type {
  BucketStatsSlice,
  ListObjectsPage,
  ListObjectsQuery,
  ListPartsPage,
  ListUploadsPage,
  ListUploadsQuery,
  ListVersionsPage,
  ListVersionsQuery,
  ObjectIndexRepo,
} from '../../../domain/ports/ObjectIndexRepo.js';
import { keyBytes } from '../keyWalk.js';
import {
  rawVersionRow,
  toObject,
  VERSION_VALUE_COLUMNS,
  VERSION_WRITE_COLUMNS,
  versionValues,
  type VersionRow,
} from '../objectRows.js';
import { PgListings } from './objectIndex/listings.js';
import { PgUploads } from './objectIndex/uploads.js';
import { arrays, lockKey, one, rows, run, stmt, type Conn } from './sql.js';

interface HeadRow {
  seq: number;
  version_id: string;
  blob_id: string | null;
  parts_count: number;
  is_latest: number;
  is_delete_marker: number;
  size: number;
}

/** True when the row's body is kept in object_bodies. */
const hasInlineBody = (r: Pick<HeadRow, 'blob_id' | 'parts_count' | 'is_delete_marker' | 'size'>): boolean =>
  r.blob_id === null && r.parts_count === 0 && r.is_delete_marker === 0 && r.size > 0;

const HEAD = 'SELECT seq, version_id, blob_id, parts_count, is_latest, is_delete_marker, size FROM object_versions';
const W = VERSION_WRITE_COLUMNS.length;
const placeholders = (from: number, n: number): string =>
  Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');
const STATS = 'COALESCE(SUM(size), 0) AS bytes, COALESCE(SUM(1 - is_delete_marker), 0) AS n';

const S = {
  version: stmt(
    'SELECT * FROM object_versions WHERE bucket_id = $1 AND key = $2 AND version_id = $3 ORDER BY seq DESC LIMIT 1',
  ),
  latestValues: stmt(
    `SELECT ${VERSION_VALUE_COLUMNS} FROM object_versions WHERE bucket_id = $1 AND key = $2 ORDER BY seq DESC LIMIT 1`,
  ),
  versionValues: stmt(`SELECT ${VERSION_VALUE_COLUMNS} FROM object_versions
    WHERE bucket_id = $1 AND key = $2 AND version_id = $3 ORDER BY seq DESC LIMIT 1`),
  latestHead: stmt(`${HEAD} WHERE bucket_id = $1 AND key = $2 ORDER BY seq DESC LIMIT 1`),
  versionHead: stmt(`${HEAD} WHERE bucket_id = $1 AND key = $2 AND version_id = $3`),
  segments: stmt(
    'SELECT blob_id, blob_offset, length, part_number, checksum_value FROM object_segments WHERE object_seq = $1 ORDER BY idx',
  ),
  inlineBody: stmt('SELECT body FROM object_bodies WHERE object_seq = $1'),
  insertBody: stmt('INSERT INTO object_bodies (object_seq, body) VALUES ($1, $2)'),
  updateBody: stmt('UPDATE object_bodies SET body = $1 WHERE object_seq = $2'),
  deleteBody: stmt('DELETE FROM object_bodies WHERE object_seq = $1'),
  deleteSegments: stmt('DELETE FROM object_segments WHERE object_seq = $1'),
  segmentBlobs: stmt('SELECT blob_id FROM object_segments WHERE object_seq = $1'),
  deleteSeq: stmt('DELETE FROM object_versions WHERE seq = $1'),
  setLatest: stmt('UPDATE object_versions SET is_latest = $1 WHERE seq = $2'),
  insert: stmt(`INSERT INTO object_versions (bucket_id, key, version_id, is_latest, is_delete_marker, blob_id,
    ${VERSION_WRITE_COLUMNS.join(', ')}) VALUES ($1, $2, $3, 1, $4, $5, ${placeholders(6, W)}) RETURNING seq`),
  replace: stmt(`UPDATE object_versions SET ${VERSION_WRITE_COLUMNS.map((c, i) => `${c} = $${i + 1}`).join(', ')},
    is_delete_marker = $${W + 1}, blob_id = $${W + 2} WHERE seq = $${W + 3}`),
  insertSegment: stmt(`INSERT INTO object_segments (object_seq, idx, blob_id, blob_offset, length, part_number,
    checksum_value) VALUES ($1, $2, $3, $4, $5, $6, $7)`),
  setTags: stmt('UPDATE object_versions SET tags = $1 WHERE bucket_id = $2 AND key = $3 AND version_id = $4'),
  setAcl: stmt('UPDATE object_versions SET acl = $1 WHERE bucket_id = $2 AND key = $3 AND version_id = $4'),
  // A bucket deletion racing this check and the write after it cannot both commit: under
  // SERIALIZABLE by the predicate lock, in a `perKey` transaction by the foreign keys to buckets.
  bucketExists: stmt('SELECT 1 FROM buckets WHERE id = $1'),
  anyObject: stmt('SELECT 1 FROM object_versions WHERE bucket_id = $1 LIMIT 1'),
  anyUpload: stmt('SELECT 1 FROM uploads WHERE bucket_id = $1 LIMIT 1'),
  bucketBlobs: stmt(`SELECT blob_id FROM object_versions WHERE bucket_id = $1 AND blob_id IS NOT NULL
    UNION ALL SELECT s.blob_id FROM object_segments s JOIN object_versions v ON v.seq = s.object_seq WHERE v.bucket_id = $1
    UNION ALL SELECT p.blob_id FROM upload_parts p JOIN uploads u ON u.upload_id = p.upload_id WHERE u.bucket_id = $1`),
  deleteBucketObjects: stmt('DELETE FROM object_versions WHERE bucket_id = $1'),
  deleteBucketUploads: stmt('DELETE FROM uploads WHERE bucket_id = $1'),
  objectStats: stmt(`SELECT ${STATS} FROM object_versions WHERE bucket_id = $1`),
  statsBoundary: stmt(
    'SELECT key FROM object_versions WHERE bucket_id = $1 AND key > $2 ORDER BY key LIMIT 1 OFFSET $3',
  ),
  statsUpTo: stmt(`SELECT ${STATS} FROM object_versions WHERE bucket_id = $1 AND key > $2 AND key <= $3`),
  statsRest: stmt(`SELECT ${STATS} FROM object_versions WHERE bucket_id = $1 AND key > $2`),
  partStats: stmt(`SELECT COALESCE(SUM(p.size), 0) AS bytes, COUNT(p.upload_id) AS n FROM upload_parts p
    JOIN uploads u ON u.upload_id = p.upload_id WHERE u.bucket_id = $1`),
  lock: stmt('SELECT pg_advisory_xact_lock($1::bigint)'),
  // The bucket shared, then the key: a `perBucket` transaction (the bucket exclusive) waits for both.
  lockInBucket: stmt('SELECT pg_advisory_xact_lock_shared($1::bigint), pg_advisory_xact_lock($2::bigint)'),
  referenced: stmt(`SELECT blob_id FROM object_versions WHERE blob_id = ANY($1::text[])
    UNION SELECT blob_id FROM object_segments WHERE blob_id = ANY($1::text[])
    UNION SELECT blob_id FROM upload_parts WHERE blob_id = ANY($1::text[])`),
};

/** How many candidate ids one referencedBlobIds query checks. */
const SWEEP_CHUNK = 500;

/**
 * How a transaction's object calls lock (see TxIsolation): not at all (SERIALIZABLE, or a read),
 * per key, or the whole bucket.
 */
export type PgLocking = 'none' | 'perKey' | 'perBucket';

/**
 * The object index on PostgreSQL: the SQLite repo's row layout and steps (one lookup of the key's
 * newest row, at most one delete or update, one insert), on the transaction's connection.
 *
 * `perKey` (READ COMMITTED): the first call that names a key takes transaction-scoped advisory
 * locks, the bucket's shared and then the key's exclusive, before reading it; the first that names
 * an upload takes the upload's. They are held to commit. Writers of one key, on any node, so run one
 * after another, and each reads what the one before committed: If-None-Match / If-Match get
 * exactly one winner, versions stay in order with one latest. Writers of distinct keys take
 * distinct key locks (shared bucket locks do not conflict) and never wait for or fail each other.
 * `perBucket` (READ COMMITTED; a DeleteObjects of many keys): the bucket's lock, exclusive, instead
 * of one lock per key (PostgreSQL's lock table is shared and small). With `none` (SERIALIZABLE),
 * two writers of one key cannot both commit: one is retried and sees the other's row.
 */
export class PgObjectIndexRepo implements ObjectIndexRepo {
  private readonly listings: PgListings;
  private readonly uploads: PgUploads;
  /** Advisory lock keys this transaction holds. */
  private readonly held = new Set<string>();

  constructor(
    private readonly c: Conn,
    private readonly locking: PgLocking = 'none',
  ) {
    this.listings = new PgListings(c);
    this.uploads = new PgUploads(c);
  }

  /** Waits for (then holds, to commit) the exclusive lock on `what`, once per transaction. */
  private async lock(what: string): Promise<void> {
    const k = lockKey(what);
    if (this.held.has(k)) return;
    await one(this.c, S.lock, [k]);
    this.held.add(k);
  }

  private async lockObject(bucketId: string, key: string): Promise<void> {
    if (this.locking === 'none') return;
    const bucket = `bucket ${bucketId}`;
    if (this.locking === 'perBucket') return this.lock(bucket);
    const b = lockKey(bucket);
    const k = lockKey(`object ${bucketId} ${key}`);
    if (this.held.has(k)) return;
    if (this.held.has(b)) await one(this.c, S.lock, [k]);
    else await one(this.c, S.lockInBucket, [b, k]);
    this.held.add(b);
    this.held.add(k);
  }

  private async lockUpload(uploadId: string): Promise<void> {
    if (this.locking !== 'none') await this.lock(`upload ${uploadId}`);
  }

  async getObject(
    bucketId: string,
    key: string,
    versionId: string | undefined,
    withSegments: boolean,
  ): Promise<ObjectRecord | undefined> {
    await this.lockObject(bucketId, key);
    const k = keyBytes(key);
    const found =
      versionId === undefined
        ? await arrays(this.c, S.latestValues, [bucketId, k])
        : await arrays(this.c, S.versionValues, [bucketId, k, versionId]);
    const values = found[0];
    if (!values) return undefined;
    const row = rawVersionRow(values, bucketId, k);
    const o = toObject(row);
    if (withSegments && hasInlineBody(row)) {
      const body = (await one<{ body: Buffer }>(this.c, S.inlineBody, [row.seq]))?.body;
      if (!body || body.length !== row.size) {
        throw new Error(
          `object ${JSON.stringify(key)} version ${row.version_id} (seq ${row.seq}) has ${row.size} bytes but its inline body holds ${body?.length ?? 'none'}`,
        );
      }
      o.segments = [{ blobId: '', offset: 0, length: row.size, partNumber: 0, inline: body }];
    }
    if (row.parts_count > 0 && row.blob_id === null && withSegments) {
      type SegmentRow = {
        blob_id: string;
        blob_offset: number;
        length: number;
        part_number: number;
        checksum_value: string | null;
      };
      o.segments = (await rows<SegmentRow>(this.c, S.segments, [row.seq])).map((r) => {
        const seg: ObjectSegment = {
          blobId: r.blob_id,
          offset: r.blob_offset,
          length: r.length,
          partNumber: r.part_number,
        };
        if (r.checksum_value !== null) seg.checksum = r.checksum_value;
        return seg;
      });
    }
    return o;
  }

  async putObject(obj: ObjectRecord): Promise<{ freedBlobIds: string[] }> {
    const inline = obj.segments.length === 1 ? obj.segments[0].inline : undefined;
    if (
      inline &&
      (obj.partsCount !== 0 ||
        obj.segments[0].offset !== 0 ||
        inline.length !== obj.size ||
        obj.segments[0].length !== obj.size)
    ) {
      throw new Error(
        `object ${JSON.stringify(obj.key)}: an inline body must be the whole single-part object (${inline.length} bytes for size ${obj.size})`,
      );
    }
    if (obj.segments.length === 0 && obj.size > 0 && !obj.isDeleteMarker) {
      throw new Error(`object ${JSON.stringify(obj.key)} has ${obj.size} bytes but no segments`);
    }
    const single =
      !inline &&
      obj.segments.length === 1 &&
      obj.segments[0].offset === 0 &&
      obj.segments[0].length === obj.size &&
      obj.partsCount === 0;
    if (!inline && !single && obj.segments.length > 0 && obj.partsCount === 0) {
      throw new Error(`object ${JSON.stringify(obj.key)} has ${obj.segments.length} segments but no parts count`);
    }
    await this.lockObject(obj.bucketId, obj.key);
    const k = keyBytes(obj.key);
    const freed: string[] = [];
    const blobId = single ? obj.segments[0].blobId : null;
    const partsCount = single ? 0 : obj.partsCount;
    const latest = await one<HeadRow>(this.c, S.latestHead, [obj.bucketId, k]);
    let seq: number;
    if (latest && obj.versionId === NULL_VERSION && latest.version_id === NULL_VERSION) {
      seq = latest.seq;
      await this.replaceRow(latest, obj, blobId, partsCount, inline, freed);
    } else {
      if (latest && obj.versionId === NULL_VERSION) {
        const old = await one<HeadRow>(this.c, S.versionHead, [obj.bucketId, k, NULL_VERSION]);
        if (old) await this.removeRow(old, freed);
      }
      if (latest) await run(this.c, S.setLatest, [0, latest.seq]);
      const inserted = await one<{ seq: number }>(this.c, S.insert, [
        obj.bucketId,
        k,
        obj.versionId,
        obj.isDeleteMarker ? 1 : 0,
        blobId,
        ...versionValues(obj, partsCount),
      ]);
      seq = inserted!.seq;
      if (inline) await run(this.c, S.insertBody, [seq, inline]);
    }
    if (!inline && !single) {
      for (let i = 0; i < obj.segments.length; i++) {
        const seg = obj.segments[i];
        await run(this.c, S.insertSegment, [
          seq,
          i,
          seg.blobId,
          seg.offset,
          seg.length,
          seg.partNumber,
          seg.checksum ?? null,
        ]);
      }
    }
    return { freedBlobIds: freed };
  }

  async deleteVersion(
    bucketId: string,
    key: string,
    versionId: string,
  ): Promise<{ deleted?: ObjectRecord; freedBlobIds: string[] }> {
    await this.lockObject(bucketId, key);
    const k = keyBytes(key);
    const row = await one<VersionRow>(this.c, S.version, [bucketId, k, versionId]);
    if (!row) return { freedBlobIds: [] };
    const freed: string[] = [];
    await this.removeRow(row, freed);
    if (row.is_latest === 1) {
      const next = await one<HeadRow>(this.c, S.latestHead, [bucketId, k]);
      if (next) await run(this.c, S.setLatest, [1, next.seq]);
    }
    return { deleted: toObject(row), freedBlobIds: freed };
  }

  async setObjectTags(bucketId: string, key: string, versionId: string, tags: Tag[]): Promise<boolean> {
    await this.lockObject(bucketId, key);
    const value = tags.length === 0 ? null : JSON.stringify(tags);
    return (await run(this.c, S.setTags, [value, bucketId, keyBytes(key), versionId])) > 0;
  }

  async setObjectAcl(bucketId: string, key: string, versionId: string, acl: CannedAcl): Promise<boolean> {
    await this.lockObject(bucketId, key);
    return (await run(this.c, S.setAcl, [acl, bucketId, keyBytes(key), versionId])) > 0;
  }

  listObjects(bucketId: string, q: ListObjectsQuery): Promise<ListObjectsPage> {
    return this.listings.listObjects(bucketId, q);
  }

  listObjectVersions(bucketId: string, q: ListVersionsQuery): Promise<ListVersionsPage> {
    return this.listings.listObjectVersions(bucketId, q);
  }

  insertUpload(u: UploadRecord): Promise<void> {
    return this.uploads.insertUpload(u);
  }
  async getUpload(bucketId: string, key: string, uploadId: string): Promise<UploadRecord | undefined> {
    await this.lockUpload(uploadId);
    return this.uploads.getUpload(bucketId, key, uploadId);
  }
  async deleteUpload(uploadId: string): Promise<string[]> {
    await this.lockUpload(uploadId);
    return this.uploads.deleteUpload(uploadId);
  }
  listUploads(bucketId: string, q: ListUploadsQuery): Promise<ListUploadsPage> {
    return this.uploads.listUploads(bucketId, q);
  }
  async putPart(p: PartRecord): Promise<{ freedBlobIds: string[] }> {
    await this.lockUpload(p.uploadId);
    return this.uploads.putPart(p);
  }
  getParts(uploadId: string): Promise<PartRecord[]> {
    return this.uploads.getParts(uploadId);
  }
  listParts(uploadId: string, partNumberMarker: number, maxParts: number): Promise<ListPartsPage> {
    return this.uploads.listParts(uploadId, partNumberMarker, maxParts);
  }

  async bucketExists(bucketId: string): Promise<boolean> {
    return (await one(this.c, S.bucketExists, [bucketId])) !== undefined;
  }

  async hasContents(bucketId: string): Promise<boolean> {
    return (
      (await one(this.c, S.anyObject, [bucketId])) !== undefined ||
      (await one(this.c, S.anyUpload, [bucketId])) !== undefined
    );
  }

  async hasObjects(bucketId: string): Promise<boolean> {
    return (await one(this.c, S.anyObject, [bucketId])) !== undefined;
  }

  async deleteAllInBucket(bucketId: string): Promise<string[]> {
    const blobs = (await rows<{ blob_id: string }>(this.c, S.bucketBlobs, [bucketId])).map((r) => r.blob_id);
    await run(this.c, S.deleteBucketObjects, [bucketId]);
    await run(this.c, S.deleteBucketUploads, [bucketId]);
    return blobs;
  }

  async bucketStats(bucketId: string): Promise<{ sizeBytes: number; objectCount: number }> {
    const o = (await one<{ bytes: number; n: number }>(this.c, S.objectStats, [bucketId]))!;
    // As AWS documents for NumberOfObjects (and BucketSizeBytes): the parts of unfinished uploads count.
    const parts = (await one<{ bytes: number; n: number }>(this.c, S.partStats, [bucketId]))!;
    return { sizeBytes: o.bytes + parts.bytes, objectCount: o.n + parts.n };
  }

  async bucketStatsSlice(bucketId: string, cursor: string | undefined, maxRows: number): Promise<BucketStatsSlice> {
    const after = cursor === undefined ? Buffer.alloc(0) : Buffer.from(cursor, 'hex');
    const parts =
      cursor === undefined
        ? (await one<{ bytes: number; n: number }>(this.c, S.partStats, [bucketId]))!
        : { bytes: 0, n: 0 };
    const boundary = (await one<{ key: Buffer }>(this.c, S.statsBoundary, [bucketId, after, Math.max(1, maxRows) - 1]))
      ?.key;
    const o = (
      boundary === undefined
        ? await one<{ bytes: number; n: number }>(this.c, S.statsRest, [bucketId, after])
        : await one<{ bytes: number; n: number }>(this.c, S.statsUpTo, [bucketId, after, boundary])
    )!;
    const slice: BucketStatsSlice = { sizeBytes: o.bytes + parts.bytes, objectCount: o.n + parts.n };
    if (boundary !== undefined) slice.cursor = boundary.toString('hex');
    return slice;
  }

  async referencedBlobIds(candidates: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < candidates.length; i += SWEEP_CHUNK) {
      const chunk = candidates.slice(i, i + SWEEP_CHUNK);
      for (const r of await rows<{ blob_id: string }>(this.c, S.referenced, [chunk])) found.add(r.blob_id);
    }
    return found;
  }

  /** Rewrites the latest row `old` of a key with `obj` (the same 'null' version replaced), keeping its seq. */
  private async replaceRow(
    old: HeadRow,
    obj: ObjectRecord,
    blobId: string | null,
    partsCount: number,
    inline: Buffer | undefined,
    freed: string[],
  ): Promise<void> {
    if (old.blob_id !== null) freed.push(old.blob_id);
    else if (old.parts_count > 0) {
      freed.push(...(await rows<{ blob_id: string }>(this.c, S.segmentBlobs, [old.seq])).map((r) => r.blob_id));
      await run(this.c, S.deleteSegments, [old.seq]);
    }
    await run(this.c, S.replace, [...versionValues(obj, partsCount), obj.isDeleteMarker ? 1 : 0, blobId, old.seq]);
    const hadBody = hasInlineBody(old);
    if (inline) {
      if (hadBody) await run(this.c, S.updateBody, [inline, old.seq]);
      else await run(this.c, S.insertBody, [old.seq, inline]);
    } else if (hadBody) await run(this.c, S.deleteBody, [old.seq]);
  }

  /** Deletes one version row (segments and inline body cascade) and collects the blobs it owned. */
  private async removeRow(row: Pick<HeadRow, 'seq' | 'blob_id' | 'parts_count'>, freed: string[]): Promise<void> {
    if (row.blob_id !== null) freed.push(row.blob_id);
    else if (row.parts_count > 0) {
      freed.push(...(await rows<{ blob_id: string }>(this.c, S.segmentBlobs, [row.seq])).map((r) => r.blob_id));
    }
    await run(this.c, S.deleteSeq, [row.seq]);
  }
}
