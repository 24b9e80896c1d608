import type { PgMigration } from '../migrations.js';

/**
 * Control-plane tables in PostgreSQL (versions 1..99, as in the SQLite store; the object index owns
 * 100..999, the cluster tables 1000+). The same columns and constraints as SQLite's: bucket fields
 * read and written whole are JSON text; at most two keys per bucket is a slot 0 or 1 with
 * UNIQUE (bucket_id, slot). Times are epoch milliseconds (BIGINT).
 */
export const pgControlPlaneMigrations: PgMigration[] = [
  {
    version: 1,
    name: 'control plane: buckets, access keys, operations, metric samples',
    sql: `
CREATE TABLE buckets (
  id                       TEXT PRIMARY KEY,
  account_id               TEXT NOT NULL,
  region                   TEXT NOT NULL,
  name                     TEXT COLLATE "C" NOT NULL,
  bundle_id                TEXT NOT NULL,
  created_at               BIGINT NOT NULL,
  object_versioning        TEXT NOT NULL CHECK (object_versioning IN ('NeverEnabled', 'Enabled', 'Suspended')),
  access_rules             TEXT NOT NULL,
  readonly_access_accounts TEXT NOT NULL,
  access_log_config        TEXT NOT NULL,
  cors                     TEXT NOT NULL,
  bundle_changed_at        BIGINT,
  tags                     TEXT NOT NULL,
  CONSTRAINT bucket_name_unique UNIQUE (name)
);
CREATE INDEX buckets_by_account_region_name ON buckets (account_id, region, name);

CREATE TABLE access_keys (
  access_key_id     TEXT PRIMARY KEY,
  bucket_id         TEXT NOT NULL REFERENCES buckets (id) ON DELETE CASCADE,
  slot              SMALLINT NOT NULL CHECK (slot IN (0, 1)),
  account_id        TEXT NOT NULL,
  sealed_secret     TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  created_at        BIGINT NOT NULL,
  last_used_date    BIGINT,
  last_used_region  TEXT,
  last_used_service TEXT,
  CONSTRAINT access_key_limit UNIQUE (bucket_id, slot)
);

CREATE TABLE operations (
  seq               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
  account_id        TEXT NOT NULL,
  region            TEXT NOT NULL,
  resource_name     TEXT NOT NULL,
  resource_type     TEXT NOT NULL,
  operation_type    TEXT NOT NULL,
  status            TEXT NOT NULL,
  is_terminal       SMALLINT NOT NULL,
  created_at        BIGINT NOT NULL,
  status_changed_at BIGINT NOT NULL,
  operation_details TEXT,
  error_code        TEXT,
  error_details     TEXT
);
CREATE INDEX operations_by_account_region ON operations (account_id, region, created_at, seq);
CREATE INDEX operations_by_resource ON operations (account_id, region, resource_name, created_at, seq);

CREATE TABLE metric_samples (
  bucket_id         TEXT NOT NULL REFERENCES buckets (id) ON DELETE CASCADE,
  timestamp         BIGINT NOT NULL,
  bucket_size_bytes BIGINT NOT NULL,
  number_of_objects BIGINT NOT NULL,
  PRIMARY KEY (bucket_id, timestamp)
);
CREATE INDEX metric_samples_by_time ON metric_samples (timestamp);
`,
  },
  {
    version: 3,
    name: 'control plane: S3 lifecycle rules of a bucket',
    sql: `ALTER TABLE buckets ADD COLUMN lifecycle TEXT NOT NULL DEFAULT '[]';`,
  },
];
