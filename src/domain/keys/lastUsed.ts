import type { Logger } from '../../log.js';
import type { MetadataStore } from '../ports/MetadataStore.js';

export interface LastUsedRecorderDeps {
  store: MetadataStore;
  clock: () => number;
  /** How often coalesced uses are written (default 1000 ms). */
  intervalMs?: number;
  log?: Logger;
}

interface Use {
  date: number;
  region: string;
  service: string;
}

/**
 * Remembers when each access key was last used. `touch` only updates memory; a timer writes
 * the latest use of every touched key in one transaction, so requests never wait on a write.
 */
export class LastUsedRecorder {
  private pending = new Map<string, Use>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  /** Starts the periodic flush at once; the timer does not keep the process alive. */
  constructor(private readonly deps: LastUsedRecorderDeps) {
    this.timer = setInterval(() => {
      this.flush().catch((err: unknown) => this.deps.log?.warn('recording access key use failed', { err }));
    }, this.deps.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** Notes a successful request signed with `accessKeyId` (the bucket's region, e.g. service 's3'). */
  touch(accessKeyId: string, region: string, service: string): void {
    this.pending.set(accessKeyId, { date: this.deps.clock(), region, service });
  }

  /** Writes every pending use now (one transaction); resolves once written. */
  flush(): Promise<void> {
    const run = async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      const uses = [...batch].map(([accessKeyId, u]) => ({ accessKeyId, ...u }));
      try {
        await this.deps.store.transaction((tx) => tx.control.recordAccessKeyUse(uses));
      } catch (err) {
        // Put the uses back unless a newer use of the same key arrived meanwhile.
        for (const [id, u] of batch) if (!this.pending.has(id)) this.pending.set(id, u);
        throw err;
      }
    };
    const next = this.flushing.then(run, run);
    this.flushing = next.catch(() => undefined);
    return next;
  }

  /** Stops the timer and writes what is pending (for shutdown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
