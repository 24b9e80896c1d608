import type { Migration } from '../migrations.js';

/**
 * Accounts (versions 200..299).
 *
 * 200: the accounts and their root keys. The operator account's row is written at start-up by
 * the domain (it knows the account id from the data directory), so a data directory from before
 * accounts migrates with its one account becoming the operator. "At most two root keys per
 * account" is held like the two-key limit of buckets: a slot 0 or 1, unique per account.
 *
 * 201: the bytes each bucket stores (all versions, and the parts of unfinished uploads), kept by
 * triggers so that a quota check costs one small read instead of a scan. Parts are only ever
 * deleted with their upload (ON DELETE CASCADE), and when the cascade runs the upload row is
 * already gone, so the upload's BEFORE DELETE trigger subtracts its parts and the part trigger
 * subtracts only parts deleted on their own.
 */
export const accountMigrations: Migration[] = [
  {
    version: 200,
    name: 'accounts: tenants and their root access keys',
    sql: `
CREATE TABLE accounts (
  account_id          TEXT PRIMARY KEY CHECK (length(account_id) = 12),
  account_name        TEXT NOT NULL,
  created_at          INTEGER NOT NULL,
  is_operator         INTEGER NOT NULL CHECK (is_operator IN (0, 1)),
  storage_quota_bytes INTEGER CHECK (storage_quota_bytes IS NULL OR storage_quota_bytes >= 0),
  CONSTRAINT account_name_unique UNIQUE (account_name)
);
CREATE UNIQUE INDEX accounts_one_operator ON accounts (is_operator) WHERE is_operator = 1;

CREATE TABLE account_keys (
  access_key_id TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
  slot          INTEGER NOT NULL CHECK (slot IN (0, 1)),
  sealed_secret TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
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
  stored_bytes INTEGER NOT NULL
);
INSERT INTO bucket_usage (bucket_id, stored_bytes)
  SELECT b.id,
    (SELECT COALESCE(SUM(v.size), 0) FROM object_versions v WHERE v.bucket_id = b.id)
    + (SELECT COALESCE(SUM(p.size), 0) FROM upload_parts p JOIN uploads u ON u.upload_id = p.upload_id
       WHERE u.bucket_id = b.id)
  FROM buckets b;

CREATE TRIGGER bucket_usage_new_bucket AFTER INSERT ON buckets BEGIN
  INSERT INTO bucket_usage (bucket_id, stored_bytes) VALUES (NEW.id, 0);
END;
CREATE TRIGGER bucket_usage_version_insert AFTER INSERT ON object_versions BEGIN
  UPDATE bucket_usage SET stored_bytes = stored_bytes + NEW.size WHERE bucket_id = NEW.bucket_id;
END;
CREATE TRIGGER bucket_usage_version_update AFTER UPDATE OF size ON object_versions BEGIN
  UPDATE bucket_usage SET stored_bytes = stored_bytes - OLD.size WHERE bucket_id = OLD.bucket_id;
  UPDATE bucket_usage SET stored_bytes = stored_bytes + NEW.size WHERE bucket_id = NEW.bucket_id;
END;
CREATE TRIGGER bucket_usage_version_delete AFTER DELETE ON object_versions BEGIN
  UPDATE bucket_usage SET stored_bytes = stored_bytes - OLD.size WHERE bucket_id = OLD.bucket_id;
END;
CREATE TRIGGER bucket_usage_part_insert AFTER INSERT ON upload_parts BEGIN
  UPDATE bucket_usage SET stored_bytes = stored_bytes + NEW.size
    WHERE bucket_id = (SELECT bucket_id FROM uploads WHERE upload_id = NEW.upload_id);
END;
CREATE TRIGGER bucket_usage_part_update AFTER UPDATE OF size ON upload_parts BEGIN
  UPDATE bucket_usage SET stored_bytes = stored_bytes + NEW.size - OLD.size
    WHERE bucket_id = (SELECT bucket_id FROM uploads WHERE upload_id = NEW.upload_id);
END;
CREATE TRIGGER bucket_usage_part_delete AFTER DELETE ON upload_parts BEGIN
  UPDATE bucket_usage SET stored_bytes = stored_bytes - OLD.size
    WHERE bucket_id = (SELECT bucket_id FROM uploads WHERE upload_id = OLD.upload_id);
END;
CREATE TRIGGER bucket_usage_upload_delete BEFORE DELETE ON uploads BEGIN
  UPDATE bucket_usage SET stored_bytes = stored_bytes
    - (SELECT COALESCE(SUM(size), 0) FROM upload_parts WHERE upload_id = OLD.upload_id)
    WHERE bucket_id = OLD.bucket_id;
END;
`,
  },
];
