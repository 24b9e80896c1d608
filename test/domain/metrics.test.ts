import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsSampler, type MetricDataQuery } from '../../src/domain/buckets/metrics.js';
import type { ObjectRecord } from '../../src/domain/ports/objectRecords.js';
import type { MetadataStore } from '../../src/domain/ports/MetadataStore.js';
import { caller, domainError, putObject, withFixture } from './support.js';
import { onPostgres } from './testStore.js';

test('sampler: no samples while a bucket is empty; size and count once it holds objects', () =>
  withFixture(async (f) => {
    const sampler = new MetricsSampler({ store: f.store, clock: f.clock, intervalMs: 0 });
    const { bucket } = await f.buckets.create(caller, { bucketName: 'metered', bundleId: 'small_1_0' });
    await f.buckets.create(caller, { bucketName: 'idle', bundleId: 'small_1_0' });
    const start = f.time.now;
    const q = (over: Partial<MetricDataQuery> = {}): MetricDataQuery => ({
      bucketName: 'metered',
      metricName: 'BucketSizeBytes',
      startTime: start,
      endTime: start + 3600_000,
      period: 600,
      statistics: ['Average', 'Maximum', 'Minimum', 'Sum', 'SampleCount'],
      unit: 'Bytes',
      ...over,
    });
    assert.equal(await sampler.sampleAll(), 0);
    assert.deepEqual((await sampler.getMetricData(caller, q())).metricData, []);

    await putObject(f.store, bucket.id, 'a', 100);
    f.time.now = start + 60_000;
    assert.equal(await sampler.sampleAll(), 1, 'only the non-empty bucket is sampled');
    await putObject(f.store, bucket.id, 'b', 300);
    f.time.now = start + 120_000;
    await sampler.sampleAll();
    f.time.now = start + 700_000; // second period
    await sampler.sampleAll();

    const size = await sampler.getMetricData(caller, q());
    assert.equal(size.metricName, 'BucketSizeBytes');
    assert.deepEqual(size.metricData, [
      { timestamp: start, unit: 'Bytes', average: 250, maximum: 400, minimum: 100, sampleCount: 2, sum: 500 },
      { timestamp: start + 600_000, unit: 'Bytes', average: 400, maximum: 400, minimum: 400, sampleCount: 1, sum: 400 },
    ]);
    const count = await sampler.getMetricData(
      caller,
      q({ metricName: 'NumberOfObjects', unit: 'Count', statistics: ['Maximum'], period: 3600 }),
    );
    assert.deepEqual(count.metricData, [{ timestamp: start, unit: 'Count', maximum: 2 }]);
    const later = await sampler.getMetricData(caller, q({ startTime: start + 3600_000, endTime: start + 7200_000 }));
    assert.deepEqual(later.metricData, [], 'samples outside the range do not count');
    assert.deepEqual((await sampler.getMetricData(caller, q({ bucketName: 'idle' }))).metricData, []);

    const shortMemory = new MetricsSampler({ store: f.store, clock: f.clock, intervalMs: 0, retentionMs: 650_000 });
    f.time.now = start + 1_300_000;
    await shortMemory.sampleAll();
    const kept = await sampler.getMetricData(caller, q({ statistics: ['SampleCount'] }));
    assert.deepEqual(
      kept.metricData.map((d) => [d.timestamp - start, d.sampleCount]),
      [
        [600_000, 1],
        [1_200_000, 1],
      ],
      'samples older than the retention are removed when sampling',
    );
  }));

test('getMetricData validates metric, unit, period, range, statistics and the bucket', () =>
  withFixture(async (f) => {
    const sampler = new MetricsSampler({ store: f.store, clock: f.clock, intervalMs: 0 });
    await f.buckets.create(caller, { bucketName: 'checked', bundleId: 'small_1_0' });
    const base: MetricDataQuery = {
      bucketName: 'checked',
      metricName: 'NumberOfObjects',
      startTime: 0,
      endTime: 3600_000,
      period: 60,
      statistics: ['Sum'],
      unit: 'Count',
    };
    const cases: [Partial<MetricDataQuery>, string, RegExp][] = [
      [{ metricName: 'Latency' }, 'InvalidInput', /metricName 'Latency'/],
      [{ unit: 'Bytes' }, 'InvalidInput', /unit 'Bytes' is not valid for metric 'NumberOfObjects'/],
      [{ period: 90 }, 'InvalidInput', /period 90/],
      [{ period: 30 }, 'InvalidInput', /period 30/],
      [{ endTime: 0 }, 'InvalidInput', /must be after startTime/],
      [{ endTime: 86_400_000 * 2 }, 'InvalidInput', /more than 1440 data points/],
      [{ statistics: [] }, 'InvalidInput', /at least one/],
      [{ statistics: ['p99'] }, 'InvalidInput', /'p99'/],
      [{ bucketName: 'ghost' }, 'NotFound', /Bucket 'ghost' does not exist in us-east-1/],
    ];
    for (const [over, code, re] of cases)
      await assert.rejects(sampler.getMetricData(caller, { ...base, ...over }), domainError(code, re));
    assert.deepEqual(await sampler.getMetricData(caller, base), { metricName: 'NumberOfObjects', metricData: [] });
  }));

