import Database from 'better-sqlite3';
import type { MetadataStore, MetadataTx } from '../MetadataStore.js';
import { migrate } from './migrations.js';
import { sqliteMigrations } from './schema.js';
import { SqliteControlPlaneRepo } from './SqliteControlPlaneRepo.js';
import { SqliteObjectIndexRepo } from './SqliteObjectIndexRepo.js';

export interface SqliteOptions {
  /** Path of the database file, or ':memory:' for tests. */
  path: string;
  /** 'FULL' (default) fsyncs every commit; 'NORMAL' survives a process crash but not power loss. */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * SQLite implementation (better-sqlite3, WAL). One connection; transactions are queued so that
 * an async transaction function never interleaves with another one on the same connection.
 * Invariants are enforced inside the transaction and by constraints in the schema, never by
 * this queue alone, so a PostgreSQL implementation keeps them with the same repo logic.
 */
export class SqliteMetadataStore implements MetadataStore {
  private readonly db: Database.Database;
  private readonly tx: MetadataTx;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(opts: SqliteOptions) {
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db, sqliteMigrations);
    this.tx = { control: new SqliteControlPlaneRepo(this.db), objects: new SqliteObjectIndexRepo(this.db) };
  }

  transaction<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T> {
    return this.enqueue(fn, true);
  }

  read<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T> {
    return this.enqueue(fn, false);
  }

  private enqueue<T>(fn: (tx: MetadataTx) => Promise<T>, write: boolean): Promise<T> {
    if (this.closed) return Promise.reject(new Error('metadata store is closed'));
    const run = async (): Promise<T> => {
      this.db.exec(write ? 'BEGIN IMMEDIATE' : 'BEGIN');
      try {
        const result = await fn(this.tx);
        this.db.exec(write ? 'COMMIT' : 'ROLLBACK');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    };
    const p = this.tail.then(run, run);
    this.tail = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    this.db.close();
  }
}
