import type { Logger } from '../../log.js';
import type { BlobStore } from '../ports/BlobStore.js';
import type { MetadataStore } from '../ports/MetadataStore.js';

export interface BlobSweeperOptions {
  store: MetadataStore;
  blobs: BlobStore;
  /** Epoch milliseconds (the blob store's mtimes are wall-clock). */
  clock: () => number;
  logger?: Logger;
  /**
   * Blobs and temp files younger than this are left alone: a blob is written before the row that
   * references it is committed. Default 10 minutes; tests use 0.
   */
  graceMs?: number;
  /**
   * Age of temp files removed by the start-up sweep (default 0: every one, as no write of this
   * process is in flight yet). Set it to the grace period when nodes share one blob directory.
   */
  startupTempGraceMs?: number;
  /** Time between periodic sweeps (default 1 hour). */
  intervalMs?: number;
  /** Candidate blob ids checked against the index per metadata read (default 500). */
  batchSize?: number;
  /** Told of every sweep (the server's metrics). */
  observer?: SweepObserver;
}

export interface SweepReport {
  checked: number;
  removed: number;
  tempRemoved: number;
  /** Blob files seen (all ages, orphans included) and their bytes: the size of the blob store. */
  blobs: number;
  bytes: number;
}

export interface SweepObserver {
  swept(report: SweepReport, seconds: number): void;
  failed(): void;
}

/**
 * Removes blobs that no object, segment or part references (left by a crash between writing a
 * blob and committing its row, or between committing and freeing replaced blobs) and temporary
 * files of unfinished writes. Runs at start-up and then on an unref'd timer.
 */
export class BlobSweeper {
  private readonly graceMs: number;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepReport> | undefined;

  constructor(private readonly opts: BlobSweeperOptions) {
    this.graceMs = opts.graceMs ?? 10 * 60_000;
    this.intervalMs = opts.intervalMs ?? 60 * 60_000;
    this.batchSize = opts.batchSize ?? 500;
  }

  /** Sweeps once now, then every `intervalMs` until stop(). The first sweep's result is returned. */
  start(): Promise<SweepReport> {
    const first = this.sweep(this.opts.startupTempGraceMs ?? 0);
    this.timer = setInterval(() => {
      this.sweep().catch((err) => this.opts.logger?.warn('blob sweep failed', { err }));
    }, this.intervalMs);
    this.timer.unref();
    return first;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One sweep; concurrent calls share the sweep in progress. */
  sweep(tempGraceMs = this.graceMs): Promise<SweepReport> {
    if (!this.running) {
      const observer = this.opts.observer;
      const t0 = process.hrtime.bigint();
      this.running = this.sweepOnce(tempGraceMs)
        .then(
          (report) => {
            observer?.swept(report, Number(process.hrtime.bigint() - t0) / 1e9);
            return report;
          },
          (err: unknown) => {
            observer?.failed();
            throw err;
          },
        )
        .finally(() => {
          this.running = undefined;
        });
    }
    return this.running;
  }

  private async sweepOnce(tempGraceMs: number): Promise<SweepReport> {
    const { blobs, store, clock } = this.opts;
    const report: SweepReport = {
      checked: 0,
      removed: 0,
      tempRemoved: await blobs.removeStaleTemp(tempGraceMs),
      blobs: 0,
      bytes: 0,
    };
    const cutoff = clock() - this.graceMs;
    let batch: string[] = [];
    let sizes: number[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const candidates = batch;
      const candidateSizes = sizes;
      batch = [];
      sizes = [];
      const referenced = await store.read((tx) => tx.objects.referencedBlobIds(candidates));
      const orphans: string[] = [];
      candidates.forEach((id, i) => {
        if (referenced.has(id)) return;
        orphans.push(id);
        report.bytes -= candidateSizes[i];
      });
      report.checked += candidates.length;
      if (orphans.length > 0) {
        await blobs.delete(orphans);
        report.removed += orphans.length;
      }
    };
    for await (const b of blobs.list()) {
      report.blobs += 1;
      report.bytes += b.size;
      if (b.mtimeMs > cutoff) continue;
      batch.push(b.blobId);
      sizes.push(b.size);
      if (batch.length >= this.batchSize) await flush();
    }
    await flush();
    // The removed orphans are no longer part of the store.
    report.blobs -= report.removed;
    if (report.removed > 0 || report.tempRemoved > 0)
      this.opts.logger?.info('blob sweep removed orphans', { ...report });
    return report;
  }
}
