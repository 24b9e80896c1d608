import type Database from 'better-sqlite3';
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
import { SqliteListings } from './objectIndex/listings.js';
import {
  rawVersionRow,
  toObject,
  VERSION_VALUE_COLUMNS,
  VERSION_WRITE_COLUMNS,
  versionValues,
  type VersionRow,
} from '../objectRows.js';
import { SqliteUploads } from './objectIndex/uploads.js';

interface HeadRow {
  seq: number;
  version_id: string;
  blob_id: string | null;
  parts_count: number;
  is_latest: number;
  is_delete_marker: number;
  size: number;
}

/** True when the row's body is kept in object_bodies (see migration 102). */
const hasInlineBody = (r: Pick<HeadRow, 'blob_id' | 'parts_count' | 'is_delete_marker' | 'size'>): boolean =>
  r.blob_id === null && r.parts_count === 0 && r.is_delete_marker === 0 && r.size > 0;

/** How many candidate ids one referencedBlobIds query checks. */
const SWEEP_CHUNK = 500;

/**
 * SQLite object index. Every statement is prepared once, here; a PUT is one lookup of the key's
 * newest row, at most one delete (the replaced 'null' version) or one update (is_latest), and one
 * insert. Delete markers and old versions stay out of the ListObjects index (partial index).
 */
export class SqliteObjectIndexRepo implements ObjectIndexRepo {
  private readonly listings: SqliteListings;
  private readonly uploads: SqliteUploads;
  private readonly s: Record<string, Database.Statement>;
  /** In-place rewrites of a version row, by replaceVariant. */
  private readonly replaceStatements: Database.Statement[];

