import type { Logger } from '../../log.js';
import type { MetadataStore } from '../ports/MetadataStore.js';
import { requireBucket } from './access.js';
import type { CallerContext } from '../caller.js';
import { invalidInput } from '../errors.js';
import type { MetricSample } from '../ports/records.js';

export type BucketMetricName = 'BucketSizeBytes' | 'NumberOfObjects';

export interface MetricDataQuery {
  bucketName: string;
  metricName: string;
  /** Epoch milliseconds; samples with startTime <= t < endTime count. */
  startTime: number;
  endTime: number;
  /** Seconds, 60..86400, a multiple of 60. */
  period: number;
  statistics: string[];
  unit: string;
}

/** One aggregated period; only the requested statistics are set. */
export interface MetricDatapoint {
  timestamp: number;
  unit: string;
  average?: number;
  maximum?: number;
  minimum?: number;
  sampleCount?: number;
  sum?: number;
}

const METRIC_UNITS: Record<BucketMetricName, string> = { BucketSizeBytes: 'Bytes', NumberOfObjects: 'Count' };
const STATISTICS: ReadonlySet<string> = new Set(['Minimum', 'Maximum', 'Sum', 'Average', 'SampleCount']);
const MAX_DATAPOINTS = 1440;
/** Rows summed per read while sampling: each slice is one short read, and writes run between slices. */
const STATS_SLICE_ROWS = 5000;

/** Lets queued I/O (requests, commits) run: the store's calls are synchronous under their promises. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface MetricsSamplerDeps {
  store: MetadataStore;
  clock: () => number;
  /** How often every bucket is sampled (default 5 minutes; 0 = only on demand). */
  intervalMs?: number;
  /** How long samples are kept (default 92 days); older ones are removed when sampling. */
  retentionMs?: number;
  log?: Logger;
}

/**
 * Records BucketSizeBytes and NumberOfObjects samples for every non-empty bucket (an empty bucket
 * gets none, so GetBucketMetricData shows no data points while it is empty) and aggregates them.
 */
