/**
 * GetBucketMetricData with real samples: a server sampling every second (`--metrics-interval 1`),
 * objects put through S3 with the bucket's own access key, data points that match what was put.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketAccessKeyCommand,
  CreateBucketCommand,
  GetBucketMetricDataCommand,
  type GetBucketMetricDataCommandOutput,
  type LightsailClient,
  type MetricStatistic,
  type MetricUnit,
} from '@aws-sdk/client-lightsail';
import { CreateMultipartUploadCommand, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { lightsailClient, REGION } from './support.js';

const STATS: MetricStatistic[] = ['Sum', 'Average', 'Maximum', 'SampleCount'];

describe('control plane: GetBucketMetricData with sampled data', () => {
  let server: TestServer;
  let ls: LightsailClient;
  before(async () => {
    server = await startServer({ args: ['--metrics-interval', '1'] });
    ls = lightsailClient(server);
  });
  after(async () => {
    ls?.destroy();
    await server?.stop();
  });

  const query = (
    bucketName: string,
    metricName: 'BucketSizeBytes' | 'NumberOfObjects',
    unit: MetricUnit,
    startMs: number,
    endMs: number,
  ) =>
    ls.send(
      new GetBucketMetricDataCommand({
        bucketName,
        metricName,
        unit,
        statistics: STATS,
        period: 60,
        startTime: new Date(startMs),
        endTime: new Date(endMs),
      }),
    );

  it('BucketSizeBytes and NumberOfObjects match the objects put; an empty bucket has no data points', async () => {
    const full = uniqueBucketName('metfull');
    const empty = uniqueBucketName('metempty');
    await ls.send(new CreateBucketCommand({ bucketName: full, bundleId: 'small_1_0' }));
    await ls.send(new CreateBucketCommand({ bucketName: empty, bundleId: 'small_1_0' }));
    const key = (await ls.send(new CreateBucketAccessKeyCommand({ bucketName: full }))).accessKey!;
    const s3 = new S3Client({
      endpoint: server.endpoint,
      region: REGION,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: key.accessKeyId!, secretAccessKey: key.secretAccessKey! },
    });
    const sizes = [1, 1000, 65_537];
    try {
      for (const [i, size] of sizes.entries()) {
        await s3.send(
          new PutObjectCommand({ Bucket: full, Key: `dir/object-${i}.bin`, Body: Buffer.alloc(size, i + 1) }),
        );
      }
    } finally {
      s3.destroy();
    }
    const totalBytes = sizes.reduce((a, b) => a + b, 0);
    // Only samples taken after every put finished: the window starts at the next whole second.
    const start = Math.ceil(Date.now() / 1000) * 1000;
    const end = start + 120_000;

    let bytes: GetBucketMetricDataCommandOutput | undefined;
    let count: GetBucketMetricDataCommandOutput | undefined;
    const deadline = Date.now() + 30_000;
    for (let i = 0; i < 120 && Date.now() < deadline; i++) {
      // bounded: ~30 s at most
      bytes = await query(full, 'BucketSizeBytes', 'Bytes', start, end);
      count = await query(full, 'NumberOfObjects', 'Count', start, end);
      if ((bytes.metricData?.length ?? 0) > 0 && (count.metricData?.length ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(
      bytes?.metricData?.length,
      `BucketSizeBytes data points within 30 s (sampling every second); stderr:\n${server.stderr()}`,
    );
    assert.ok(count?.metricData?.length, 'NumberOfObjects data points within 30 s');

    assert.equal(bytes.metricName, 'BucketSizeBytes');
    for (const dp of bytes.metricData) {
      assert.equal(dp.unit, 'Bytes');
      assert.ok(dp.sampleCount! >= 1, `sampleCount ${dp.sampleCount}`);
      assert.equal(dp.average, totalBytes);
      assert.equal(dp.maximum, totalBytes);
      assert.equal(dp.sum, totalBytes * dp.sampleCount!);
      assert.equal(dp.minimum, undefined, 'only the requested statistics');
      const t = dp.timestamp!.getTime();
      assert.ok(
        t >= start && t < end && (t - start) % 60_000 === 0,
        `timestamp ${dp.timestamp!.toISOString()} starts a 60 s period of the window`,
      );
    }
    assert.equal(count.metricName, 'NumberOfObjects');
    for (const dp of count.metricData) {
      assert.equal(dp.unit, 'Count');
      assert.equal(dp.average, sizes.length);
      assert.equal(dp.maximum, sizes.length);
      assert.equal(dp.sum, sizes.length * dp.sampleCount!);
    }

    // The sampler has run since (the full bucket has samples): the empty bucket still has none.
    const none = await query(empty, 'BucketSizeBytes', 'Bytes', start - 60_000, end);
    assert.equal(none.metricName, 'BucketSizeBytes');
    assert.deepEqual(none.metricData, []);
    assert.deepEqual((await query(empty, 'NumberOfObjects', 'Count', start - 60_000, end)).metricData, []);
  });
  it('NumberOfObjects counts the parts of unfinished multipart uploads, as AWS documents', async () => {
    const name = uniqueBucketName('metparts');
    await ls.send(new CreateBucketCommand({ bucketName: name, bundleId: 'small_1_0' }));
    const key = (await ls.send(new CreateBucketAccessKeyCommand({ bucketName: name }))).accessKey!;
    const s3 = new S3Client({
      endpoint: server.endpoint,
      region: REGION,
      maxAttempts: 1,
      credentials: { accessKeyId: key.accessKeyId!, secretAccessKey: key.secretAccessKey! },
    });
    try {
      await s3.send(new PutObjectCommand({ Bucket: name, Key: 'whole', Body: 'x' }));
      const up = await s3.send(new CreateMultipartUploadCommand({ Bucket: name, Key: 'pending' }));
      for (const n of [1, 2])
        await s3.send(
          new UploadPartCommand({ Bucket: name, Key: 'pending', UploadId: up.UploadId, PartNumber: n, Body: 'pp' }),
        );
    } finally {
      s3.destroy();
    }
    const start = Math.ceil(Date.now() / 1000) * 1000;
    let count: GetBucketMetricDataCommandOutput | undefined;
    const deadline = Date.now() + 30_000;
    for (let i = 0; i < 120 && Date.now() < deadline; i++) {
      count = await query(name, 'NumberOfObjects', 'Count', start, start + 120_000);
      if ((count.metricData?.length ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(count?.metricData?.length, 'NumberOfObjects data points within 30 s');
    for (const dp of count.metricData) assert.equal(dp.maximum, 3, 'one object and two parts of an unfinished upload');
    const bytes = await query(name, 'BucketSizeBytes', 'Bytes', start, start + 120_000);
    for (const dp of bytes.metricData ?? []) assert.equal(dp.maximum, 5);
  });
});