  constructor(db: Database.Database) {
    this.replaceStatements = replaceStatements(db);
    this.listings = new SqliteListings(db);
    this.uploads = new SqliteUploads(db);
    const head = 'SELECT seq, version_id, blob_id, parts_count, is_latest, is_delete_marker, size FROM object_versions';
    this.s = {
      version: db.prepare(
        'SELECT * FROM object_versions WHERE bucket_id = ? AND key = ? AND version_id = ? ORDER BY seq DESC LIMIT 1',
      ),
      // getObject's lookups (every GET and HEAD): raw arrays, read by rawVersionRow.
      latestValues: db
        .prepare(
          `SELECT ${VERSION_VALUE_COLUMNS} FROM object_versions WHERE bucket_id = ? AND key = ? ORDER BY seq DESC LIMIT 1`,
        )
        .raw(),
      versionValues: db
        .prepare(
          `SELECT ${VERSION_VALUE_COLUMNS} FROM object_versions WHERE bucket_id = ? AND key = ? AND version_id = ?
        ORDER BY seq DESC LIMIT 1`,
        )
        .raw(),
      latestHead: db.prepare(`${head} WHERE bucket_id = ? AND key = ? ORDER BY seq DESC LIMIT 1`),
      versionHead: db.prepare(`${head} WHERE bucket_id = ? AND key = ? AND version_id = ?`),
      segments: db.prepare(
        'SELECT blob_id, blob_offset, length, part_number, checksum_value FROM object_segments WHERE object_seq = ? ORDER BY idx',
      ),
      inlineBody: db.prepare('SELECT body FROM object_bodies WHERE object_seq = ?').pluck(),
      insertBody: db.prepare('INSERT INTO object_bodies (object_seq, body) VALUES (?, ?)'),
      updateBody: db.prepare('UPDATE object_bodies SET body = ? WHERE object_seq = ?'),
      deleteBody: db.prepare('DELETE FROM object_bodies WHERE object_seq = ?'),
      deleteSegments: db.prepare('DELETE FROM object_segments WHERE object_seq = ?'),
      segmentBlobs: db.prepare('SELECT blob_id FROM object_segments WHERE object_seq = ?').pluck(),
      deleteSeq: db.prepare('DELETE FROM object_versions WHERE seq = ?'),
      setLatest: db.prepare('UPDATE object_versions SET is_latest = ? WHERE seq = ?'),
      insert: db.prepare(`INSERT INTO object_versions (bucket_id, key, version_id, is_latest, is_delete_marker, blob_id,
        ${VERSION_WRITE_COLUMNS.join(', ')}) VALUES (?, ?, ?, 1, ?, ?, ${VERSION_WRITE_COLUMNS.map(() => '?').join(', ')})`),
      insertSegment:
        db.prepare(`INSERT INTO object_segments (object_seq, idx, blob_id, blob_offset, length, part_number,
        checksum_value) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      setTags: db.prepare('UPDATE object_versions SET tags = ? WHERE bucket_id = ? AND key = ? AND version_id = ?'),
      setAcl: db.prepare('UPDATE object_versions SET acl = ? WHERE bucket_id = ? AND key = ? AND version_id = ?'),
      bucketExists: db.prepare('SELECT 1 FROM buckets WHERE id = ?').pluck(),
      anyObject: db.prepare('SELECT 1 FROM object_versions WHERE bucket_id = ? LIMIT 1').pluck(),
      anyUpload: db.prepare('SELECT 1 FROM uploads WHERE bucket_id = ? LIMIT 1').pluck(),
      bucketObjectBlobs: db
        .prepare('SELECT blob_id FROM object_versions WHERE bucket_id = ? AND blob_id IS NOT NULL')
        .pluck(),
      bucketSegmentBlobs: db
        .prepare(
          `SELECT s.blob_id FROM object_segments s JOIN object_versions v ON v.seq = s.object_seq
        WHERE v.bucket_id = ?`,
        )
        .pluck(),
      bucketPartBlobs: db
        .prepare(
          `SELECT p.blob_id FROM upload_parts p JOIN uploads u ON u.upload_id = p.upload_id
        WHERE u.bucket_id = ?`,
        )
        .pluck(),
      deleteBucketObjects: db.prepare('DELETE FROM object_versions WHERE bucket_id = ?'),
      deleteBucketUploads: db.prepare('DELETE FROM uploads WHERE bucket_id = ?'),
      objectStats: db.prepare(`SELECT COALESCE(SUM(size), 0) AS bytes, COALESCE(SUM(1 - is_delete_marker), 0) AS n
        FROM object_versions WHERE bucket_id = ?`),
      // Slices for background sampling: the key `maxRows` rows on (index only), then the sum up to it.
      statsBoundary: db
        .prepare('SELECT key FROM object_versions WHERE bucket_id = ? AND key > ? ORDER BY key LIMIT 1 OFFSET ?')
        .pluck(),
      statsUpTo: db.prepare(`SELECT COALESCE(SUM(size), 0) AS bytes, COALESCE(SUM(1 - is_delete_marker), 0) AS n
        FROM object_versions WHERE bucket_id = ? AND key > ? AND key <= ?`),
      statsRest: db.prepare(`SELECT COALESCE(SUM(size), 0) AS bytes, COALESCE(SUM(1 - is_delete_marker), 0) AS n
        FROM object_versions WHERE bucket_id = ? AND key > ?`),
      partStats: db.prepare(
        `SELECT COALESCE(SUM(p.size), 0) AS bytes, COUNT(p.upload_id) AS n FROM upload_parts p
        JOIN uploads u ON u.upload_id = p.upload_id WHERE u.bucket_id = ?`,
      ),
      referenced: db
        .prepare(
          `
        SELECT blob_id FROM object_versions WHERE blob_id IN (SELECT value FROM json_each(@ids))
        UNION SELECT blob_id FROM object_segments WHERE blob_id IN (SELECT value FROM json_each(@ids))
        UNION SELECT blob_id FROM upload_parts WHERE blob_id IN (SELECT value FROM json_each(@ids))`,
        )
        .pluck(),
    };
  }

  async getObject(
    bucketId: string,
    key: string,
    versionId: string | undefined,
    withSegments: boolean,
  ): Promise<ObjectRecord | undefined> {
    const k = keyBytes(key);
    const values = (
      versionId === undefined ? this.s.latestValues.get(bucketId, k) : this.s.versionValues.get(bucketId, k, versionId)
    ) as unknown[] | undefined;
    if (!values) return undefined;
    const row = rawVersionRow(values, bucketId, k);
    const o = toObject(row);
    if (withSegments && hasInlineBody(row)) {
      const body = this.s.inlineBody.get(row.seq) as Buffer | undefined;
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
      o.segments = (this.s.segments.all(row.seq) as SegmentRow[]).map((r) => {
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
    const k = keyBytes(obj.key);
    const freed: string[] = [];
    const blobId = single ? obj.segments[0].blobId : null;
    const partsCount = single ? 0 : obj.partsCount;
    const latest = this.s.latestHead.get(obj.bucketId, k) as HeadRow | undefined;
    let seq: number | bigint;
    if (latest && obj.versionId === NULL_VERSION && latest.version_id === NULL_VERSION) {
      // The latest version is the one replaced: rewrite its row in place (same seq, so it stays the
      // key's newest and the history and live index entries stay as they are).
      seq = latest.seq;
      this.replaceRow(latest, obj, blobId, partsCount, inline, freed);
    } else {
      if (latest && obj.versionId === NULL_VERSION) {
        const old = this.s.versionHead.get(obj.bucketId, k, NULL_VERSION) as HeadRow | undefined;
        if (old) this.removeRow(old, freed);
      }
      if (latest) this.s.setLatest.run(0, latest.seq);
      seq = this.s.insert.run(
        obj.bucketId,
        k,
        obj.versionId,
        obj.isDeleteMarker ? 1 : 0,
        blobId,
        ...versionValues(obj, partsCount),
      ).lastInsertRowid;
      if (inline) this.s.insertBody.run(seq, inline);
    }
    if (!inline && !single) {
      obj.segments.forEach((seg, i) => {
        this.s.insertSegment.run(seq, i, seg.blobId, seg.offset, seg.length, seg.partNumber, seg.checksum ?? null);
      });
    }
    return { freedBlobIds: freed };
  }

  async deleteVersion(
    bucketId: string,
    key: string,
    versionId: string,
  ): Promise<{ deleted?: ObjectRecord; freedBlobIds: string[] }> {
    const k = keyBytes(key);
    const row = this.s.version.get(bucketId, k, versionId) as VersionRow | undefined;
    if (!row) return { freedBlobIds: [] };
    const freed: string[] = [];
    this.removeRow(row, freed);
    if (row.is_latest === 1) {
      const next = this.s.latestHead.get(bucketId, k) as HeadRow | undefined;
      if (next) this.s.setLatest.run(1, next.seq);
    }
    return { deleted: toObject(row), freedBlobIds: freed };
  }

  async setObjectTags(bucketId: string, key: string, versionId: string, tags: Tag[]): Promise<boolean> {
    return (
      this.s.setTags.run(tags.length === 0 ? null : JSON.stringify(tags), bucketId, keyBytes(key), versionId).changes >
      0
    );
  }

  async setObjectAcl(bucketId: string, key: string, versionId: string, acl: CannedAcl): Promise<boolean> {
    return this.s.setAcl.run(acl, bucketId, keyBytes(key), versionId).changes > 0;
  }

  async listObjects(bucketId: string, q: ListObjectsQuery): Promise<ListObjectsPage> {
    return this.listings.listObjects(bucketId, q);
  }

  async listObjectVersions(bucketId: string, q: ListVersionsQuery): Promise<ListVersionsPage> {
    return this.listings.listObjectVersions(bucketId, q);
  }

  async insertUpload(u: UploadRecord): Promise<void> {
    this.uploads.insertUpload(u);
  }
  async getUpload(bucketId: string, key: string, uploadId: string): Promise<UploadRecord | undefined> {
    return this.uploads.getUpload(bucketId, key, uploadId);
  }
  async deleteUpload(uploadId: string): Promise<string[]> {
    return this.uploads.deleteUpload(uploadId);
  }
  async listUploads(bucketId: string, q: ListUploadsQuery): Promise<ListUploadsPage> {
    return this.uploads.listUploads(bucketId, q);
  }
  async putPart(p: PartRecord): Promise<{ freedBlobIds: string[] }> {
    return this.uploads.putPart(p);
  }
  async getParts(uploadId: string): Promise<PartRecord[]> {
    return this.uploads.getParts(uploadId);
  }
  async listParts(uploadId: string, partNumberMarker: number, maxParts: number): Promise<ListPartsPage> {
    return this.uploads.listParts(uploadId, partNumberMarker, maxParts);
  }

  async bucketExists(bucketId: string): Promise<boolean> {
    return this.s.bucketExists.get(bucketId) !== undefined;
  }

  async hasContents(bucketId: string): Promise<boolean> {
    return this.s.anyObject.get(bucketId) !== undefined || this.s.anyUpload.get(bucketId) !== undefined;
  }

  async hasObjects(bucketId: string): Promise<boolean> {
    return this.s.anyObject.get(bucketId) !== undefined;
  }

  async deleteAllInBucket(bucketId: string): Promise<string[]> {
    const blobs = [
      ...(this.s.bucketObjectBlobs.all(bucketId) as string[]),
      ...(this.s.bucketSegmentBlobs.all(bucketId) as string[]),
      ...(this.s.bucketPartBlobs.all(bucketId) as string[]),
    ];
    this.s.deleteBucketObjects.run(bucketId);
    this.s.deleteBucketUploads.run(bucketId);
    return blobs;
  }

  async bucketStats(bucketId: string): Promise<{ sizeBytes: number; objectCount: number }> {
    const o = this.s.objectStats.get(bucketId) as { bytes: number; n: number };
    // As AWS documents for NumberOfObjects (and BucketSizeBytes): the parts of unfinished uploads count.
    const parts = this.s.partStats.get(bucketId) as { bytes: number; n: number };
    return { sizeBytes: o.bytes + parts.bytes, objectCount: o.n + parts.n };
  }

  async bucketStatsSlice(bucketId: string, cursor: string | undefined, maxRows: number): Promise<BucketStatsSlice> {
    const after = cursor === undefined ? Buffer.alloc(0) : Buffer.from(cursor, 'hex');
    const parts =
      cursor === undefined ? (this.s.partStats.get(bucketId) as { bytes: number; n: number }) : { bytes: 0, n: 0 };
    const boundary = this.s.statsBoundary.get(bucketId, after, Math.max(1, maxRows) - 1) as Buffer | undefined;
    const o = (
      boundary === undefined ? this.s.statsRest.get(bucketId, after) : this.s.statsUpTo.get(bucketId, after, boundary)
    ) as { bytes: number; n: number };
    const slice: BucketStatsSlice = { sizeBytes: o.bytes + parts.bytes, objectCount: o.n + parts.n };
    if (boundary !== undefined) slice.cursor = boundary.toString('hex');
    return slice;
  }

  async referencedBlobIds(candidates: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < candidates.length; i += SWEEP_CHUNK) {
      const chunk = JSON.stringify(candidates.slice(i, i + SWEEP_CHUNK));
      for (const id of this.s.referenced.all({ ids: chunk }) as string[]) found.add(id);
    }
    return found;
  }

  /**
   * Rewrites the latest row `old` of a key with `obj` (the same 'null' version replaced), keeping its
   * seq, and collects the blobs `old` owned. Its inline body is updated, added or removed, its
   * segments removed (the caller inserts the new ones).
   */
  private replaceRow(
    old: HeadRow,
    obj: ObjectRecord,
    blobId: string | null,
    partsCount: number,
    inline: Buffer | undefined,
    freed: string[],
  ): void {
    if (old.blob_id !== null) freed.push(old.blob_id);
    else if (old.parts_count > 0) {
      freed.push(...(this.s.segmentBlobs.all(old.seq) as string[]));
      this.s.deleteSegments.run(old.seq);
    }
    const marker = obj.isDeleteMarker ? 1 : 0;
    const variant = replaceVariant(marker !== old.is_delete_marker, blobId !== null || old.blob_id !== null);
    const values = versionValues(obj, partsCount);
    if (variant & SETS_MARKER) values.push(marker);
    if (variant & SETS_BLOB) values.push(blobId);
    values.push(old.seq);
    this.replaceStatements[variant].run(values);
    const hadBody = hasInlineBody(old);
    if (inline) {
      if (hadBody) this.s.updateBody.run(inline, old.seq);
      else this.s.insertBody.run(old.seq, inline);
    } else if (hadBody) this.s.deleteBody.run(old.seq);
  }

  /** Deletes one version row (segments cascade) and collects the blobs it owned. */
  private removeRow(row: Pick<HeadRow, 'seq' | 'blob_id' | 'parts_count'>, freed: string[]): void {
    if (row.blob_id !== null) freed.push(row.blob_id);
    else if (row.parts_count > 0) freed.push(...(this.s.segmentBlobs.all(row.seq) as string[]));
    this.s.deleteSeq.run(row.seq);
  }
}

const SETS_MARKER = 1;
const SETS_BLOB = 2;
const replaceVariant = (marker: boolean, blob: boolean): number => (marker ? SETS_MARKER : 0) | (blob ? SETS_BLOB : 0);

/**
 * The UPDATE of replaceRow, one per variant: is_delete_marker (a column of the live index's WHERE)
 * and blob_id (the blob index's) are set only when they may change, since SQLite rewrites the
 * entries of every index whose columns an UPDATE names.
 */
function replaceStatements(db: Database.Database): Database.Statement[] {
  return [0, 1, 2, 3].map((variant) => {
    const cols: string[] = [...VERSION_WRITE_COLUMNS];
    if (variant & SETS_MARKER) cols.push('is_delete_marker');
    if (variant & SETS_BLOB) cols.push('blob_id');
    return db.prepare(`UPDATE object_versions SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE seq = ?`);
  });
}