export class MetricsSampler {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: MetricsSamplerDeps) {}

  /** Starts periodic sampling; the timer does not keep the process alive. */
  start(): void {
    const every = this.deps.intervalMs ?? 5 * 60_000;
    if (this.timer || every <= 0) return;
    this.timer = setInterval(() => {
      this.sampleAll().catch((err: unknown) => this.deps.log?.warn('sampling bucket metrics failed', { err }));
    }, every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Drops samples past retention, then takes one sample of every non-empty bucket now; returns
   * how many were recorded. A bucket's size and count are summed from read-only slices of a few
   * thousand rows (`bucketStatsSlice`), each its own short read with the event loop free in between,
   * so writes commit while a large bucket is being measured; only the sample row itself is
   * written, in one tiny transaction. The sample is the sum of the slices as each was read (a
   * key written meanwhile counts as it was when its slice was read), as a periodic gauge may be.
   */
  async sampleAll(): Promise<number> {
    const now = this.deps.clock();
    const keepFrom = now - (this.deps.retentionMs ?? 92 * 86_400_000);
    const ids = await this.deps.store.transaction(async (tx) => {
      await tx.control.deleteMetricSamplesBefore(keepFrom);
      return tx.control.listAllBucketIds();
    });
    let recorded = 0;
    for (const bucketId of ids) {
      const stats = await this.measure(bucketId);
      if (stats.objectCount === 0 && stats.sizeBytes === 0) continue;
      const took = await this.deps.store.transaction(async (tx) => {
        if (!(await tx.control.getBucketById(bucketId))) return false;
        await tx.control.insertMetricSample({
          bucketId,
          timestamp: now,
          bucketSizeBytes: stats.sizeBytes,
          numberOfObjects: stats.objectCount,
        });
        return true;
      });
      if (took) recorded++;
    }
    return recorded;
  }

  /** A bucket's size and object count, summed slice by slice from reads (never inside a write). */
  private async measure(bucketId: string): Promise<{ sizeBytes: number; objectCount: number }> {
    let sizeBytes = 0;
    let objectCount = 0;
    let cursor: string | undefined;
    do {
      const from = cursor;
      const slice = await this.deps.store.read((tx) => tx.objects.bucketStatsSlice(bucketId, from, STATS_SLICE_ROWS));
      sizeBytes += slice.sizeBytes;
      objectCount += slice.objectCount;
      cursor = slice.cursor;
      await yieldToEventLoop();
    } while (cursor !== undefined);
    return { sizeBytes, objectCount };
  }

  /** GetBucketMetricData: samples aggregated per period, oldest first, empty periods left out. */
  async getMetricData(
    caller: CallerContext,
    q: MetricDataQuery,
  ): Promise<{ metricName: BucketMetricName; metricData: MetricDatapoint[] }> {
    const metricName = checkQuery(q);
    const samples = await this.deps.store.read(async (tx) => {
      const b = await requireBucket(tx.control, caller, q.bucketName);
      return tx.control.listMetricSamples(b.id, q.startTime, q.endTime);
    });
    return { metricName, metricData: aggregate(samples, metricName, q) };
  }
}

function checkQuery(q: MetricDataQuery): BucketMetricName {
  if (q.metricName !== 'BucketSizeBytes' && q.metricName !== 'NumberOfObjects') {
    throw invalidInput(`metricName '${q.metricName}' is not valid: use 'BucketSizeBytes' or 'NumberOfObjects'.`);
  }
  const unit = METRIC_UNITS[q.metricName];
  if (q.unit !== unit) throw invalidInput(`unit '${q.unit}' is not valid for metric '${q.metricName}': use '${unit}'.`);
  if (!Number.isInteger(q.period) || q.period < 60 || q.period > 86400 || q.period % 60 !== 0) {
    throw invalidInput(`period ${q.period} is not valid: use a multiple of 60 seconds from 60 to 86400.`);
  }
  if (!(q.endTime > q.startTime)) {
    throw invalidInput(
      `endTime ${new Date(q.endTime).toISOString()} must be after startTime ${new Date(q.startTime).toISOString()}.`,
    );
  }
  if ((q.endTime - q.startTime) / (q.period * 1000) > MAX_DATAPOINTS) {
    throw invalidInput(
      `The time range and period ${q.period} would give more than ${MAX_DATAPOINTS} data points; use a longer period or a shorter range.`,
    );
  }
  if (q.statistics.length === 0)
    throw invalidInput('statistics must name at least one of Minimum, Maximum, Sum, Average, SampleCount.');
  for (const s of q.statistics) {
    if (!STATISTICS.has(s))
      throw invalidInput(`statistics value '${s}' is not one of Minimum, Maximum, Sum, Average, SampleCount.`);
  }
  return q.metricName;
}

function aggregate(samples: MetricSample[], metric: BucketMetricName, q: MetricDataQuery): MetricDatapoint[] {
  const periodMs = q.period * 1000;
  const buckets = new Map<number, number[]>();
  for (const s of samples) {
    const slot = q.startTime + Math.floor((s.timestamp - q.startTime) / periodMs) * periodMs;
    const v = metric === 'BucketSizeBytes' ? s.bucketSizeBytes : s.numberOfObjects;
    const list = buckets.get(slot);
    if (list) list.push(v);
    else buckets.set(slot, [v]);
  }
  const want = new Set(q.statistics);
  return [...buckets]
    .sort((a, b) => a[0] - b[0])
    .map(([timestamp, values]) => {
      const sum = values.reduce((a, b) => a + b, 0);
      const dp: MetricDatapoint = { timestamp, unit: METRIC_UNITS[metric] };
      if (want.has('Average')) dp.average = sum / values.length;
      if (want.has('Maximum')) dp.maximum = Math.max(...values);
      if (want.has('Minimum')) dp.minimum = Math.min(...values);
      if (want.has('SampleCount')) dp.sampleCount = values.length;
      if (want.has('Sum')) dp.sum = sum;
      return dp;
    });
}
