/**
 * Applies the buckets' lifecycle rules: on one node (the leader), every `intervalMs`, each bucket
 * with enabled rules is scanned — its versions in key order, then its unfinished multipart uploads
 * — and what has fallen due is expired:
 *   - `Expiration` (Days or Date): the current version is removed (versioning never enabled) or
 *     hidden under a delete marker (versioning enabled or suspended);
 *   - a delete marker that is a key's only version is removed with `ExpiredObjectDeleteMarker`, or
 *     with `Expiration` Days once it is that old (as S3 does);
 *   - `NoncurrentVersionExpiration`: a version `NoncurrentDays` after it stopped being current,
 *     keeping the `NewerNoncurrentVersions` newest noncurrent ones;
 *   - `AbortIncompleteMultipartUpload`: uploads `DaysAfterInitiation` days old are aborted.
 * Each change is its own transaction that re-checks what the scan saw (src/domain/objects/expire.ts).
 * Listeners hear of every change (the S3 plane writes them into access logs).
 */
import type { Logger } from '../../log.js';
import type { MetadataStore } from '../ports/MetadataStore.js';
import type { BucketRecord, LifecycleRule } from '../ports/records.js';
import type { VersionSummary } from '../ports/objectRecords.js';
import type { ObjectDeps } from '../objects/blobFreeing.js';
import { abortExpiredUpload, expireCurrentVersion, removeExpiredVersion } from '../objects/expire.js';
import {
  commonPrefix,
  currentExpiration,
  DAY_MS,
  dueAfterDays,
  expirationDue,
  filterTerms,
  matches,
  needsTags,
  type Candidate,
  type CurrentExpiration,
} from './rules.js';

/** One change a rule made. */
export interface LifecycleEvent {
  bucket: BucketRecord;
  /** `expired`: a version removed for good; `deleteMarker`: a current version hidden; `uploadAborted`. */
  kind: 'expired' | 'deleteMarker' | 'uploadAborted';
  key: string;
  versionId?: string;
  /** Bytes of what was removed. */
  size?: number;
  ruleId: string;
  at: number;
}

export interface LifecycleRunStats {
  buckets: number;
  expired: number;
  deleteMarkers: number;
  uploadsAborted: number;
}

export interface LifecycleRunnerDeps {
  store: MetadataStore;
  objects: ObjectDeps;
  log: Logger;
  clock: () => number;
  intervalMs: number;
  /** A day's length (shortened only to test rules). */
  dayMs?: number;
}

const PAGE = 1000;

/** What the scan keeps of the key it is in (its rows arrive newest first, possibly across pages). */
interface KeyState {
  key: string;
  /** Rows of the key seen so far, and how many of them this run removed. */
  seen: number;
  removed: number;
  /** lastModified of the previous (newer) row: when the next one stopped being current. */
  newerLastModified: number;
  /** The latest row, when it is a delete marker (removable if it turns out to be alone). */
  marker?: VersionSummary;
}

