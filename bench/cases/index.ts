import { createBucketAccessKey, getBucketAccessKeys } from './controlPlane.js';
import { deleteObjects } from './deleteObjects.js';
import { get1m, get4k, head4k } from './getObject.js';
import { listObjectsV2 } from './listObjects.js';
import { multipartUpload } from './multipartUpload.js';
import { put1m, put4kSha256, put4kUnsignedTrailer } from './putObject.js';
import type { BenchCase } from './types.js';

/** Every case, in the order they run. */
export const ALL_CASES: readonly BenchCase[] = [
  put4kSha256,
  put4kUnsignedTrailer,
  get4k,
  put1m,
  get1m,
  listObjectsV2,
  head4k,
  deleteObjects,
  multipartUpload,
  createBucketAccessKey,
  getBucketAccessKeys,
];
