import type { Migration } from '../migrations.js';

/**
 * Object-index tables (versions 100+). Owned by the S3 storage work.
 *
 * Keys are BLOBs holding the raw UTF-8 bytes, so SQLite compares them with memcmp: the order S3
 * lists keys in, and prefix scans are index ranges [prefix, successor(prefix)).
 *
 * object_versions holds every version and delete marker; `seq` grows with every insert, so a
 * key's latest version is always its highest seq. A single-blob body sits in `blob_id`; a body made
 * of several blobs (completed multipart uploads) sits in object_segments, in order.
 * Indexes: history (bucket, key, seq DESC) for lookups and ListObjectVersions; `live` (partial,
 * latest non-delete-marker rows only) for ListObjects, so delete markers and old versions never
 * cost a listing anything; blob ids for the orphan sweep. From 104, `listing` (the same rows,
 * carrying every column a listing shows) is what ListObjects reads; `live` keeps enforcing one
 * latest row per key. From 105, `listing_rows` replaces `listing`: the same rows carrying each
 * row's listing text as an indexed expression.
 */
export const objectIndexMigrations: Migration[] = [
  {
    version: 100,
    name: 'object index: object versions, segments, multipart uploads, parts',
    sql: `
CREATE TABLE object_versions (
  seq                 INTEGER PRIMARY KEY,
  bucket_id           TEXT NOT NULL,
  key                 BLOB NOT NULL,
  version_id          TEXT NOT NULL,
  is_latest           INTEGER NOT NULL,
  is_delete_marker    INTEGER NOT NULL,
  size                INTEGER NOT NULL,
  etag                TEXT NOT NULL,
  last_modified       INTEGER NOT NULL,
  content_type        TEXT,
  cache_control       TEXT,
  content_disposition TEXT,
  content_encoding    TEXT,
  content_language    TEXT,
  expires             TEXT,
  user_metadata       TEXT,
  checksum_algorithm  TEXT,
  checksum_value      TEXT,
  checksum_type       TEXT,
  storage_class       TEXT NOT NULL,
  acl                 TEXT NOT NULL,
  tags                TEXT,
  blob_id             TEXT,
  parts_count         INTEGER NOT NULL
);
CREATE INDEX object_versions_history ON object_versions (bucket_id, key, seq DESC);
CREATE UNIQUE INDEX object_versions_live ON object_versions (bucket_id, key)
  WHERE is_latest = 1 AND is_delete_marker = 0;
CREATE INDEX object_versions_blob ON object_versions (blob_id) WHERE blob_id IS NOT NULL;

CREATE TABLE object_segments (
  object_seq   INTEGER NOT NULL REFERENCES object_versions (seq) ON DELETE CASCADE,
  idx          INTEGER NOT NULL,
  blob_id      TEXT NOT NULL,
  blob_offset  INTEGER NOT NULL,
  length       INTEGER NOT NULL,
  part_number  INTEGER NOT NULL,
  PRIMARY KEY (object_seq, idx)
) WITHOUT ROWID;
CREATE INDEX object_segments_blob ON object_segments (blob_id);

CREATE TABLE uploads (
  seq                 INTEGER PRIMARY KEY,
  upload_id           TEXT NOT NULL UNIQUE,
  bucket_id           TEXT NOT NULL,
  key                 BLOB NOT NULL,
  initiated           INTEGER NOT NULL,
  content_type        TEXT,
  cache_control       TEXT,
  content_disposition TEXT,
  content_encoding    TEXT,
  content_language    TEXT,
  expires             TEXT,
  user_metadata       TEXT,
  storage_class       TEXT NOT NULL,
  acl                 TEXT NOT NULL,
  tags                TEXT,
  checksum_algorithm  TEXT,
  checksum_type       TEXT
);
CREATE INDEX uploads_by_key ON uploads (bucket_id, key, seq);

CREATE TABLE upload_parts (
  upload_id          TEXT NOT NULL REFERENCES uploads (upload_id) ON DELETE CASCADE,
  part_number        INTEGER NOT NULL CHECK (part_number BETWEEN 1 AND 10000),
  blob_id            TEXT NOT NULL,
  size               INTEGER NOT NULL,
  etag               TEXT NOT NULL,
  checksum_algorithm TEXT,
  checksum_value     TEXT,
  last_modified      INTEGER NOT NULL,
  PRIMARY KEY (upload_id, part_number)
) WITHOUT ROWID;
CREATE INDEX upload_parts_blob ON upload_parts (blob_id);
`,
  },
  {
    version: 101,
    name: 'object index: checksum of each segment (the part checksum of multipart objects)',
    sql: 'ALTER TABLE object_segments ADD COLUMN checksum_value TEXT;',
  },
  {
    // A version row with no blob_id, no parts and not a delete marker keeps its body here (empty
    // bodies have no row). A side table keeps object_versions rows (and listings) small; the body
    // goes with its row (ON DELETE CASCADE), so every path that removes rows frees it.
    version: 102,
    name: 'object index: small bodies kept inline, beside their version row',
    sql: `CREATE TABLE object_bodies (
  object_seq INTEGER PRIMARY KEY REFERENCES object_versions (seq) ON DELETE CASCADE,
  body       BLOB NOT NULL
);`,
  },
  {
    // ListObjects reads key, size, ETag, date, storage class and checksum of up to 1001 rows per
    // page: from the index alone, without a table lookup per row (built here on existing databases).
    version: 104,
    name: 'object index: covering index of live rows for ListObjects',
    sql: `CREATE INDEX object_versions_listing ON object_versions
  (bucket_id, key, size, etag, last_modified, storage_class, checksum_algorithm, checksum_type)
  WHERE is_latest = 1 AND is_delete_marker = 0;`,
  },
  {
    // The listing index with each row's text (`size,lastModified,etag[ class algorithm type],`, see
    // objectIndex/listings.ts) stored as an indexed expression in place of the separate columns:
    // SQLite reads the value from the index instead of evaluating the concatenation for every row
    // of every page (the larger part of a page's SQL cost); each write evaluates it once.
    version: 105,
    name: 'object index: listing index carrying each live row as one text',
    sql: `CREATE INDEX object_versions_listing_rows ON object_versions (bucket_id, key, (size || ',' || last_modified || ',' ||
  CASE WHEN storage_class = 'STANDARD' AND checksum_algorithm IS NULL AND checksum_type IS NULL THEN etag
  ELSE etag || ' ' || storage_class || ' ' || ifnull(checksum_algorithm, '') || ' ' || ifnull(checksum_type, '') END || ','))
  WHERE is_latest = 1 AND is_delete_marker = 0;
DROP INDEX object_versions_listing;`,
  },
];
