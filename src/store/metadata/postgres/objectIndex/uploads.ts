import type { PartRecord, UploadRecord } from '../../../../domain/ports/objectRecords.js';
import type { ListPartsPage, ListUploadsPage, ListUploadsQuery } from '../../../../domain/ports/ObjectIndexRepo.js';
import { keyBytes } from '../../keyWalk.js';
import { jsonOrNull, toPart, toUpload, type PartRow, type UploadRow } from '../../objectRows.js';
import { one, rows, stmt, type Conn } from '../sql.js';
import { walkWithMarkersAsync } from './walk.js';

const uploadRange = (op: '>=' | '>') =>
  stmt(`SELECT * FROM uploads WHERE bucket_id = $1 AND key ${op} $2 AND key < $3 ORDER BY key, seq LIMIT $4`);

const S = {
  insert: stmt(`INSERT INTO uploads (upload_id, bucket_id, key, initiated, content_type, cache_control,
    content_disposition, content_encoding, content_language, expires, user_metadata, storage_class, acl, tags,
    checksum_algorithm, checksum_type) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`),
  byId: stmt('SELECT * FROM uploads WHERE upload_id = $1'),
  partBlobs: stmt('SELECT blob_id FROM upload_parts WHERE upload_id = $1'),
  remove: stmt('DELETE FROM uploads WHERE upload_id = $1'),
  onePart: stmt('SELECT blob_id FROM upload_parts WHERE upload_id = $1 AND part_number = $2'),
  upsertPart: stmt(`INSERT INTO upload_parts (upload_id, part_number, blob_id, size, etag, checksum_algorithm,
    checksum_value, last_modified) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (upload_id, part_number) DO UPDATE SET blob_id = excluded.blob_id, size = excluded.size,
    etag = excluded.etag, checksum_algorithm = excluded.checksum_algorithm, checksum_value = excluded.checksum_value,
    last_modified = excluded.last_modified`),
  allParts: stmt('SELECT * FROM upload_parts WHERE upload_id = $1 ORDER BY part_number'),
  partsAfter: stmt(
    'SELECT * FROM upload_parts WHERE upload_id = $1 AND part_number > $2 ORDER BY part_number LIMIT $3',
  ),
  sameKeyAfter: stmt('SELECT * FROM uploads WHERE bucket_id = $1 AND key = $2 AND seq > $3 ORDER BY seq LIMIT $4'),
  rangeGe: uploadRange('>='),
  rangeGt: uploadRange('>'),
};

/** Multipart uploads and their parts. */
export class PgUploads {
  constructor(private readonly c: Conn) {}

  async insertUpload(u: UploadRecord): Promise<void> {
    const c = u.content;
    await rows(this.c, S.insert, [
      u.uploadId,
      u.bucketId,
      keyBytes(u.key),
      u.initiated,
      c.contentType ?? null,
      c.cacheControl ?? null,
      c.contentDisposition ?? null,
      c.contentEncoding ?? null,
      c.contentLanguage ?? null,
      c.expires ?? null,
      jsonOrNull(u.userMetadata),
      u.storageClass,
      u.acl,
      u.tags.length === 0 ? null : JSON.stringify(u.tags),
      u.checksumAlgorithm ?? null,
      u.checksumType ?? null,
    ]);
  }

  async getUpload(bucketId: string, key: string, uploadId: string): Promise<UploadRecord | undefined> {
    const row = await one<UploadRow>(this.c, S.byId, [uploadId]);
    if (!row || row.bucket_id !== bucketId || !row.key.equals(keyBytes(key))) return undefined;
    return toUpload(row);
  }

  async deleteUpload(uploadId: string): Promise<string[]> {
    const blobs = (await rows<{ blob_id: string }>(this.c, S.partBlobs, [uploadId])).map((r) => r.blob_id);
    await rows(this.c, S.remove, [uploadId]);
    return blobs;
  }

  async putPart(p: PartRecord): Promise<{ freedBlobIds: string[] }> {
    const old = (await one<{ blob_id: string }>(this.c, S.onePart, [p.uploadId, p.partNumber]))?.blob_id;
    await rows(this.c, S.upsertPart, [
      p.uploadId,
      p.partNumber,
      p.blobId,
      p.size,
      p.etag,
      p.checksum?.algorithm ?? null,
      p.checksum?.value ?? null,
      p.lastModified,
    ]);
    return { freedBlobIds: old !== undefined && old !== p.blobId ? [old] : [] };
  }

  async getParts(uploadId: string): Promise<PartRecord[]> {
    return (await rows<PartRow>(this.c, S.allParts, [uploadId])).map(toPart);
  }

  async listParts(uploadId: string, marker: number, maxParts: number): Promise<ListPartsPage> {
    const found = (await rows<PartRow>(this.c, S.partsAfter, [uploadId, marker, maxParts + 1])).map(toPart);
    const isTruncated = found.length > maxParts;
    const parts = found.slice(0, maxParts);
    const page: ListPartsPage = { parts, isTruncated };
    if (isTruncated && parts.length > 0) page.nextPartNumberMarker = parts[parts.length - 1].partNumber;
    return page;
  }

  async listUploads(bucketId: string, q: ListUploadsQuery): Promise<ListUploadsPage> {
    const w = await walkWithMarkersAsync<UploadRow>({
      prefix: q.prefix,
      ...(q.delimiter ? { delimiter: q.delimiter } : {}),
      max: q.maxUploads,
      ...(q.keyMarker !== undefined ? { keyMarker: q.keyMarker } : {}),
      ...(q.uploadIdMarker !== undefined ? { secondMarker: q.uploadIdMarker } : {}),
      restOfMarkerKey: async (key, uploadId, limit) => {
        const m = await one<UploadRow>(this.c, S.byId, [uploadId]);
        if (!m || m.bucket_id !== bucketId || !m.key.equals(keyBytes(key))) return undefined;
        return rows<UploadRow>(this.c, S.sameKeyAfter, [bucketId, m.key, m.seq, limit]);
      },
      fetch: (from, upper, limit) =>
        rows<UploadRow>(this.c, from.inclusive ? S.rangeGe : S.rangeGt, [bucketId, from.key, upper, limit]),
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
