/**
 * The domain services S3 handlers use, passed down from the composition root (app.ts).
 * Handlers reach them through `call.services`; nothing is imported as a global.
 */
import type { BucketService } from '../domain/buckets/buckets.js';
import type { ObjectService } from '../domain/objects/objects.js';
import type { MultipartService } from '../domain/multipart/multipart.js';
import type { LifecycleRunner } from '../domain/lifecycle/runner.js';

export interface S3Services {
  readonly buckets: BucketService;
  readonly objects: ObjectService;
  readonly multipart: MultipartService;
  /** The buckets' lifecycle rules (for `x-amz-expiration`). */
  readonly lifecycle: Pick<LifecycleRunner, 'expirationOf'>;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}
