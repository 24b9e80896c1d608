import type { Migration } from './migrations.js';
import { accessLogMigrations } from './schema/accessLogs.js';
import { accountMigrations } from './schema/accounts.js';
import { controlPlaneMigrations } from './schema/controlPlane.js';
import { objectIndexMigrations } from './schema/objectIndex.js';

/** All SQLite migrations, in version order. Each area owns its own numbers (see the files). */
export const sqliteMigrations: readonly Migration[] = [
  ...controlPlaneMigrations,
  ...objectIndexMigrations,
  ...accountMigrations,
  ...accessLogMigrations,
].sort((a, b) => a.version - b.version);
