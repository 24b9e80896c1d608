/**
 * The lifecycle runner on a real store with a clock the test advances: when each action falls due
 * (S3's rounding to the next midnight UTC), what it does in each versioning state, filters, the
 * newest noncurrent versions kept, lonely delete markers, unfinished uploads, and a write racing
 * with an expiration (the newer object is never removed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../src/log.js';
import { LifecycleRunner, type LifecycleEvent } from '../../src/domain/lifecycle/runner.js';
import { commonPrefix, currentExpiration, dueAfterDays } from '../../src/domain/lifecycle/rules.js';
import { expireCurrentVersion } from '../../src/domain/objects/expire.js';
import type { BucketRecord, LifecycleRule } from '../../src/domain/ports/records.js';
import { body, objectsFixture, text, type ObjectsFixture } from './objectsFixture.js';

const DAY = 86_400_000;
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

async function withRules(f: ObjectsFixture, rules: LifecycleRule[]) {
  const b = (await f.store.read((tx) => tx.control.getBucketById(f.bucket.id))) as BucketRecord;
  await f.store.transaction((tx) => tx.control.updateBucket({ ...b, lifecycle: rules }));
  const events: LifecycleEvent[] = [];
  const runner = new LifecycleRunner({
    store: f.store,
    objects: { store: f.store, blobs: f.blobs, clock: () => f.now.ms },
    log: quiet,
    clock: () => f.now.ms,
    intervalMs: 60_000,
  });
  runner.observe((e) => events.push(e));
  return { runner, events };
}

const keys = async (f: ObjectsFixture): Promise<string[]> =>
  (await f.objects.listObjectsV2(f.bucket, { maxKeys: 1000 })).contents.map((o) => o.key);
const versions = async (f: ObjectsFixture, prefix = '') =>
  (await f.objects.listObjectVersions(f.bucket, { prefix })).versions.map((v) => ({
    key: v.key,
    versionId: v.versionId,
    marker: v.isDeleteMarker,
    latest: v.isLatest,
  }));

test('due times round up to the next midnight UTC; the scan starts at the prefix rules share', () => {
  const t = Date.UTC(2026, 0, 15, 10, 30);
  assert.equal(dueAfterDays(t, 3), Date.UTC(2026, 0, 19));
  assert.equal(dueAfterDays(Date.UTC(2026, 0, 15), 1), Date.UTC(2026, 0, 16));
  assert.equal(dueAfterDays(25_000, 2, 10_000), 50_000, 'a shortened day rounds to its own multiples');
  const r = (prefix: string): LifecycleRule => ({ id: prefix, enabled: true, prefix, expiration: { days: 1 } });
  assert.equal(commonPrefix([r('logs/2026/'), r('logs/2025/')]), 'logs/202');
  assert.equal(commonPrefix([r('logs/'), r('tmp/')]), '');
});

test('x-amz-expiration: the earliest Expiration of the enabled rules that apply, with its rule', () => {
  const lm = Date.UTC(2026, 0, 10, 15, 30);
  const rules: LifecycleRule[] = [
    { id: 'long', enabled: true, prefix: 'logs/', expiration: { days: 30 } },
    { id: 'short', enabled: true, filter: { prefix: 'logs/tmp/' }, expiration: { days: 2 } },
    { id: 'off', enabled: false, prefix: 'logs/', expiration: { days: 1 } },
    { id: 'tagged', enabled: true, filter: { tags: [{ key: 'k', value: 'v' }] }, expiration: { days: 5 } },
    { id: 'date', enabled: true, filter: { objectSizeGreaterThan: 1000 }, expiration: { date: Date.UTC(2026, 5, 1) } },
    { id: 'markers', enabled: true, expiration: { expiredObjectDeleteMarker: true } },
    { id: 'noncurrent', enabled: true, noncurrentVersionExpiration: { noncurrentDays: 1 } },
  ];
  const at = (key: string, size = 10, tags: { key: string; value: string }[] = []) =>
    currentExpiration(rules, { key, size, tags, lastModified: lm });
  assert.deepEqual(at('logs/a'), { at: Date.UTC(2026, 1, 10), ruleId: 'long' });
  assert.deepEqual(at('logs/tmp/a'), { at: Date.UTC(2026, 0, 13), ruleId: 'short' });
  assert.deepEqual(at('logs/a', 10, [{ key: 'k', value: 'v' }]), { at: Date.UTC(2026, 0, 16), ruleId: 'tagged' });
  assert.deepEqual(at('big', 5000), { at: Date.UTC(2026, 5, 1), ruleId: 'date' });
  assert.equal(at('other'), undefined);
  assert.equal(at('other', 10, [{ key: 'k', value: 'x' }]), undefined);
});

test('Expiration Days removes current objects once due (unversioned), only under the prefix', async () => {
  const f = await objectsFixture('NeverEnabled');
  try {
    f.now.ms = Date.UTC(2026, 0, 15, 10, 30);
    await f.objects.putObject(f.bucket, 'tmp/a', body('a'));
    await f.objects.putObject(f.bucket, 'keep/b', body('b'));
    const { runner, events } = await withRules(f, [
      { id: 'tmp', enabled: true, prefix: 'tmp/', expiration: { days: 1 } },
      { id: 'off', enabled: false, prefix: 'keep/', expiration: { days: 1 } },
    ]);
    f.now.ms = Date.UTC(2026, 0, 16, 23, 59); // one day later, before the rounded-up midnight
    assert.equal((await runner.runOnce()).expired, 0);
    assert.deepEqual(await keys(f), ['keep/b', 'tmp/a']);
    f.now.ms = Date.UTC(2026, 0, 17);
    const stats = await runner.runOnce();
    assert.deepEqual(stats, { buckets: 1, expired: 1, deleteMarkers: 0, uploadsAborted: 0 });
    assert.deepEqual(await keys(f), ['keep/b'], 'a disabled rule does nothing');
    assert.deepEqual(
      events.map((e) => [e.kind, e.key, e.ruleId, e.size]),
      [['expired', 'tmp/a', 'tmp', 1]],
    );
    assert.equal((await f.blobIds()).length, 1, "the expired object's blob is freed");
  } finally {
    await f.cleanup();
  }
});

test('versioned: Expiration puts a delete marker on top; NoncurrentVersionExpiration keeps the newest noncurrent ones', async () => {
  const f = await objectsFixture('Enabled');
  try {
    const t0 = Date.UTC(2026, 2, 1, 12);
    for (let i = 0; i < 4; i++) {
      f.now.ms = t0 + i * DAY; // versions 1..4 of one key, a day apart
      await f.objects.putObject(f.bucket, 'doc', body(`v${i + 1}`));
    }
    const { runner, events } = await withRules(f, [
      {
        id: 'nc',
        enabled: true,
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: 2, newerNoncurrentVersions: 1 },
      },
    ]);
    // v1 stopped being current at t0+1d (due t0+3d→midnight), v2 at t0+2d, v3 at t0+3d.
    f.now.ms = Date.UTC(2026, 2, 6);
    await runner.runOnce();
    // v1 and v2 are due; v3 is due too but is the newest noncurrent version, which is kept.
    const left = await versions(f);
    assert.equal(left.length, 2);
    assert.equal(await text((await f.objects.getObject(f.bucket, 'doc')).open()), 'v4');
    assert.equal(
      await text((await f.objects.getObject(f.bucket, 'doc', { versionId: left[1].versionId })).open()),
      'v3',
    );
    assert.equal(events.length, 2);

    const exp = await withRules(f, [{ id: 'cur', enabled: true, filter: { prefix: 'doc' }, expiration: { days: 30 } }]);
    f.now.ms = Date.UTC(2026, 3, 10);
    assert.equal((await exp.runner.runOnce()).deleteMarkers, 1);
    const after = await versions(f);
    assert.equal(after.length, 3);
    assert.equal(after[0].marker, true);
    assert.equal(after[0].latest, true);
    await assert.rejects(f.objects.getObject(f.bucket, 'doc'));
    // A second run leaves the marker: the key still has versions under it.
    assert.equal((await exp.runner.runOnce()).deleteMarkers + (await exp.runner.runOnce()).expired, 0);
  } finally {
    await f.cleanup();
  }
});

test('a delete marker left alone goes with ExpiredObjectDeleteMarker, or with Expiration Days once old enough', async () => {
  const f = await objectsFixture('Enabled');
  try {
    f.now.ms = Date.UTC(2026, 4, 1);
    await f.objects.putObject(f.bucket, 'a', body('a'));
    await f.objects.putObject(f.bucket, 'b', body('b'));
    await f.objects.deleteObject(f.bucket, 'a');
    await f.objects.deleteObject(f.bucket, 'b');
    // 'a' loses its only version: its marker is alone.
    const aVersion = (await versions(f, 'a')).find((v) => !v.marker)!.versionId;
    await f.objects.deleteObject(f.bucket, 'a', { versionId: aVersion });
    const { runner } = await withRules(f, [
      { id: 'm', enabled: true, filter: { prefix: '' }, expiration: { expiredObjectDeleteMarker: true } },
    ]);
    await runner.runOnce();
    assert.deepEqual(
      (await versions(f)).map((v) => [v.key, v.marker]),
      [
        ['b', true],
        ['b', false],
      ],
      "only the lonely marker went; b's marker still hides a version",
    );
    // With NoncurrentVersionExpiration in the same pass, b's version goes, then its marker is alone.
    const both = await withRules(f, [
      {
        id: 'all',
        enabled: true,
        filter: {},
        expiration: { days: 1 },
        noncurrentVersionExpiration: { noncurrentDays: 1 },
      },
    ]);
    f.now.ms = Date.UTC(2026, 4, 3);
    await both.runner.runOnce();
    assert.deepEqual(await versions(f), []);
  } finally {
    await f.cleanup();
  }
});

test('filters: tags (all must match), object size bounds, And; a Date rule expires everything matching from that day', async () => {
  const f = await objectsFixture('NeverEnabled');
  try {
    f.now.ms = Date.UTC(2026, 5, 1, 8);
    await f.objects.putObject(f.bucket, 'x/tagged', body('12345'), {
      tags: [
        { key: 'class', value: 'tmp' },
        { key: 'team', value: 'a' },
      ],
    });
    await f.objects.putObject(f.bucket, 'x/half', body('12345'), { tags: [{ key: 'class', value: 'tmp' }] });
    await f.objects.putObject(f.bucket, 'x/small', body('1'));
    await f.objects.putObject(f.bucket, 'x/big', body('1234567890'));
    const { runner } = await withRules(f, [
      {
        id: 'tags',
        enabled: true,
        filter: {
          and: true,
          prefix: 'x/',
          tags: [
            { key: 'class', value: 'tmp' },
            { key: 'team', value: 'a' },
          ],
        },
        expiration: { days: 1 },
      },
      { id: 'size', enabled: true, filter: { objectSizeGreaterThan: 8 }, expiration: { date: Date.UTC(2026, 5, 5) } },
    ]);
    f.now.ms = Date.UTC(2026, 5, 3); // written 06-01 08:00 + 1 day, rounded up to midnight
    await runner.runOnce();
    assert.deepEqual(await keys(f), ['x/big', 'x/half', 'x/small'], 'only the object with both tags');
    f.now.ms = Date.UTC(2026, 5, 5);
    await runner.runOnce();
    assert.deepEqual(await keys(f), ['x/half', 'x/small'], 'the Date rule took the object over 8 bytes');
  } finally {
    await f.cleanup();
  }
});

test('AbortIncompleteMultipartUpload aborts uploads that many days after initiation, under its prefix', async () => {
  const f = await objectsFixture('NeverEnabled');
  try {
    f.now.ms = Date.UTC(2026, 6, 1, 9);
    const old = await f.multipart.createMultipartUpload(f.bucket, 'up/old');
    await f.multipart.uploadPart(f.bucket, 'up/old', old.uploadId, 1, body('part one'));
    const other = await f.multipart.createMultipartUpload(f.bucket, 'elsewhere/old');
    f.now.ms = Date.UTC(2026, 6, 3, 9);
    const young = await f.multipart.createMultipartUpload(f.bucket, 'up/young');
    const { runner, events } = await withRules(f, [
      { id: 'mpu', enabled: true, prefix: 'up/', abortIncompleteMultipartUpload: { daysAfterInitiation: 2 } },
    ]);
    f.now.ms = Date.UTC(2026, 6, 4);
    assert.equal((await runner.runOnce()).uploadsAborted, 1);
    const left = (await f.multipart.listMultipartUploads(f.bucket)).uploads.map((u) => u.uploadId).sort();
    assert.deepEqual(left, [other.uploadId, young.uploadId].sort());
    assert.deepEqual(
      events.map((e) => [e.kind, e.key]),
      [['uploadAborted', 'up/old']],
    );
    assert.deepEqual(await f.blobIds(), [], "the aborted upload's part is freed");
  } finally {
    await f.cleanup();
  }
});

test('a version replaced after the scan saw it is not expired (the newer write wins)', async () => {
  const f = await objectsFixture('Enabled');
  try {
    f.now.ms = Date.UTC(2026, 7, 1);
    const seen = await f.objects.putObject(f.bucket, 'k', body('old'));
    // A write lands between the scan's read and its expiration.
    await f.objects.putObject(f.bucket, 'k', body('new'));
    const deps = { store: f.store, blobs: f.blobs, clock: () => f.now.ms };
    assert.equal(await expireCurrentVersion(deps, f.bucket, 'k', seen.versionId), undefined);
    assert.equal(await text((await f.objects.getObject(f.bucket, 'k')).open()), 'new');
    assert.equal((await versions(f)).filter((v) => v.marker).length, 0, 'no delete marker was added');
  } finally {
    await f.cleanup();
  }
});
