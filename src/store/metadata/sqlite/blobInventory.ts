import Database from 'better-sqlite3';

/** What the metadata says about one use of a blob (or an inline body), for `sailbucket verify`. */
export interface BlobUse {
  /** Absent for a body kept inline in the database. */
  blobId?: string;
  /** Human-readable owner: `bucket/key (version v)`, `bucket/key (upload u, part n)`. */
  where: string;
  /** The bytes of the use: the whole blob, or [offset, offset + length) of it (a multipart segment). */
  offset: number;
  length: number;
  /** The use covers the whole blob, so the blob's size must equal `length`. */
  wholeBlob: boolean;
  /** Hex MD5 the bytes must have (from a plain ETag), when the metadata implies one. */
  md5?: string;
  /** A stored checksum over exactly these bytes. */
  checksum?: { algorithm: string; value: string };
  /** The inline body (only for inline uses). */
  inline?: Buffer;
}

const plainEtag = (etag: string): string | undefined => /^"?([0-9a-f]{32})"?$/.exec(etag)?.[1];

/**
 * A read-only view of the object index, for verify and backup: opened on its own connection and held
 * in one read transaction, so everything it reports is one snapshot of the metadata (rows committed
 * later are not seen). Rows are streamed with iterators; memory does not grow with the index.
 */
export class BlobInventory {
  private readonly db: Database.Database;
  private readonly referenced: Database.Statement<{ ids: string }, string>;

  /** `writable`: for a copy nobody else uses (a backup), so closing it also removes its WAL files. */
  constructor(path: string, opts: { writable?: boolean } = {}) {
    this.db = new Database(path, { readonly: !opts.writable, fileMustExist: true });
    this.db.pragma('busy_timeout = 5000');
    this.referenced = this.db
      .prepare<{ ids: string }, string>(
        `SELECT blob_id FROM object_versions WHERE blob_id IN (SELECT value FROM json_each(@ids))
         UNION SELECT blob_id FROM object_segments WHERE blob_id IN (SELECT value FROM json_each(@ids))
         UNION SELECT blob_id FROM upload_parts WHERE blob_id IN (SELECT value FROM json_each(@ids))`,
      )
      .pluck();
    this.db.exec('BEGIN');
    // The snapshot starts with the first read of the transaction.
    this.db.prepare('SELECT count(*) FROM object_versions').get();
  }

  /** Distinct blob ids the snapshot references, in id order. */
  *blobIds(): Generator<string> {
    yield* this.db
      .prepare<[], string>(
        `SELECT blob_id FROM object_versions WHERE blob_id IS NOT NULL
         UNION SELECT blob_id FROM object_segments UNION SELECT blob_id FROM upload_parts ORDER BY 1`,
      )
      .pluck()
      .iterate();
  }

  /** How many distinct blobs the snapshot references. */
  countBlobs(): number {
    return this.db
      .prepare<[], number>(
        `SELECT count(*) FROM (SELECT blob_id FROM object_versions WHERE blob_id IS NOT NULL
         UNION SELECT blob_id FROM object_segments UNION SELECT blob_id FROM upload_parts)`,
      )
      .pluck()
      .get()!;
  }

  /** Of `ids`, those the snapshot references. */
  referencedOf(ids: readonly string[]): Set<string> {
    return new Set(this.referenced.all({ ids: JSON.stringify(ids) }));
  }

  /** Every use of a blob or inline body the snapshot records, with what the bytes must be. */
  *uses(): Generator<BlobUse> {
    const owner = (bucket: string | null, key: Buffer, extra: string) =>
      `${bucket ?? '(deleted bucket)'}/${key.toString('utf8')} (${extra})`;
    for (const r of this.db
      .prepare<
        [],
        {
          bucket: string | null;
          key: Buffer;
          version_id: string;
          size: number;
          etag: string;
          checksum_algorithm: string | null;
          checksum_value: string | null;
          checksum_type: string | null;
          blob_id: string | null;
          body: Buffer | null;
        }
      >(
        `SELECT b.name AS bucket, v.key, v.version_id, v.size, v.etag, v.checksum_algorithm, v.checksum_value,
           v.checksum_type, v.blob_id, o.body
         FROM object_versions v LEFT JOIN buckets b ON b.id = v.bucket_id
           LEFT JOIN object_bodies o ON o.object_seq = v.seq
         WHERE v.blob_id IS NOT NULL OR o.body IS NOT NULL ORDER BY v.seq`,
      )
      .iterate()) {
      const fullChecksum =
        r.checksum_algorithm && r.checksum_value && r.checksum_type !== 'COMPOSITE'
          ? { algorithm: r.checksum_algorithm, value: r.checksum_value }
          : undefined;
      const md5 = plainEtag(r.etag);
      yield {
        ...(r.blob_id !== null ? { blobId: r.blob_id } : { inline: r.body! }),
        where: owner(r.bucket, r.key, `version ${r.version_id}`),
        offset: 0,
        length: r.size,
        wholeBlob: true,
        ...(md5 ? { md5 } : {}),
        ...(fullChecksum ? { checksum: fullChecksum } : {}),
      };
    }
    for (const r of this.db
      .prepare<
        [],
        {
          bucket: string | null;
          key: Buffer;
          version_id: string;
          blob_id: string;
          blob_offset: number;
          length: number;
          part_number: number;
          checksum_value: string | null;
          checksum_algorithm: string | null;
        }
      >(
        `SELECT b.name AS bucket, v.key, v.version_id, s.blob_id, s.blob_offset, s.length, s.part_number,
           s.checksum_value, v.checksum_algorithm
         FROM object_segments s JOIN object_versions v ON v.seq = s.object_seq
           LEFT JOIN buckets b ON b.id = v.bucket_id ORDER BY s.object_seq, s.idx`,
      )
      .iterate()) {
      yield {
        blobId: r.blob_id,
        where: owner(r.bucket, r.key, `version ${r.version_id}, part ${r.part_number}`),
        offset: r.blob_offset,
        length: r.length,
        wholeBlob: false,
        ...(r.checksum_algorithm && r.checksum_value
          ? { checksum: { algorithm: r.checksum_algorithm, value: r.checksum_value } }
          : {}),
      };
    }
    for (const r of this.db
      .prepare<
        [],
        {
          bucket: string | null;
          key: Buffer;
          upload_id: string;
          part_number: number;
          blob_id: string;
          size: number;
          etag: string;
          checksum_algorithm: string | null;
          checksum_value: string | null;
        }
      >(
        `SELECT b.name AS bucket, u.key, p.upload_id, p.part_number, p.blob_id, p.size, p.etag, p.checksum_algorithm,
           p.checksum_value
         FROM upload_parts p JOIN uploads u ON u.upload_id = p.upload_id LEFT JOIN buckets b ON b.id = u.bucket_id
         ORDER BY p.upload_id, p.part_number`,
      )
      .iterate()) {
      const md5 = plainEtag(r.etag);
      yield {
        blobId: r.blob_id,
        where: owner(r.bucket, r.key, `upload ${r.upload_id}, part ${r.part_number}`),
        offset: 0,
        length: r.size,
        wholeBlob: true,
        ...(md5 ? { md5 } : {}),
        ...(r.checksum_algorithm && r.checksum_value
          ? { checksum: { algorithm: r.checksum_algorithm, value: r.checksum_value } }
          : {}),
      };
    }
  }

  close(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }
}
