import type { Migration } from '../migrations.js';

/**
 * Control-plane tables (versions 1..99; the object index owns 100+).
 * Bucket fields that are read and written whole (access rules, CORS, tags, ...) are JSON columns.
 * "At most two keys per bucket" is enforced by the repo inside the inserting transaction AND by
 * the schema: every key takes a slot 0 or 1, and (bucket_id, slot) is unique, so a third key
 * cannot exist even if a caller skips the count.
 */
export const controlPlaneMigrations: Migration[] = [
  {
    version: 1,
    name: 'control plane: buckets, access keys, operations, metric samples',
    sql: `
CREATE TABLE buckets (
  id                       TEXT PRIMARY KEY,
  account_id               TEXT NOT NULL,
  region                   TEXT NOT NULL,
  name                     TEXT NOT NULL,
  bundle_id                TEXT NOT NULL,
  created_at               INTEGER NOT NULL,
  object_versioning        TEXT NOT NULL CHECK (object_versioning IN ('NeverEnabled', 'Enabled', 'Suspended')),
  access_rules             TEXT NOT NULL,
  readonly_access_accounts TEXT NOT NULL,
  access_log_config        TEXT NOT NULL,
  cors                     TEXT NOT NULL,
  bundle_changed_at        INTEGER,
  tags                     TEXT NOT NULL,
  CONSTRAINT bucket_name_unique UNIQUE (name)
);
CREATE INDEX buckets_by_account_region_name ON buckets (account_id, region, name);

CREATE TABLE access_keys (
  access_key_id     TEXT PRIMARY KEY,
  bucket_id         TEXT NOT NULL REFERENCES buckets (id) ON DELETE CASCADE,
  slot              INTEGER NOT NULL CHECK (slot IN (0, 1)),
  account_id        TEXT NOT NULL,
  sealed_secret     TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  created_at        INTEGER NOT NULL,
  last_used_date    INTEGER,
  last_used_region  TEXT,
  last_used_service TEXT,
  CONSTRAINT access_key_limit UNIQUE (bucket_id, slot)
);

CREATE TABLE operations (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  id                TEXT NOT NULL UNIQUE,
  account_id        TEXT NOT NULL,
  region            TEXT NOT NULL,
  resource_name     TEXT NOT NULL,
  resource_type     TEXT NOT NULL,
  operation_type    TEXT NOT NULL,
  status            TEXT NOT NULL,
  is_terminal       INTEGER NOT NULL,
  created_at        INTEGER NOT NULL,
  status_changed_at INTEGER NOT NULL,
  operation_details TEXT,
  error_code        TEXT,
  error_details     TEXT
);
CREATE INDEX operations_by_account_region ON operations (account_id, region, created_at, seq);
CREATE INDEX operations_by_resource ON operations (account_id, region, resource_name, created_at, seq);

CREATE TABLE metric_samples (
  bucket_id         TEXT NOT NULL REFERENCES buckets (id) ON DELETE CASCADE,
  timestamp         INTEGER NOT NULL,
  bucket_size_bytes INTEGER NOT NULL,
  number_of_objects INTEGER NOT NULL,
  PRIMARY KEY (bucket_id, timestamp)
);
`,
  },
  {
    version: 2,
    name: 'control plane: metric samples by time, for retention',
    sql: `CREATE INDEX metric_samples_by_time ON metric_samples (timestamp);`,
  },
  {
    version: 3,
    name: 'control plane: S3 lifecycle rules of a bucket',
    sql: `ALTER TABLE buckets ADD COLUMN lifecycle TEXT NOT NULL DEFAULT '[]';`,
  },
];
