import type { PgMigration } from '../migrations.js';

/**
 * Accounts in PostgreSQL (versions 200..299, as in the SQLite store's schema/accounts.ts): the
 * accounts and their root keys (at most two: a slot 0 or 1, unique per account), and the bytes each
 * bucket stores (all versions and the parts of unfinished uploads) kept by triggers, so that a
 * quota check is one small read. Parts are deleted only with their upload (ON DELETE CASCADE): the
 * upload's BEFORE DELETE trigger subtracts its parts, and the part trigger skips parts whose upload
 * is already gone.
 */
export const pgAccountMigrations: PgMigration[] = [
  {
    version: 200,
    name: 'accounts: tenants and their root access keys',
    sql: `
CREATE TABLE accounts (
  account_id          TEXT PRIMARY KEY CHECK (length(account_id) = 12),
  account_name        TEXT COLLATE "C" NOT NULL,
  created_at          BIGINT NOT NULL,
  is_operator         SMALLINT NOT NULL CHECK (is_operator IN (0, 1)),
  storage_quota_bytes BIGINT CHECK (storage_quota_bytes IS NULL OR storage_quota_bytes >= 0),
  CONSTRAINT account_name_unique UNIQUE (account_name)
);
CREATE UNIQUE INDEX accounts_one_operator ON accounts (is_operator) WHERE is_operator = 1;

CREATE TABLE account_keys (
  access_key_id TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
  slot          SMALLINT NOT NULL CHECK (slot IN (0, 1)),
  sealed_secret TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  CONSTRAINT account_key_limit UNIQUE (account_id, slot)
);
CREATE INDEX buckets_by_account ON buckets (account_id);
`,
  },
  {
    version: 201,
    name: 'accounts: stored bytes per bucket, kept by triggers (for storage quotas)',
    sql: `
CREATE TABLE bucket_usage (
  bucket_id    TEXT PRIMARY KEY REFERENCES buckets (id) ON DELETE CASCADE,
  stored_bytes BIGINT NOT NULL
);
INSERT INTO bucket_usage (bucket_id, stored_bytes)
  SELECT b.id,
    (SELECT COALESCE(SUM(v.size), 0) FROM object_versions v WHERE v.bucket_id = b.id)
    + (SELECT COALESCE(SUM(p.size), 0) FROM upload_parts p JOIN uploads u ON u.upload_id = p.upload_id
       WHERE u.bucket_id = b.id)
  FROM buckets b;

CREATE FUNCTION bucket_usage_add(bucket TEXT, delta BIGINT) RETURNS void LANGUAGE sql AS $$
  UPDATE bucket_usage SET stored_bytes = stored_bytes + delta WHERE bucket_id = bucket AND delta <> 0
$$;

CREATE FUNCTION bucket_usage_new_bucket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bucket_usage (bucket_id, stored_bytes) VALUES (NEW.id, 0);
  RETURN NULL;
END $$;
CREATE TRIGGER bucket_usage_new_bucket AFTER INSERT ON buckets
  FOR EACH ROW EXECUTE FUNCTION bucket_usage_new_bucket();

CREATE FUNCTION bucket_usage_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM bucket_usage_add(OLD.bucket_id, -OLD.size); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM bucket_usage_add(NEW.bucket_id, NEW.size); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER bucket_usage_version AFTER INSERT OR DELETE OR UPDATE OF size ON object_versions
  FOR EACH ROW EXECUTE FUNCTION bucket_usage_version();

CREATE FUNCTION bucket_usage_part() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM bucket_usage_add((SELECT bucket_id FROM uploads WHERE upload_id = OLD.upload_id), -OLD.size);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM bucket_usage_add((SELECT bucket_id FROM uploads WHERE upload_id = NEW.upload_id), NEW.size);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER bucket_usage_part AFTER INSERT OR DELETE OR UPDATE OF size ON upload_parts
  FOR EACH ROW EXECUTE FUNCTION bucket_usage_part();

CREATE FUNCTION bucket_usage_upload_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM bucket_usage_add(OLD.bucket_id,
    -(SELECT COALESCE(SUM(size), 0) FROM upload_parts WHERE upload_id = OLD.upload_id)::BIGINT);
  RETURN OLD;
END $$;
CREATE TRIGGER bucket_usage_upload_delete BEFORE DELETE ON uploads
  FOR EACH ROW EXECUTE FUNCTION bucket_usage_upload_delete();
`,
  },
  {
    version: 202,
    name: 'accounts: stored bytes per bucket in 64 shard rows, so that concurrent writes do not all update one row',
    // Each connection adds to the shard row of its backend pid: concurrent writers in one bucket
    // (on distinct connections) update distinct rows, instead of queueing on (READ COMMITTED) or
    // failing on (SERIALIZABLE) the bucket's single row. A bucket's bytes are the sum of its rows.
    sql: `
ALTER TABLE bucket_usage ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE bucket_usage DROP CONSTRAINT bucket_usage_pkey;
ALTER TABLE bucket_usage ADD PRIMARY KEY (bucket_id, shard);
CREATE OR REPLACE FUNCTION bucket_usage_add(bucket TEXT, delta BIGINT) RETURNS void LANGUAGE sql AS $$
  INSERT INTO bucket_usage (bucket_id, shard, stored_bytes)
    SELECT bucket, pg_backend_pid() % 64, delta WHERE bucket IS NOT NULL AND delta <> 0
  ON CONFLICT (bucket_id, shard) DO UPDATE SET stored_bytes = bucket_usage.stored_bytes + excluded.stored_bytes
$$;
`,
  },
];
