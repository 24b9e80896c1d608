import type { PgMigration } from '../migrations.js';

/**
 * The S3 server access-log spool (versions 500..599, as in the SQLite store's schema/accessLogs.ts):
 * every node appends the records of its requests; the leader delivers and deletes them.
 */
export const pgAccessLogMigrations: PgMigration[] = [
  {
    version: 500,
    name: 'access logs: the spool of records awaiting delivery',
    sql: `
CREATE TABLE access_log_spool (
  seq         BIGSERIAL PRIMARY KEY,
  account_id  TEXT NOT NULL,
  destination TEXT NOT NULL,
  prefix      TEXT NOT NULL,
  line        TEXT NOT NULL
);
`,
  },
];
