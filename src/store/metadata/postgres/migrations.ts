import type pg from 'pg';
import { ident, lockKey } from './sql.js';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its own transaction, in
 * version order, while holding a session advisory lock: nodes that start together run them one at a
 * time, and the second finds them applied. Each applied version is recorded (areas own number
 * ranges). Append-only: never edit a released migration. Returns the versions applied now.
 */
export async function migratePg(
  client: pg.ClientBase,
  migrations: readonly PgMigration[],
  schema: string | undefined,
): Promise<number[]> {
  const seen = new Set<number>();
  for (const m of migrations) {
    if (seen.has(m.version)) throw new Error(`duplicate migration version ${m.version} (${m.name})`);
    seen.add(m.version);
  }
  const key = lockKey(`sailbucket:migrate:${schema ?? ''}`);
  await client.query('SELECT pg_advisory_lock($1)', [key]);
  try {
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
    );
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
  }
}
