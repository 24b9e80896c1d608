/**
 * The S3 data plane for the composition root:
 *   createS3Plane({ baseDomains, region, credentials, lastUsed, services, handlers: s3Handlers(), clock, keyCache })
 * returns the PlaneHandler the HTTP server calls for every request without X-Amz-Target
 * (including `checkContinue` requests: 100 Continue is sent only after authorization).
 */
import type { HandlerTable } from './operationTable.js';
import { bucketHandlers } from './handlers/bucket/index.js';
import { objectHandlers } from './handlers/object/index.js';
import { multipartHandlers } from './handlers/multipart/index.js';

export { createS3Plane } from './pipeline.js';

/** Every S3 handler Sailbucket has, by operation. */
export function s3Handlers(): HandlerTable {
  return { ...bucketHandlers, ...objectHandlers, ...multipartHandlers };
}
