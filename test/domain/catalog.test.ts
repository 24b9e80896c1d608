import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findActiveBundle, listBucketBundles } from '../../src/domain/buckets/bundles.js';
import { isLightsailRegion, listRegions } from '../../src/domain/regions.js';

test('bundles: the three plans, all active; includeInactive adds none', () => {
  assert.deepEqual(
    listBucketBundles().map((b) => [
      b.bundleId,
      b.name,
      b.price,
      b.storagePerMonthInGb,
      b.transferPerMonthInGb,
      b.isActive,
    ]),
    [
      ['small_1_0', 'Object Storage 5GB', 1, 5, 25, true],
      ['medium_1_0', 'Object Storage 100GB', 3, 100, 250, true],
      ['large_1_0', 'Object Storage 250GB', 5, 250, 500, true],
    ],
  );
  assert.deepEqual(listBucketBundles({ includeInactive: true }), listBucketBundles());
  assert.equal(findActiveBundle('medium_1_0')?.price, 3);
  assert.equal(findActiveBundle('nope'), undefined);
});

test('regions: the Lightsail region names; zones only when asked', () => {
  const regions = listRegions();
  // The model's RegionName enum (from the public Lightsail model) is the authority.
  const model = JSON.parse(readFileSync(new URL('../../../model/lightsail.json', import.meta.url), 'utf8')) as {
    shapes: { RegionName: { enum: string[] } };
  };
  assert.deepEqual(regions.map((r) => r.name).sort(), [...model.shapes.RegionName.enum].sort());
  for (const r of regions) {
    assert.ok(r.displayName && r.description && ['NA', 'EU', 'AP'].includes(r.continentCode), r.name);
    assert.deepEqual(r.availabilityZones, []);
  }
  const withZones = listRegions({ includeAvailabilityZones: true });
  const use1 = withZones.find((r) => r.name === 'us-east-1')!;
  assert.ok(use1.availabilityZones.length >= 3);
  for (const z of use1.availabilityZones) assert.match(z.zoneName, /^us-east-1[a-f]$/);
  assert.equal(isLightsailRegion('eu-west-2'), true);
  assert.equal(isLightsailRegion('mars-1'), false);
});
