import type { Migration } from '../migrations.js';

/**
 * The S3 server access-log spool (versions 500..599): records appended in batches by the S3 plane
 * and deleted once delivered as log objects (src/domain/accessLogs). `seq` is the append order.
 */
export const accessLogMigrations: Migration[] = [
  {
    version: 500,
    name: 'access logs: the spool of records awaiting delivery',
    sql: `
CREATE TABLE access_log_spool (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id  TEXT NOT NULL,
  destination TEXT NOT NULL,
  prefix      TEXT NOT NULL,
  line        TEXT NOT NULL
);
`,
  },
];
