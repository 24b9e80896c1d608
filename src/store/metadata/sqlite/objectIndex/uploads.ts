import type Database from 'better-sqlite3';
import type { PartRecord, UploadRecord } from '../../../../domain/ports/objectRecords.js';
import type { ListPartsPage, ListUploadsPage, ListUploadsQuery } from '../../../../domain/ports/ObjectIndexRepo.js';
import { keyBytes } from '../../keyWalk.js';
import { walkWithMarkers } from './markerWalk.js';
import { contentParams, jsonOrNull, toPart, toUpload, type PartRow, type UploadRow } from '../../objectRows.js';
import { RangeScan } from './scan.js';

/** Multipart uploads and their parts (statements prepared once per connection). */
export class SqliteUploads {
  private readonly insert: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly partBlobs: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly onePart: Database.Statement;
  private readonly upsertPart: Database.Statement;
  private readonly allParts: Database.Statement;
  private readonly partsAfter: Database.Statement;
  private readonly sameKeyAfter: Database.Statement;
  private readonly scan: RangeScan<UploadRow>;

  constructor(db: Database.Database) {
    this.insert = db.prepare(`INSERT INTO uploads (upload_id, bucket_id, key, initiated, content_type, cache_control,
      content_disposition, content_encoding, content_language, expires, user_metadata, storage_class, acl, tags,
      checksum_algorithm, checksum_type) VALUES (@upload_id, @bucket_id, @key, @initiated, @content_type, @cache_control,
      @content_disposition, @content_encoding, @content_language, @expires, @user_metadata, @storage_class, @acl, @tags,
      @checksum_algorithm, @checksum_type)`);
    this.byId = db.prepare('SELECT * FROM uploads WHERE upload_id = ?');
    this.partBlobs = db.prepare('SELECT blob_id FROM upload_parts WHERE upload_id = ?').pluck();
    this.remove = db.prepare('DELETE FROM uploads WHERE upload_id = ?');
    this.onePart = db.prepare('SELECT blob_id FROM upload_parts WHERE upload_id = ? AND part_number = ?').pluck();
    this.upsertPart =
      db.prepare(`INSERT INTO upload_parts (upload_id, part_number, blob_id, size, etag, checksum_algorithm,
      checksum_value, last_modified) VALUES (@upload_id, @part_number, @blob_id, @size, @etag, @checksum_algorithm,
      @checksum_value, @last_modified)
      ON CONFLICT (upload_id, part_number) DO UPDATE SET blob_id = excluded.blob_id, size = excluded.size,
      etag = excluded.etag, checksum_algorithm = excluded.checksum_algorithm, checksum_value = excluded.checksum_value,
      last_modified = excluded.last_modified`);
    this.allParts = db.prepare('SELECT * FROM upload_parts WHERE upload_id = ? ORDER BY part_number');
    this.partsAfter = db.prepare(
      'SELECT * FROM upload_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?',
    );
    this.sameKeyAfter = db.prepare(
      'SELECT * FROM uploads WHERE bucket_id = ? AND key = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.scan = new RangeScan<UploadRow>(db, '*', 'uploads', 'bucket_id = ?', 'key, seq');
  }

  insertUpload(u: UploadRecord): void {
    this.insert.run({
      upload_id: u.uploadId,
      bucket_id: u.bucketId,
      key: keyBytes(u.key),
      initiated: u.initiated,
      ...contentParams(u.content),
      user_metadata: jsonOrNull(u.userMetadata),
      storage_class: u.storageClass,
      acl: u.acl,
      tags: u.tags.length === 0 ? null : JSON.stringify(u.tags),
      checksum_algorithm: u.checksumAlgorithm ?? null,
      checksum_type: u.checksumType ?? null,
    });
  }

  getUpload(bucketId: string, key: string, uploadId: string): UploadRecord | undefined {
    const row = this.byId.get(uploadId) as UploadRow | undefined;
    if (!row || row.bucket_id !== bucketId || !row.key.equals(keyBytes(key))) return undefined;
    return toUpload(row);
  }

  deleteUpload(uploadId: string): string[] {
    const blobs = this.partBlobs.all(uploadId) as string[];
    this.remove.run(uploadId);
    return blobs;
  }

  putPart(p: PartRecord): { freedBlobIds: string[] } {
    const old = this.onePart.get(p.uploadId, p.partNumber) as string | undefined;
    this.upsertPart.run({
      upload_id: p.uploadId,
      part_number: p.partNumber,
      blob_id: p.blobId,
      size: p.size,
      etag: p.etag,
      checksum_algorithm: p.checksum?.algorithm ?? null,
      checksum_value: p.checksum?.value ?? null,
      last_modified: p.lastModified,
    });
    return { freedBlobIds: old !== undefined && old !== p.blobId ? [old] : [] };
  }

  getParts(uploadId: string): PartRecord[] {
    return (this.allParts.all(uploadId) as PartRow[]).map(toPart);
  }

  listParts(uploadId: string, marker: number, maxParts: number): ListPartsPage {
    const rows = (this.partsAfter.all(uploadId, marker, maxParts + 1) as PartRow[]).map(toPart);
    const isTruncated = rows.length > maxParts;
    const parts = rows.slice(0, maxParts);
    const page: ListPartsPage = { parts, isTruncated };
    if (isTruncated && parts.length > 0) page.nextPartNumberMarker = parts[parts.length - 1].partNumber;
    return page;
  }

  listUploads(bucketId: string, q: ListUploadsQuery): ListUploadsPage {
    const w = walkWithMarkers<UploadRow>({
      prefix: q.prefix,
      ...(q.delimiter ? { delimiter: q.delimiter } : {}),
      max: q.maxUploads,
      ...(q.keyMarker !== undefined ? { keyMarker: q.keyMarker } : {}),
      ...(q.uploadIdMarker !== undefined ? { secondMarker: q.uploadIdMarker } : {}),
      // The rest of the marker key's uploads, after upload-id-marker.
      restOfMarkerKey: (key, uploadId, limit) => {
        const m = this.byId.get(uploadId) as UploadRow | undefined;
        if (!m || m.bucket_id !== bucketId || !m.key.equals(keyBytes(key))) return undefined;
        return this.sameKeyAfter.all(bucketId, m.key, m.seq, limit) as UploadRow[];
      },
      fetch: (from, upper, limit) => this.scan.rows(bucketId, from, upper, limit),
      keyOf: (r) => r.key,
      secondOf: (r) => r.upload_id,
    });
    const page: ListUploadsPage = {
      uploads: w.rows.map(toUpload),
      commonPrefixes: w.prefixes,
      isTruncated: w.truncated,
      rowsRead: w.rowsRead,
    };
    if (w.nextKeyMarker !== undefined) page.nextKeyMarker = w.nextKeyMarker;
    if (w.nextSecondMarker !== undefined) page.nextUploadIdMarker = w.nextSecondMarker;
    return page;
  }
}
