import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Applies every migration newer than the database's `user_version`, each in its own
 * transaction, in version order. Migrations are append-only: never edit a released one.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of sorted) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
