import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Logger } from '../../log.js';
import type { ObjectService } from '../objects/objects.js';
import { MAX_INLINE_BYTES } from '../objects/limits.js';
import type { SpooledAccessLogRecord } from '../ports/AccessLogSpoolRepo.js';
import type { MetadataStore } from '../ports/MetadataStore.js';

export interface AccessLogDeliveryDeps {
  store: MetadataStore;
  objects: Pick<ObjectService, 'putObject'>;
  log: Logger;
  clock: () => number;
  /** Ms between deliveries (`--access-log-interval`). */
  intervalMs: number;
  /** Spooled records read per round (default 10 000); a delivery runs rounds until the spool is empty. */
  batch?: number;
}

/** Rounds one delivery runs at most (then the rest waits for the next interval). */
const MAX_ROUNDS = 100;

const two = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-mm-DD-HH-MM-SS-` + 16 upper-case hex characters, after the prefix: S3's log object names. */
export function logObjectKey(prefix: string, at: number): string {
  const d = new Date(at);
  const stamp = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}-${two(d.getUTCHours())}-${two(
    d.getUTCMinutes(),
  )}-${two(d.getUTCSeconds())}`;
  return `${prefix}${stamp}-${randomBytes(8).toString('hex').toUpperCase()}`;
}

/**
 * Delivers the spooled access-log records: every interval, the oldest records are grouped by
 * destination bucket and prefix, each group is written as one log object into its destination (as
 * an ordinary PutObject of the destination's owner: it counts in the bucket's metrics and quota),
 * then its records are deleted from the spool. A crash between the two delivers the group again
 * next time (at least once). A destination that no longer exists, or is no longer owned by the
 * source bucket's account, drops its records with a warning. Runs on one node (the leader).
 */
export class AccessLogDelivery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly deps: AccessLogDeliveryDeps) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.deliver().catch((err: unknown) => this.deps.log.warn('access-log delivery failed', { err }));
    }, this.deps.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer, waiting for a delivery under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Delivers what the spool holds now; returns how many log objects were written. One at a time. */
  async deliver(): Promise<number> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.deliverAll();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async deliverAll(): Promise<number> {
    let written = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const records = await this.deps.store.read((tx) => tx.accessLogs.oldest(this.deps.batch ?? 10_000));
      if (records.length === 0) break;
      const groups = new Map<string, SpooledAccessLogRecord[]>();
      for (const r of records) {
        const id = `${r.accountId}\n${r.destination}\n${r.prefix}`;
        const g = groups.get(id);
        if (g) g.push(r);
        else groups.set(id, [r]);
      }
      let failed = false;
      for (const group of groups.values()) {
        const ok = await this.deliverGroup(group);
        if (ok === undefined) failed = true;
        else written += ok;
      }
      // A destination that cannot take its records now keeps them: try again next interval.
      if (failed) break;
    }
    return written;
  }

  /** 1 when written, 0 when dropped, undefined when the write failed (records kept). */
  private async deliverGroup(group: SpooledAccessLogRecord[]): Promise<number | undefined> {
    const { destination, prefix, accountId } = group[0];
    const seqs = group.map((r) => r.seq);
    const bucket = await this.deps.store.read((tx) => tx.control.getBucketByName(destination));
    if (bucket === undefined || bucket.accountId !== accountId) {
      this.deps.log.warn('access-log destination bucket missing: records dropped', {
        destination,
        records: group.length,
      });
      await this.deps.store.transaction((tx) => tx.accessLogs.delete(seqs));
      return 0;
    }
    const body = Buffer.from(group.map((r) => `${r.line}\n`).join(''));
    const key = logObjectKey(prefix, this.deps.clock());
    try {
      await this.deps.objects.putObject(
        bucket,
        key,
        body.length <= MAX_INLINE_BYTES ? Promise.resolve(body) : Readable.from([body]),
        { declaredLength: body.length, content: { contentType: 'text/plain' } },
      );
    } catch (err) {
      this.deps.log.warn('access-log delivery failed: records kept for the next interval', {
        destination,
        key,
        records: group.length,
        error: err instanceof Error ? err.message : String(err),
      });
      return undefined;
    }
    await this.deps.store.transaction((tx) => tx.accessLogs.delete(seqs));
    return 1;
  }
}
