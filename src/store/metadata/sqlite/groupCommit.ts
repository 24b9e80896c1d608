import type Database from 'better-sqlite3';

/** The most write jobs one SQLite transaction (one COMMIT, one WAL fsync) carries. */
export const MAX_BATCH_JOBS = 64;
/** How long a batch waits for another process's write transaction before it fails with SQLITE_BUSY. */
export const WRITE_LOCK_WAIT_MS = 5_000;

const isBusy = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
};

interface Job<C> {
  fn: (ctx: C) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  /** A read job runs alone between batches (only where there is no separate read connection). */
  read: boolean;
}

/**
 * Group commit on one better-sqlite3 connection. Write jobs queued while the event loop was busy
 * (up to MAX_BATCH_JOBS) share one `BEGIN IMMEDIATE … COMMIT`: each job runs, in arrival order,
 * inside its own SAVEPOINT, so a job that throws is rolled back to its savepoint and rejects only its
 * own caller. Callers are settled only after the COMMIT returned (the WAL fsync with
 * synchronous=FULL): nothing is acknowledged before it is durable. A failed COMMIT rejects every
 * job of the batch. Jobs never interleave: each one's function runs to completion before the next.
 *
 * The batch starts on `setImmediate`, after the current poll phase, so every request whose body
 * completed in the same event-loop turn joins it.
 *
 * `afterCommit` (optional) makes a commit durable off the event loop (SqliteMetadataStore: an fsync
 * of the WAL file in the thread pool, with synchronous=NORMAL): the batch's callers are answered when
 * it resolves, rejected when it fails. While it runs, write jobs wait and the next batch starts when
 * it has settled: a batch committed earlier would wait for that fsync to end before its own could
 * start anyway, so waiting costs its callers no latency and gathers every job queued meanwhile into
 * one COMMIT (fewer transactions, WAL frames and fsyncs per write). Only more than MAX_BATCH_JOBS
 * queued jobs run a batch while an fsync is in flight.
 *
 * Another process may hold the database's write lock (the workers of `serve --workers N` share one
 * database file): `BEGIN IMMEDIATE` then fails with SQLITE_BUSY at once (the store gives the write
 * connection no busy timeout) and is tried again after 1–10 ms timers, up to WRITE_LOCK_WAIT_MS,
 * so the event loop keeps serving (and gathering the next batch) instead of sleeping in SQLite's
 * busy handler.
 */
export class GroupCommitter<C> {
  private readonly pending: Job<C>[] = [];
  private scheduled = false;
  private running: Promise<void> | undefined;
  /** Batches committed and waiting for `afterCommit`. */
  private readonly syncing = new Set<Promise<void>>();

  constructor(
    private readonly db: Database.Database,
    private readonly ctx: C,
    private readonly afterCommit?: () => Promise<void>,
    /** Told how many jobs each batch carries (the server's metrics). */
    private readonly observer?: { batch(jobs: number): void },
  ) {}

  write<T>(fn: (ctx: C) => Promise<T>): Promise<T> {
    return this.enqueue(fn, false);
  }

  /** A read on the write connection, run between batches (never inside one). */
  read<T>(fn: (ctx: C) => Promise<T>): Promise<T> {
    return this.enqueue(fn, true);
  }

  /** Resolves once every job queued so far has been settled. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.running || this.scheduled || this.syncing.size > 0) {
      if (this.running) await this.running;
      else if (this.syncing.size > 0) await Promise.all(this.syncing);
      else await new Promise<void>((r) => setImmediate(r));
    }
  }

  private enqueue<T>(fn: (ctx: C) => Promise<T>, read: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject, read });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    // Writes wait for the fsync in flight (see the class comment), unless a full batch is waiting.
    if (this.syncing.size > 0 && this.pending.length < MAX_BATCH_JOBS && !this.pending[0]?.read) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.pump().finally(() => {
        this.running = undefined;
        if (this.pending.length > 0) this.schedule();
      });
    });
  }

  private async pump(): Promise<void> {
    while (this.pending.length > 0) {
      if (this.pending[0].read) {
        await this.runRead(this.pending.shift()!);
        continue;
      }
      let n = 0;
      while (n < this.pending.length && n < MAX_BATCH_JOBS && !this.pending[n].read) n++;
      await this.runBatch(this.pending.splice(0, n));
    }
  }

  private async runRead(job: Job<C>): Promise<void> {
    this.db.exec('BEGIN');
    try {
      const result = await job.fn(this.ctx);
      this.db.exec('ROLLBACK');
      job.resolve(result);
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      job.reject(err);
    }
  }

  /** `BEGIN IMMEDIATE`, waiting on timers while another process holds the write lock. */
  private async beginImmediate(): Promise<void> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        this.db.exec('BEGIN IMMEDIATE');
        return;
      } catch (err) {
        if (!isBusy(err) || Date.now() - started >= WRITE_LOCK_WAIT_MS) throw err;
      }
      await new Promise((r) => setTimeout(r, Math.min(1 + attempt, 10)));
    }
  }

  private async runBatch(jobs: Job<C>[]): Promise<void> {
    /** Jobs whose function succeeded inside the open transaction, waiting for its COMMIT. */
    let done: { job: Job<C>; result: unknown }[] = [];
    let open = false;
    this.observer?.batch(jobs.length);
    try {
      for (const job of jobs) {
        if (!open) {
          await this.beginImmediate();
          open = true;
        }
        this.db.exec('SAVEPOINT job');
        try {
          const result = await job.fn(this.ctx);
          this.db.exec('RELEASE job');
          done.push({ job, result });
        } catch (err) {
          job.reject(err);
          if (this.db.inTransaction) {
            this.db.exec('ROLLBACK TO job');
            this.db.exec('RELEASE job');
          } else {
            // SQLite rolled the whole transaction back (e.g. SQLITE_FULL): the earlier jobs' work is gone.
            const lost = new Error(
              `metadata transaction rolled back by SQLite when a job of the same batch failed: ${(err as Error)?.message ?? String(err)}`,
            );
            (lost as { code?: unknown }).code = (err as { code?: unknown })?.code;
            for (const d of done) d.job.reject(lost);
            done = [];
            open = false;
          }
        }
      }
      if (open) {
        this.db.exec('COMMIT');
        open = false;
      }
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      // Every job of the batch (a promise already rejected stays as it was) fails with the COMMIT.
      for (const job of jobs) job.reject(err);
      return;
    }
    if (done.length === 0) return;
    if (!this.afterCommit) {
      for (const d of done) d.job.resolve(d.result);
      return;
    }
    const p = this.afterCommit().then(
      () => {
        for (const d of done) d.job.resolve(d.result);
      },
      (err: unknown) => {
        // `committed`: the rows may well be there (and survive): callers must not free what they reference.
        const e = Object.assign(
          new Error(
            `the metadata transaction committed but could not be made durable (WAL fsync failed): ${(err as Error)?.message ?? String(err)}`,
          ),
          { committed: true },
        );
        for (const d of done) d.job.reject(e);
      },
    );
    this.syncing.add(p);
    void p.finally(() => {
      this.syncing.delete(p);
      if (this.pending.length > 0) this.schedule();
    });
  }
}
