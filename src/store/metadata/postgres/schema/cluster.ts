import type { PgMigration } from '../migrations.js';

/**
 * Tables only a multi-node deployment needs (versions 1000+): the live nodes, so that two nodes
 * never share a node id (their temporary blob files live under it).
 */
export const pgClusterMigrations: PgMigration[] = [
  {
    version: 1000,
    name: 'cluster: nodes and their heartbeats',
    sql: `
CREATE TABLE nodes (
  node_id      TEXT PRIMARY KEY,
  instance     TEXT NOT NULL,
  started_at   BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL
);
`,
  },
];
