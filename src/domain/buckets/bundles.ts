/** A bucket plan (Lightsail `BucketBundle`). */
export interface BucketBundle {
  bundleId: string;
  name: string;
  price: number; // USD per month
  storagePerMonthInGb: number;
  transferPerMonthInGb: number;
  isActive: boolean;
}

const BUNDLES: readonly BucketBundle[] = Object.freeze([
  {
    bundleId: 'small_1_0',
    name: 'Object Storage 5GB',
    price: 1.0,
    storagePerMonthInGb: 5,
    transferPerMonthInGb: 25,
    isActive: true,
  },
  {
    bundleId: 'medium_1_0',
    name: 'Object Storage 100GB',
    price: 3.0,
    storagePerMonthInGb: 100,
    transferPerMonthInGb: 250,
    isActive: true,
  },
  {
    bundleId: 'large_1_0',
    name: 'Object Storage 250GB',
    price: 5.0,
    storagePerMonthInGb: 250,
    transferPerMonthInGb: 500,
    isActive: true,
  },
]);

/** The plans on offer; `includeInactive` adds retired plans (there are none today). */
export function listBucketBundles(opts: { includeInactive?: boolean } = {}): BucketBundle[] {
  return BUNDLES.filter((b) => b.isActive || opts.includeInactive === true).map((b) => ({ ...b }));
}

/** The bundle a bucket may be created with or moved to (active only), or undefined. */
export function findActiveBundle(bundleId: string): BucketBundle | undefined {
  const b = BUNDLES.find((x) => x.bundleId === bundleId && x.isActive);
  return b && { ...b };
}
