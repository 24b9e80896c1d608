/** Builds the two wire protocols from the domain services (part of the composition root). */
import type { PlaneHandler } from './http/types.js';
import type { Services } from './services.js';
import { createControlPlane } from './control/ControlPlane.js';
import { createBucketUrlBuilder } from './control/bucketUrl.js';
import { createS3Plane } from './s3/pipeline.js';
import { s3Handlers } from './s3/index.js';

export function createControlPlaneFor(s: Services): PlaneHandler {
  return createControlPlane({
    services: {
      buckets: s.buckets,
      accessKeys: s.accessKeys,
      operations: s.operations,
      metrics: s.metrics,
      accounts: s.accounts,
    },
    credentials: s.credentials,
    keyCache: s.keyCache,
    clock: s.clock,
    log: s.log,
    bucketUrl: createBucketUrlBuilder(s.publicUrl, s.opts.baseDomains[0]),
  });
}

export function createS3PlaneFor(s: Services): PlaneHandler {
  return createS3Plane({
    baseDomains: s.opts.baseDomains,
    region: s.opts.region,
    credentials: s.credentials,
    lastUsed: s.lastUsed,
    services: {
      buckets: s.buckets,
      objects: s.objects,
      multipart: s.multipart,
      lifecycle: s.lifecycle,
      clock: s.clock,
    },
    handlers: s3Handlers(),
    clock: s.clock,
    keyCache: s.keyCache,
    sigV2: s.opts.sigV2,
  });
}
