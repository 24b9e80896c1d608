import type { PgMigration } from '../migrations.js';

/**
 * Object-index tables in PostgreSQL (versions 100..999): the SQLite layout (see
 * src/store/metadata/sqlite/schema/objectIndex.ts) with its migrations folded into one. Keys are
 * BYTEA holding the raw UTF-8 bytes, which PostgreSQL compares bytewise: the order S3 lists keys in.
 * Flags are SMALLINT 0/1 so rows read the same as SQLite's.
 */
export const pgObjectIndexMigrations: PgMigration[] = [
  {
    version: 100,
    name: 'object index: object versions, segments, inline bodies, multipart uploads, parts',
    sql: `
CREATE TABLE object_versions (
  seq                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bucket_id           TEXT NOT NULL,
  key                 BYTEA NOT NULL,
  version_id          TEXT NOT NULL,
  is_latest           SMALLINT NOT NULL,
  is_delete_marker    SMALLINT NOT NULL,
  size                BIGINT NOT NULL,
  etag                TEXT NOT NULL,
  last_modified       BIGINT NOT NULL,
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
  object_seq     BIGINT NOT NULL REFERENCES object_versions (seq) ON DELETE CASCADE,
  idx            INTEGER NOT NULL,
  blob_id        TEXT NOT NULL,
  blob_offset    BIGINT NOT NULL,
  length         BIGINT NOT NULL,
  part_number    INTEGER NOT NULL,
  checksum_value TEXT,
  PRIMARY KEY (object_seq, idx)
);
CREATE INDEX object_segments_blob ON object_segments (blob_id);

CREATE TABLE object_bodies (
  object_seq BIGINT PRIMARY KEY REFERENCES object_versions (seq) ON DELETE CASCADE,
  body       BYTEA NOT NULL
);

CREATE TABLE uploads (
  seq                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  upload_id           TEXT NOT NULL UNIQUE,
  bucket_id           TEXT NOT NULL,
  key                 BYTEA NOT NULL,
  initiated           BIGINT NOT NULL,
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
  size               BIGINT NOT NULL,
  etag               TEXT NOT NULL,
  checksum_algorithm TEXT,
  checksum_value     TEXT,
  last_modified      BIGINT NOT NULL,
  PRIMARY KEY (upload_id, part_number)
);
CREATE INDEX upload_parts_blob ON upload_parts (blob_id);
`,
  },
  {
    version: 101,
    name: 'object index: object rows and uploads reference their bucket',
    // Object writes run under READ COMMITTED (docs/architecture.md, "PostgreSQL isolation"): these
    // keys stop a bucket deletion and a racing write from both committing. A write into a deleted
    // bucket fails (and is run again, then answered NoSuchBucket); a deletion that missed a row
    // written meanwhile fails with a serialization failure (and is run again, and sees it). NOT
    // VALID: rows already there are not checked (SERIALIZABLE kept them consistent), new ones are.
    sql: `
ALTER TABLE object_versions ADD CONSTRAINT object_versions_bucket
  FOREIGN KEY (bucket_id) REFERENCES buckets (id) NOT VALID;
ALTER TABLE uploads ADD CONSTRAINT uploads_bucket
  FOREIGN KEY (bucket_id) REFERENCES buckets (id) NOT VALID;
`,
  },
];
