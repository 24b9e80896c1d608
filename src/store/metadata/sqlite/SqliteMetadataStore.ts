import Database from 'better-sqlite3';
import { DirSyncer } from '../../fs/dirSync.js';
import type { MetadataStore, MetadataTx } from '../../../domain/ports/MetadataStore.js';
import { GroupCommitter } from './groupCommit.js';
import { migrate } from './migrations.js';
import { sqliteMigrations } from './schema.js';
import { SqliteAccessLogSpoolRepo } from './SqliteAccessLogSpoolRepo.js';
import { SqliteAccountRepo } from './SqliteAccountRepo.js';
import { SqliteControlPlaneRepo } from './SqliteControlPlaneRepo.js';
import { SqliteObjectIndexRepo } from './SqliteObjectIndexRepo.js';

export interface SqliteOptions {
  /** Path of the database file, or ':memory:' for tests. */
  path: string;
  /**
   * 'FULL' (default): every transaction is on disk (WAL fsynced) before it resolves. For a file the
   * fsync is ours, in the thread pool and shared by every commit that waits for it (SQLite itself
   * runs with synchronous=NORMAL, which still syncs around checkpoints). 'NORMAL' survives a process
   * crash but not power loss.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** Told of every failed write transaction (the full-disk guard releases its reserve on SQLITE_FULL). */
  onWriteError?: (err: unknown) => void;
  /** Told the size of every write batch and the duration of every WAL fsync (the server's metrics). */
  observer?: CommitObserver;
}

export interface CommitObserver {
  /** Write transactions carried by one COMMIT. */
  batch(jobs: number): void;
  /** Seconds one WAL fsync took. */
  walFsync(seconds: number): void;
}

const repos = (db: Database.Database): MetadataTx => ({
  control: new SqliteControlPlaneRepo(db),
  accounts: new SqliteAccountRepo(db),
  objects: new SqliteObjectIndexRepo(db),
  accessLogs: new SqliteAccessLogSpoolRepo(db),
});

/**
 * SQLite implementation (better-sqlite3, WAL).
 *
 * Writes: one connection with group commit (groupCommit.ts): concurrent transactions share one
 * COMMIT (one WAL fsync), each in its own savepoint, and every caller is answered only after that
 * COMMIT. Reads: a second, read-only connection with its own queue, so a read never sees the
 * uncommitted work of a batch in progress (WAL readers see the last commit). An in-memory
 * database cannot be shared by two connections: there, reads run on the write connection between
 * batches. Invariants are enforced inside the transaction and by schema constraints, never by
 * the queues alone, so a PostgreSQL implementation keeps them with the same repo logic.
 */
export class SqliteMetadataStore implements MetadataStore {
  private readonly db: Database.Database;
  private readonly readDb: Database.Database | undefined;
  private readonly writer: GroupCommitter<MetadataTx>;
  private readonly readTx: MetadataTx | undefined;
  private readonly walSync: DirSyncer | undefined;
  /** BEGIN / ROLLBACK on the read connection, prepared once (exec parses them on every call). */
  private readonly readBegin: Database.Statement | undefined;
  private readonly readEnd: Database.Statement | undefined;
  private readTail: Promise<unknown> = Promise.resolve();
  /** Reads started and not yet settled: the first one of an idle connection starts at once, no queue hop. */
  private readsPending = 0;
  private closed = false;
  private readonly onWriteError: SqliteOptions['onWriteError'];

  constructor(opts: SqliteOptions) {
    const file = opts.path !== ':memory:' && opts.path !== '';
    const full = (opts.synchronous ?? 'FULL') === 'FULL';
    this.onWriteError = opts.onWriteError;
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    // A file in FULL mode: SQLite commits without fsync and the committer fsyncs the WAL before answering.
    this.db.pragma(`synchronous = ${full && !file ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db, sqliteMigrations);
    // From here on the group committer waits for another process's write lock on timers
    // (groupCommit.ts), never blocking the event loop in SQLite's busy handler.
    this.db.pragma('busy_timeout = 0');
    if (file && full) {
      const walSync = new DirSyncer();
      const wal = `${opts.path}-wal`;
      this.walSync = walSync;
      const observer = opts.observer;
      const sync = observer
        ? async () => {
            const t0 = process.hrtime.bigint();
            await walSync.sync(wal);
            observer.walFsync(Number(process.hrtime.bigint() - t0) / 1e9);
          }
        : () => walSync.sync(wal);
      this.writer = new GroupCommitter(this.db, repos(this.db), sync, opts.observer);
    } else {
      this.writer = new GroupCommitter(this.db, repos(this.db), undefined, opts.observer);
    }
    if (file) {
      this.readDb = new Database(opts.path, { readonly: true });
      this.readDb.pragma('busy_timeout = 5000');
      this.readTx = repos(this.readDb);
      this.readBegin = this.readDb.prepare('BEGIN');
      this.readEnd = this.readDb.prepare('ROLLBACK');
    }
  }

  transaction<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('metadata store is closed'));
    const done = this.writer.write(fn);
    const onError = this.onWriteError;
    return onError
      ? done.catch((err: unknown) => {
          onError(err);
          throw err;
        })
      : done;
  }

  read<T>(fn: (tx: MetadataTx) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('metadata store is closed'));
    const db = this.readDb;
    const tx = this.readTx;
    if (!db || !tx) return this.writer.read(fn);
    const begin = this.readBegin!;
    const end = this.readEnd!;
    const run = async (): Promise<T> => {
      begin.run();
      try {
        return await fn(tx);
      } finally {
        if (db.inTransaction) end.run();
      }
    };
    // Reads on this connection run one at a time (one transaction each); an idle connection starts at once.
    const p = this.readsPending === 0 ? run() : this.readTail.then(run, run);
    this.readsPending++;
    const settled = p.then(this.readSettled, this.readSettled);
    this.readTail = settled;
    return p;
  }

  private readonly readSettled = (): void => {
    this.readsPending--;
  };

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.writer.drain(), this.readTail]);
    await this.walSync?.close();
    this.readDb?.close();
    this.db.close();
  }
}