export class LifecycleRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<LifecycleRunStats> | undefined;
  private stopping = false;
  private readonly listeners: ((e: LifecycleEvent) => void)[] = [];
  private readonly dayMs: number;

  constructor(private readonly deps: LifecycleRunnerDeps) {
    this.dayMs = deps.dayMs ?? DAY_MS;
  }

  /** S3's `x-amz-expiration` of a current version: the earliest Expiration of the bucket's rules that applies. */
  expirationOf(bucket: BucketRecord, o: Candidate & { lastModified: number }): CurrentExpiration | undefined {
    return bucket.lifecycle.length === 0 ? undefined : currentExpiration(bucket.lifecycle, o, this.dayMs);
  }

  /** `listener` hears of every change (after it committed). */
  observe(listener: (e: LifecycleEvent) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    if (this.timer) return;
    this.stopping = false;
    this.timer = setInterval(() => {
      if (this.running) return; // the previous run is still going: skip this tick
      this.runOnce().catch((err: unknown) => this.deps.log.warn('lifecycle run failed', { err }));
    }, this.deps.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer; a run under way stops after its current page. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopping = true;
    await this.running?.catch(() => undefined);
    this.stopping = false;
  }

  /** One pass over every bucket with enabled rules (one pass at a time). */
  async runOnce(): Promise<LifecycleRunStats> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.runAll();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async runAll(): Promise<LifecycleRunStats> {
    const stats: LifecycleRunStats = { buckets: 0, expired: 0, deleteMarkers: 0, uploadsAborted: 0 };
    const ids = await this.deps.store.read((tx) => tx.control.listAllBucketIds());
    for (const id of ids) {
      if (this.stopping) break;
      const bucket = await this.deps.store.read((tx) => tx.control.getBucketById(id));
      const rules = bucket?.lifecycle.filter((r) => r.enabled) ?? [];
      if (bucket === undefined || rules.length === 0) continue;
      stats.buckets++;
      try {
        await this.scanVersions(bucket, rules, stats);
        await this.scanUploads(bucket, rules, stats);
      } catch (err) {
        // A bucket deleted during its scan, or a store error: the next run tries again.
        this.deps.log.warn('lifecycle rules of a bucket not applied', { bucket: bucket.name, err });
      }
    }
    if (stats.expired + stats.deleteMarkers + stats.uploadsAborted > 0)
      this.deps.log.info('lifecycle rules applied', { ...stats });
    return stats;
  }

  private emit(e: Omit<LifecycleEvent, 'at'>): void {
    const event = { ...e, at: this.deps.clock() };
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.deps.log.warn('lifecycle listener failed', { err });
      }
    }
  }

  private async scanVersions(bucket: BucketRecord, all: LifecycleRule[], stats: LifecycleRunStats): Promise<void> {
    const current = all.filter((r) => r.expiration !== undefined);
    const noncurrent = all.filter((r) => r.noncurrentVersionExpiration !== undefined);
    if (current.length === 0 && noncurrent.length === 0) return;
    const prefix = commonPrefix([...current, ...noncurrent]);
    let state: KeyState | undefined;
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
      if (this.stopping) return;
      const page = await this.deps.store.read((tx) =>
        tx.objects.listObjectVersions(bucket.id, {
          prefix,
          maxKeys: PAGE,
          ...(keyMarker !== undefined ? { keyMarker } : {}),
          ...(versionIdMarker !== undefined ? { versionIdMarker } : {}),
        }),
      );
      for (const v of page.versions) {
        if (state === undefined || state.key !== v.key) {
          if (state) await this.finishKey(bucket, current, state, stats);
          state = { key: v.key, seen: 0, removed: 0, newerLastModified: v.lastModified };
        }
        if (state.seen === 0) {
          if (v.isDeleteMarker) state.marker = v;
          else await this.expireCurrent(bucket, current, v, stats);
        } else if (await this.expireNoncurrent(bucket, noncurrent, v, state, stats)) state.removed++;
        state.newerLastModified = v.lastModified;
        state.seen++;
      }
      if (!page.isTruncated || page.nextKeyMarker === undefined) break;
      keyMarker = page.nextKeyMarker;
      versionIdMarker = page.nextVersionIdMarker;
    }
    if (state) await this.finishKey(bucket, current, state, stats);
  }

  private async candidate(bucket: BucketRecord, rules: LifecycleRule[], v: VersionSummary): Promise<Candidate> {
    const c: Candidate = { key: v.key, size: v.size };
    if (!v.isDeleteMarker && rules.some(needsTags)) {
      const o = await this.deps.store.read((tx) => tx.objects.getObject(bucket.id, v.key, v.versionId, false));
      c.tags = o?.tags ?? [];
    }
    return c;
  }

  private async expireCurrent(
    bucket: BucketRecord,
    rules: LifecycleRule[],
    v: VersionSummary,
    stats: LifecycleRunStats,
  ): Promise<void> {
    const now = this.deps.clock();
    const due = rules.filter((r) => {
      const at = expirationDue(r, v.lastModified, this.dayMs);
      return at !== undefined && now >= at;
    });
    if (due.length === 0) return;
    const c = await this.candidate(bucket, due, v);
    const rule = due.find((r) => matches(r, c));
    if (rule === undefined) return;
    const out = await expireCurrentVersion(this.deps.objects, bucket, v.key, v.versionId);
    if (out === undefined) return;
    if (out.kind === 'removed') stats.expired++;
    else stats.deleteMarkers++;
    this.emit({
      bucket,
      kind: out.kind === 'removed' ? 'expired' : 'deleteMarker',
      key: v.key,
      versionId: out.versionId,
      size: out.kind === 'removed' ? out.size : v.size,
      ruleId: rule.id,
    });
  }

  /** True when the version was removed. */
  private async expireNoncurrent(
    bucket: BucketRecord,
    rules: LifecycleRule[],
    v: VersionSummary,
    state: KeyState,
    stats: LifecycleRunStats,
  ): Promise<boolean> {
    const now = this.deps.clock();
    // Its place among the key's noncurrent versions, newest first (0: the newest).
    const place = state.seen - 1;
    const due = rules.filter((r) => {
      const n = r.noncurrentVersionExpiration!;
      return (
        place >= (n.newerNoncurrentVersions ?? 0) &&
        now >= dueAfterDays(state.newerLastModified, n.noncurrentDays, this.dayMs)
      );
    });
    if (due.length === 0) return false;
    const c = await this.candidate(bucket, due, v);
    const rule = due.find((r) => matches(r, c));
    if (rule === undefined) return false;
    const out = await removeExpiredVersion(this.deps.objects, bucket, v.key, v.versionId, 'noncurrent');
    if (out === undefined) return false;
    stats.expired++;
    this.emit({ bucket, kind: 'expired', key: v.key, versionId: v.versionId, size: out.size, ruleId: rule.id });
    return true;
  }

  /** A key's latest delete marker, once the key holds nothing else, goes with the rules that say so. */
  private async finishKey(
    bucket: BucketRecord,
    rules: LifecycleRule[],
    state: KeyState,
    stats: LifecycleRunStats,
  ): Promise<void> {
    const m = state.marker;
    if (m === undefined || state.seen - state.removed !== 1) return;
    const now = this.deps.clock();
    const rule = rules.find((r) => {
      const e = r.expiration!;
      const due =
        e.expiredObjectDeleteMarker === true ||
        (e.days !== undefined && now >= dueAfterDays(m.lastModified, e.days, this.dayMs));
      return due && !needsTags(r) && matches(r, { key: m.key, size: 0 });
    });
    if (rule === undefined) return;
    const out = await removeExpiredVersion(this.deps.objects, bucket, m.key, m.versionId, 'lonelyDeleteMarker');
    if (out === undefined) return;
    stats.expired++;
    this.emit({ bucket, kind: 'expired', key: m.key, versionId: m.versionId, size: 0, ruleId: rule.id });
  }

  private async scanUploads(bucket: BucketRecord, all: LifecycleRule[], stats: LifecycleRunStats): Promise<void> {
    const rules = all.filter((r) => r.abortIncompleteMultipartUpload !== undefined);
    if (rules.length === 0) return;
    const prefix = commonPrefix(rules);
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      if (this.stopping) return;
      const page = await this.deps.store.read((tx) =>
        tx.objects.listUploads(bucket.id, {
          prefix,
          maxUploads: PAGE,
          ...(keyMarker !== undefined ? { keyMarker } : {}),
          ...(uploadIdMarker !== undefined ? { uploadIdMarker } : {}),
        }),
      );
      const now = this.deps.clock();
      for (const u of page.uploads) {
        const rule = rules.find(
          (r) =>
            u.key.startsWith(filterTerms(r).prefix ?? '') &&
            now >= dueAfterDays(u.initiated, r.abortIncompleteMultipartUpload!.daysAfterInitiation, this.dayMs),
        );
        if (rule === undefined) continue;
        if (!(await abortExpiredUpload(this.deps.objects, bucket, u.key, u.uploadId))) continue;
        stats.uploadsAborted++;
        this.emit({ bucket, kind: 'uploadAborted', key: u.key, ruleId: rule.id });
      }
      if (!page.isTruncated || page.nextKeyMarker === undefined) break;
      keyMarker = page.nextKeyMarker;
      uploadIdMarker = page.nextUploadIdMarker;
    }
  }
}
