import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  StoreUnavailable,
  type MetadataStore,
  type MetadataTx,
  type TxIsolation,
} from '../../../domain/ports/MetadataStore.js';
import { migratePg } from './migrations.js';
import { PgAccessLogSpoolRepo } from './PgAccessLogSpoolRepo.js';
import { PgAccountRepo } from './PgAccountRepo.js';
import { PgControlPlaneRepo } from './PgControlPlaneRepo.js';
import { PgObjectIndexRepo, type PgLocking } from './PgObjectIndexRepo.js';
import { pgMigrations } from './schema.js';
import { connectionConfig, isRetryable, isUnavailable, sqlState } from './sql.js';

export interface PgOptions {
  /** postgres://user[:password]@host[:port]/database[?sslmode=…] */
  url: string;
  /** A schema to keep the tables in (created if missing); default: the connection's search_path. */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** false: `synchronous_commit = off` on this store's connections (`--durability relaxed`). */
  synchronousCommit?: boolean;
  /** Told when the database goes away and comes back (one line each, not per request). */
  onAvailability?: (up: boolean, err?: unknown) => void;
}

/**
 * Attempts of one transaction that keeps losing to concurrent ones, before 503 SlowDown. Object
 * writes (`perKey`) wait for each other's locks instead of failing, so this budget is spent only by
 * SERIALIZABLE transactions (bucket and key management, deletions of buckets) that race; back-off
 * is at most 50 ms a time.
 */
const MAX_ATTEMPTS = 25;

/** `locking` other than 'none' (READ COMMITTED): the repos take the key, bucket, upload and account locks. */
const repos = (c: pg.PoolClient, locking: PgLocking): MetadataTx => ({
  control: new PgControlPlaneRepo(c),
  accounts: new PgAccountRepo(c, locking !== 'none'),
  objects: new PgObjectIndexRepo(c, locking),
  accessLogs: new PgAccessLogSpoolRepo(c),
});

/**
 * The foreign keys whose violation means a race, not a mistake: a `perKey` write found the bucket
 * (or upload) it checked deleted since, or a bucket deletion found rows written into the bucket
 * after it looked. Run again, the writer's check answers NoSuchBucket / NoSuchUpload and the
 * deletion sees the rows.
 */
const RACE_KEYS = new Set([
  'object_versions_bucket',
  'uploads_bucket',
  'bucket_usage_bucket_id_fkey',
  'upload_parts_upload_id_fkey',
]);

const lostRace = (err: unknown): boolean =>
  sqlState(err) === '23503' && RACE_KEYS.has((err as { constraint?: string }).constraint ?? '');

/**
 * PostgreSQL implementation of the MetadataStore port (`pg` pool). Write transactions run under
 * SERIALIZABLE, so the invariants that SQLite gets from running writers one at a time hold between
 * nodes too — except object writes (`perKey`, `perBucket`), which run under READ COMMITTED and
 * take transaction-scoped advisory locks per key (or per bucket) and per upload before reading
 * (PgObjectIndexRepo), so writers of one key queue behind each other and writers of distinct keys
 * never conflict (under SERIALIZABLE they did: predicate locks cover whole index pages, and every
 * write updated the bucket's one usage row). Foreign keys from object rows and uploads to their
 * bucket keep a bucket deletion and a racing write apart. See docs/architecture.md, "PostgreSQL
 * isolation".
 *
 * A transaction that fails on a serialization failure (40001), a deadlock (40P01), or one of the
 * foreign keys of RACE_KEYS (23503: a write whose bucket or upload was deleted under it, a bucket
 * deletion that missed rows written meanwhile) is rolled back and run again (the port allows it:
 * functions are retry-safe; the next run's checks see what the other transaction did), with a
 * short random back-off, at most MAX_ATTEMPTS times. Reads run as REPEATABLE READ READ ONLY
 * snapshots. Migrations run on open, under an advisory lock (migrations.ts); every transaction
 * waits for them.
 */
export class PgMetadataStore implements MetadataStore {
  private readonly pool: pg.Pool;
  private readonly opened: Promise<number[]>;
  private readonly onAvailability: PgOptions['onAvailability'];
  private down = false;
  private closed = false;

  constructor(opts: PgOptions) {
    this.onAvailability = opts.onAvailability;
    this.pool = new pg.Pool({
      ...connectionConfig(opts.url, opts.schema, opts.synchronousCommit === false),
      max: opts.poolSize ?? 10,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection that breaks (the server restarted) must not crash the process: the pool drops it.
    this.pool.on('error', (err) => this.noteDown(err));
    this.opened = this.migrate(opts.schema);
    this.opened.catch(() => undefined);
  }

  /**
   * Resolves once the schema is current, with the migration versions this open applied (rejects
   * with why the database could not be opened).
   */
  ready(): Promise<number[]> {
    return this.opened;
  }

  private async migrate(schema: string | undefined): Promise<number[]> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      this.noteDown(err);
      throw new StoreUnavailable(
        'unreachable',
        `the metadata database is unreachable: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    try {
      return await migratePg(client, pgMigrations, schema);
    } finally {
      client.release();
    }
  }

  private noteDown(err: unknown): void {
    if (this.down || this.closed) return;
    this.down = true;
    this.onAvailability?.(false, err);
  }

  private noteUp(): void {
    if (!this.down) return;
    this.down = false;
    this.onAvailability?.(true);
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      const c = await this.pool.connect();
      this.noteUp();
      return c;
    } catch (err) {
      this.noteDown(err);
      throw new StoreUnavailable('unreachable', 'the metadata database is unreachable');
    }
  }

  transaction<T>(fn: (tx: MetadataTx) => Promise<T>, isolation: TxIsolation = 'serializable'): Promise<T> {
    return isolation === 'serializable'
      ? this.run(fn, 'BEGIN ISOLATION LEVEL SERIALIZABLE', MAX_ATTEMPTS, 'none')
      : this.run(fn, 'BEGIN ISOLATION LEVEL READ COMMITTED', MAX_ATTEMPTS, isolation);
  }

  read<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T> {
    return this.run(fn, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', 1, 'none');
  }

  private async run<T>(
    fn: (tx: MetadataTx) => Promise<T>,
    begin: string,
    attempts: number,
    locking: PgLocking,
  ): Promise<T> {
    if (this.closed) throw new Error('metadata store is closed');
    await this.opened;
    for (let attempt = 1; ; attempt++) {
      const client = await this.connect();
      let broken = false;
      try {
        await client.query(begin);
        const result = await fn(repos(client, locking));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        if (isUnavailable(err)) {
          broken = true;
          this.noteDown(err);
          throw new StoreUnavailable('unreachable', 'the metadata database connection was lost');
        }
        if (!isRetryable(err) && !lostRace(err)) throw err;
        if (attempt >= attempts) {
          throw new StoreUnavailable('busy', `the transaction lost to concurrent ones ${attempt} times`);
        }
      } finally {
        client.release(broken);
      }
      // Back off a random 1..2^attempt ms (capped at 50 ms) so racing transactions do not collide again.
      await sleep(1 + Math.floor(Math.random() * Math.min(50, 2 ** attempt)));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.opened.catch(() => undefined);
    await this.pool.end();
  }
}
