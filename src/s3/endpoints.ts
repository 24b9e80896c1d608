/**
 * Method + scope + query subresources → the S3 operation name. Subresource tables are built
 * once; resolving is a few Map lookups. Unknown combinations are MethodNotAllowed (a method S3
 * never accepts there) or NotImplemented (a subresource S3 has that Sailbucket does not serve).
 */
import { S3Error } from './errors.js';
import type { S3Operation, S3Query } from './types.js';

type Table = ReadonlyArray<readonly [subresource: string, op: S3Operation]>;

const BUCKET_GET: Table = [
  ['location', 'GetBucketLocation'],
  ['versioning', 'GetBucketVersioning'],
  ['cors', 'GetBucketCors'],
  ['versions', 'ListObjectVersions'],
  ['uploads', 'ListMultipartUploads'],
  ['policy', 'GetBucketPolicy'],
  ['policyStatus', 'GetBucketPolicyStatus'],
  ['acl', 'GetBucketAcl'],
  ['tagging', 'GetBucketTagging'],
  ['lifecycle', 'GetBucketLifecycleConfiguration'],
  ['encryption', 'GetBucketEncryption'],
  ['logging', 'GetBucketLogging'],
  ['website', 'GetBucketWebsite'],
  ['publicAccessBlock', 'GetPublicAccessBlock'],
  ['ownershipControls', 'GetBucketOwnershipControls'],
  ['notification', 'GetBucketNotificationConfiguration'],
  ['object-lock', 'GetObjectLockConfiguration'],
  ['replication', 'GetBucketReplication'],
  ['requestPayment', 'GetBucketRequestPayment'],
  ['accelerate', 'GetBucketAccelerateConfiguration'],
];
const BUCKET_PUT: Table = [
  ['versioning', 'PutBucketVersioning'],
  ['cors', 'PutBucketCors'],
  ['policy', 'PutBucketPolicy'],
  ['acl', 'PutBucketAcl'],
  ['tagging', 'PutBucketTagging'],
  ['lifecycle', 'PutBucketLifecycleConfiguration'],
  ['encryption', 'PutBucketEncryption'],
  ['logging', 'PutBucketLogging'],
  ['website', 'PutBucketWebsite'],
  ['publicAccessBlock', 'PutPublicAccessBlock'],
  ['ownershipControls', 'PutBucketOwnershipControls'],
  ['notification', 'PutBucketNotificationConfiguration'],
  ['object-lock', 'PutObjectLockConfiguration'],
  ['replication', 'PutBucketReplication'],
  ['requestPayment', 'PutBucketRequestPayment'],
  ['accelerate', 'PutBucketAccelerateConfiguration'],
];
const BUCKET_DELETE: Table = [
  ['cors', 'DeleteBucketCors'],
  ['policy', 'DeleteBucketPolicy'],
  ['tagging', 'DeleteBucketTagging'],
  ['lifecycle', 'DeleteBucketLifecycle'],
  ['encryption', 'DeleteBucketEncryption'],
  ['website', 'DeleteBucketWebsite'],
  ['publicAccessBlock', 'DeletePublicAccessBlock'],
  ['ownershipControls', 'DeleteBucketOwnershipControls'],
  ['replication', 'DeleteBucketReplication'],
];
/** Bucket subresources S3 has that are not in the operation table at all. */
const BUCKET_UNSUPPORTED: readonly string[] = [
  'analytics',
  'metrics',
  'inventory',
  'intelligent-tiering',
  'metadataTable',
  'session',
  'torrent',
];

const OBJECT_GET: Table = [
  ['uploadId', 'ListParts'],
  ['tagging', 'GetObjectTagging'],
  ['acl', 'GetObjectAcl'],
  ['attributes', 'GetObjectAttributes'],
  ['retention', 'GetObjectRetention'],
  ['legal-hold', 'GetObjectLegalHold'],
  ['torrent', 'GetObjectTorrent'],
];
const OBJECT_PUT: Table = [
  ['tagging', 'PutObjectTagging'],
  ['acl', 'PutObjectAcl'],
  ['retention', 'PutObjectRetention'],
  ['legal-hold', 'PutObjectLegalHold'],
];
const OBJECT_DELETE: Table = [
  ['uploadId', 'AbortMultipartUpload'],
  ['tagging', 'DeleteObjectTagging'],
];
const OBJECT_POST: Table = [
  ['uploads', 'CreateMultipartUpload'],
  ['uploadId', 'CompleteMultipartUpload'],
  ['restore', 'RestoreObject'],
  ['select', 'SelectObjectContent'],
];

function find(table: Table, query: S3Query): S3Operation | undefined {
  if (query.size === 0) return undefined;
  for (const [sub, op] of table) if (query.has(sub)) return op;
  return undefined;
}

const notAllowed = (method: string, what: string): S3Error =>
  new S3Error('MethodNotAllowed', `The specified method '${method}' is not allowed against this ${what}.`, {
    Method: method,
    ResourceType: what.toUpperCase(),
  });

function bucketOperation(method: string, query: S3Query): S3Operation {
  switch (method) {
    case 'GET': {
      const op = find(BUCKET_GET, query);
      if (op !== undefined) return op;
      for (const sub of BUCKET_UNSUPPORTED) {
        if (query.has(sub))
          throw new S3Error('NotImplemented', `The bucket subresource '${sub}' is not implemented by Sailbucket.`);
      }
      return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    }
    case 'HEAD':
      return 'HeadBucket';
    case 'OPTIONS':
      return 'OptionsObject';
    case 'PUT':
      return find(BUCKET_PUT, query) ?? unsupportedOr(query, 'CreateBucket');
    case 'DELETE':
      return find(BUCKET_DELETE, query) ?? unsupportedOr(query, 'DeleteBucket');
    case 'POST':
      return query.has('delete') ? 'DeleteObjects' : 'PostObject';
    default:
      throw notAllowed(method, 'bucket');
  }
}

function unsupportedOr(query: S3Query, op: S3Operation): S3Operation {
  for (const sub of BUCKET_UNSUPPORTED) {
    if (query.has(sub))
      throw new S3Error('NotImplemented', `The bucket subresource '${sub}' is not implemented by Sailbucket.`);
  }
  return op;
}

function objectOperation(method: string, query: S3Query, hasCopySource: boolean): S3Operation {
  switch (method) {
    case 'GET':
      return find(OBJECT_GET, query) ?? 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'OPTIONS':
      return 'OptionsObject';
    case 'PUT':
      if (query.has('uploadId') || query.has('partNumber')) return hasCopySource ? 'UploadPartCopy' : 'UploadPart';
      return find(OBJECT_PUT, query) ?? (hasCopySource ? 'CopyObject' : 'PutObject');
    case 'DELETE':
      return find(OBJECT_DELETE, query) ?? 'DeleteObject';
    case 'POST': {
      const op = find(OBJECT_POST, query);
      if (op !== undefined) return op;
      throw notAllowed(method, 'object');
    }
    default:
      throw notAllowed(method, 'object');
  }
}

export function operationFor(
  method: string,
  hasBucket: boolean,
  hasKey: boolean,
  query: S3Query,
  hasCopySource: boolean,
): S3Operation {
  if (!hasBucket) {
    if (method === 'GET') return 'ListBuckets';
    throw notAllowed(method, 'service');
  }
  return hasKey ? objectOperation(method, query, hasCopySource) : bucketOperation(method, query);
}
