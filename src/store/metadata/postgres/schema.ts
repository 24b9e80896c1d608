import type { PgMigration } from './migrations.js';
import { pgAccessLogMigrations } from './schema/accessLogs.js';
import { pgAccountMigrations } from './schema/accounts.js';
import { pgClusterMigrations } from './schema/cluster.js';
import { pgControlPlaneMigrations } from './schema/controlPlane.js';
import { pgObjectIndexMigrations } from './schema/objectIndex.js';

/**
 * All PostgreSQL migrations, in version order: an ordered, append-only list. Each area owns its
 * own numbers (control plane 1–99, object index 100–199, accounts 200–299, access logs 500–599, cluster 1000+); a new area
 * adds its file and its list here.
 */
export const pgMigrations: readonly PgMigration[] = [
  ...pgControlPlaneMigrations,
  ...pgObjectIndexMigrations,
  ...pgAccountMigrations,
  ...pgAccessLogMigrations,
  ...pgClusterMigrations,
].sort((a, b) => a.version - b.version);