test('sampling a bucket of 200k objects never holds up a write: one issued mid-sampling commits while rows are still being read', () =>
  withFixture(async (f) => {
    const { bucket } = await f.buckets.create(caller, { bucketName: 'large', bundleId: 'small_1_0' });
    // On PostgreSQL each row is its own round trip to the server: 40k rows (8 slices of the
    // sampler) keep the run short there, and a read never blocks a write in PostgreSQL anyway.
    const N = onPostgres ? 40_000 : 200_000;
    const BATCH = 10_000;
    for (let start = 0; start < N; start += BATCH) {
      await f.store.transaction(async (tx) => {
        for (let i = start; i < start + BATCH; i++) await tx.objects.putObject(objectRow(bucket.id, `k/${i}`, 10));
      });
    }
    // The store as the sampler sees it: every call is recorded; its second call (the first one
    // after listing the buckets) is where it starts measuring the bucket, and a write is issued there.
    // Before its next read of rows starts, the sampler is held (up to 30 s) until that write has
    // committed: a loaded machine may take longer for one commit than for all the reads, and the
    // point is only that the write is not held up by a sampling that is under way. A sampler that
    // read the bucket in one go, or kept a lock the write needs, still fails the assertion below.
    const events: string[] = [];
    let written: Promise<void> | undefined;
    let calls = 0;
    const onCall = (kind: string) => {
      events.push(kind);
      if (++calls === 2)
        written = putObject(f.store, bucket.id, 'written-while-sampling', 7).then(() => {
          events.push('written');
        });
    };
    const heldUntilWritten = async () => {
      if (calls !== 2 || !written) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([written, new Promise((resolve) => (timer = setTimeout(resolve, 30_000)))]);
      clearTimeout(timer);
    };
    const store: MetadataStore = {
      transaction: (fn) => f.store.transaction((tx) => (onCall('transaction'), fn(tx))),
      read: async (fn) => {
        await heldUntilWritten();
        return f.store.read((tx) => (onCall('read'), fn(tx)));
      },
      close: () => f.store.close(),
    };
    const sampler = new MetricsSampler({ store, clock: f.clock, intervalMs: 0 });
    assert.equal(await sampler.sampleAll(), 1);
    assert.ok(written, 'the write was issued while sampling ran');
    await written;
    const lastRead = events.lastIndexOf('read');
    assert.ok(
      events.indexOf('written') < lastRead,
      `the write committed while the sampler was still reading the bucket's rows (events: ${events.filter((e, i) => i === 0 || e !== events[i - 1]).join(' > ')})`,
    );
    const count = await sampler.getMetricData(caller, {
      bucketName: 'large',
      metricName: 'NumberOfObjects',
      startTime: f.time.now - 60_000,
      endTime: f.time.now + 60_000,
      period: 60,
      statistics: ['Maximum'],
      unit: 'Count',
    });
    const sampled = count.metricData[0]?.maximum;
    assert.ok(sampled === N || sampled === N + 1, `NumberOfObjects ${sampled}`);
  }));

test('bucketStatsSlice: slices in key order add up to bucketStats, every version of a key in one slice', () =>
  withFixture(async (f) => {
    const { bucket } = await f.buckets.create(caller, { bucketName: 'sliced', bundleId: 'small_1_0' });
    for (let i = 0; i < 25; i++) await putObject(f.store, bucket.id, `k${i % 10}`, i + 1, `v${i}`);
    const whole = await f.store.read((tx) => tx.objects.bucketStats(bucket.id));
    for (const rows of [1, 2, 3, 7, 100]) {
      let cursor: string | undefined;
      let size = 0;
      let n = 0;
      let slices = 0;
      do {
        const from = cursor;
        const s = await f.store.read((tx) => tx.objects.bucketStatsSlice(bucket.id, from, rows));
        size += s.sizeBytes;
        n += s.objectCount;
        cursor = s.cursor;
        slices++;
      } while (cursor !== undefined);
      assert.deepEqual({ sizeBytes: size, objectCount: n }, whole, `slices of ${rows} rows`);
      assert.ok(slices <= 11, `${slices} slices of ${rows} rows`);
    }
  }));

function objectRow(bucketId: string, key: string, size: number): ObjectRecord {
  return {
    bucketId,
    key,
    versionId: 'null',
    isLatest: true,
    isDeleteMarker: false,
    size,
    etag: 'd41d8cd98f00b204e9800998ecf8427e',
    lastModified: 0,
    content: {},
    userMetadata: {},
    storageClass: 'STANDARD',
    acl: 'private',
    tags: [],
    partsCount: 0,
    segments: [{ blobId: '', offset: 0, length: size, partNumber: 0, inline: Buffer.alloc(size) }],
  };
}
