import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsSampler, type MetricDataQuery } from '../../src/domain/buckets/metrics.js';
import { caller, domainError, putObject, withFixture } from './support.js';

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
