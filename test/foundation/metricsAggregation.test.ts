/**
 * The registry is ready for several worker processes: the registries of two "workers" merged by
 * prom-client's AggregatorRegistry (what a `--workers` primary would answer) sum the counters,
 * histograms and per-process gauges and take the maximum of the blob-store gauges that only one
 * process (the sweep's leader) measures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AggregatorRegistry } from 'prom-client';
import { createServerMetrics } from '../../src/metrics/serverMetrics.js';

test('two workers aggregate into one server figure', async () => {
  const a = createServerMetrics();
  const b = createServerMetrics();
  for (const [m, n] of [
    [a, 3],
    [b, 4],
  ] as const) {
    for (let i = 0; i < n; i++) {
      m.http.connectionOpened();
      m.http.requestStarted(true);
      m.http.requestFinished({ operation: 'PutObject' }, 200, 0.01, 1000, 200, true);
      m.commits.batch(2);
    }
    m.http.requestStarted(true); // one upload still in flight in each worker
  }
  a.sweeps.swept({ blobs: 10, bytes: 5000, removed: 1, tempRemoved: 0 }, 0.2);
  const merged = AggregatorRegistry.aggregate([
    await a.registry.getMetricsAsJSON(),
    await b.registry.getMetricsAsJSON(),
  ]);
  const text = await merged.metrics();
  const sample = (line: string): number => {
    const found = text.split('\n').find((l) => l.startsWith(line + ' '));
    assert.ok(found, `${line} missing from:\n${text}`);
    return Number(found.slice(line.length + 1));
  };
  assert.equal(sample('sailbucket_requests_total{operation="PutObject",status="200"}'), 7);
  assert.equal(sample('sailbucket_request_bytes_total{operation="PutObject"}'), 7000);
  assert.equal(sample('sailbucket_request_duration_seconds_count{operation="PutObject"}'), 7);
  assert.equal(sample('sailbucket_metadata_commit_batch_jobs_sum'), 14);
  assert.equal(sample('sailbucket_connections_open'), 7);
  assert.equal(sample('sailbucket_uploads_in_flight'), 2);
  assert.equal(sample('sailbucket_blob_store_bytes'), 5000, 'measured by one worker: the maximum, not a sum');
  assert.equal(sample('sailbucket_blob_store_blobs'), 10);
});
