/** Service and bucket operation handlers, by operation name. */
import type { HandlerTable } from '../../operationTable.js';
import { getBucketAcl, putBucketAcl } from './BucketAcl.js';
import {
  deleteBucketLifecycle,
  getBucketLifecycleConfiguration,
  putBucketLifecycleConfiguration,
} from './BucketLifecycle.js';
import { deleteBucketTagging, getBucketTagging, putBucketTagging } from './BucketTagging.js';
import { createBucket } from './CreateBucket.js';
import { deleteBucket } from './DeleteBucket.js';
import { deleteObjects } from './DeleteObjects.js';
import { getBucketCors } from './GetBucketCors.js';
import { getBucketLocation } from './GetBucketLocation.js';
import { getBucketVersioning } from './GetBucketVersioning.js';
import { headBucket } from './HeadBucket.js';
import { listBuckets } from './ListBuckets.js';
import { listObjects } from './ListObjects.js';
import { listObjectsV2 } from './ListObjectsV2.js';
import { listObjectVersions } from './ListObjectVersions.js';
import { optionsObject } from './OptionsObject.js';
import { postObject } from './PostObject.js';
import { deleteBucketCors, putBucketCors } from './PutBucketCors.js';
import { putBucketVersioning } from './PutBucketVersioning.js';

export const bucketHandlers: HandlerTable = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  GetBucketLocation: getBucketLocation,
  GetBucketVersioning: getBucketVersioning,
  GetBucketCors: getBucketCors,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  ListObjectVersions: listObjectVersions,
  DeleteObjects: deleteObjects,
  PostObject: postObject,
  OptionsObject: optionsObject,
  PutBucketVersioning: putBucketVersioning,
  PutBucketCors: putBucketCors,
  DeleteBucketCors: deleteBucketCors,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetBucketTagging: getBucketTagging,
  PutBucketTagging: putBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  GetBucketLifecycleConfiguration: getBucketLifecycleConfiguration,
  PutBucketLifecycleConfiguration: putBucketLifecycleConfiguration,
  DeleteBucketLifecycle: deleteBucketLifecycle,
};
