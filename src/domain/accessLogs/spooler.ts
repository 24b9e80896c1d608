import type { Logger } from '../../log.js';
import type { AccessLogRecordInput } from '../ports/AccessLogSpoolRepo.js';
import type { MetadataStore } from '../ports/MetadataStore.js';

export interface AccessLogSpoolerDeps {
  store: MetadataStore;
  log: Logger;
  clock: () => number;
  /** How often the records in memory are appended to the spool (default 1000 ms). */
  batchMs?: number;
  /** Records the spool may hold; beyond it new records are dropped (default SPOOL_CAP). */
  maxSpooled?: number;
}

/** Records the spool holds at most by default (about 200 MB at ~400 bytes a record). */
export const SPOOL_CAP = 500_000;
/** Records held in memory at most while the store cannot take them (one batch is far smaller). */
const MAX_BUFFERED = 50_000;
/** A dropping or failing spool is reported at most once per this many ms (with a count). */
const WARN_EVERY_MS = 60_000;

/**
 * Collects the access-log records of this node's requests in memory and appends them to the spool
 * (the metadata store) in one transaction every `batchMs`: a `kill -9` loses at most the records of
 * the last batch; a graceful stop appends what is held. The spool is bounded: when it holds
 * `maxSpooled` records, new ones are dropped and counted, with one warning per minute.
 */
export class AccessLogSpooler {
  private buffer: AccessLogRecordInput[] = [];
  private readonly pending = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private dropped = 0;
  private lastWarnAt = -Infinity;
  private readonly cap: number;

  constructor(private readonly deps: AccessLogSpoolerDeps) {
    this.cap = deps.maxSpooled ?? SPOOL_CAP;
  }

  add(record: AccessLogRecordInput): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      this.drop(1, 'the records waiting for the metadata store fill the memory buffer');
      return;
    }
    this.buffer.push(record);
  }

  /** A record known later (its bucket is being looked up); a stop waits for it. */
  addLater(record: Promise<AccessLogRecordInput | undefined>): void {
    const p = record.then(
      (r) => {
        if (r !== undefined) this.add(r);
      },
      (err: unknown) => this.deps.log.warn('access-log record lost: its bucket could not be read', { err }),
    );
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.deps.batchMs ?? 1000);
    this.timer.unref();
  }

  /** Appends what is held (waiting for records still being looked up); one flush at a time. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.appendHeld();
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  private async appendHeld(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    const cap = this.cap;
    let kept: number;
    try {
      kept = await this.deps.store.transaction(async (tx) => {
        const room = Math.max(0, cap - (await tx.accessLogs.count()));
        const take = batch.length <= room ? batch : batch.slice(0, room);
        if (take.length > 0) await tx.accessLogs.append(take);
        return take.length;
      });
    } catch (err) {
      // Kept for the next attempt (ahead of newer records), within the memory bound.
      const room = MAX_BUFFERED - this.buffer.length;
      this.buffer = batch.slice(0, Math.max(0, room)).concat(this.buffer);
      if (batch.length > room) this.drop(batch.length - room, 'the metadata store cannot take them', err);
      else this.warn('access-log records not spooled yet: the metadata store cannot take them', { err });
      return;
    }
    if (kept < batch.length) this.drop(batch.length - kept, `the spool holds its limit of ${cap} records`);
  }

  private drop(n: number, reason: string, err?: unknown): void {
    this.dropped += n;
    this.warn('access-log records dropped', { reason, dropped: this.dropped, ...(err ? { err } : {}) }, true);
  }

  /** One warning per WARN_EVERY_MS; a drop warning reports (and resets) the count since the last one. */
  private warn(msg: string, fields: Record<string, unknown>, resetsDropped = false): void {
    const now = this.deps.clock();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.deps.log.warn(msg, fields);
    if (resetsDropped) this.dropped = 0;
  }

  /** Stops the timer and appends everything held, including records still being looked up. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.pending]);
    await this.flush();
  }
}
