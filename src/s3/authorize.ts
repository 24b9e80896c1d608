/**
 * The one place S3 authorization is decided (spec: "Authorization" table). Runs after the
 * signature is verified and before any handler. A bucket key asking about another bucket is
 * refused before that bucket is even looked up, so a key cannot probe for names.
 */
import type { Principal } from '../domain/keys/principals.js';
import type { BucketRecord } from '../domain/ports/records.js';
import { S3Error } from './errors.js';
import type { AccessClass, OperationSpec } from './operationTable.js';
import type { S3Endpoint } from './types.js';

export interface AuthorizeDeps {
  /** The bucket with this name, whatever its account; undefined when there is none. */
  getBucket(name: string): Promise<BucketRecord | undefined>;
  /** Whether the object (latest, or the given version) carries the `public-read` ACL. False when it does not exist. */
  isObjectPublicRead(bucket: BucketRecord, key: string, versionId: string | undefined): Promise<boolean>;
}

/** `expectedBucketOwner`: the `x-amz-expected-bucket-owner` header, when sent (a mismatch is AccessDenied, as S3). */
export type Authorizer = (
  spec: OperationSpec,
  principal: Principal,
  endpoint: S3Endpoint,
  expectedBucketOwner?: string,
) => Promise<BucketRecord | undefined>;

const denied = (why: string): S3Error => new S3Error('AccessDenied', `Access Denied: ${why}`);

const READS: ReadonlySet<AccessClass> = new Set<AccessClass>(['bucketRead', 'objectRead']);

/** Anonymous callers: GetObject/HeadObject of public objects, nothing else. */
async function authorizeAnonymous(
  deps: AuthorizeDeps,
  spec: OperationSpec,
  endpoint: S3Endpoint,
): Promise<BucketRecord> {
  const anonymousRead =
    spec.access === 'objectRead' && (endpoint.operation === 'GetObject' || endpoint.operation === 'HeadObject');
  if (!anonymousRead || endpoint.bucket === undefined || endpoint.key === undefined) {
    throw denied(`anonymous requests may not call ${endpoint.operation}; sign the request with an access key`);
  }
  const bucket = await deps.getBucket(endpoint.bucket);
  if (bucket !== undefined) {
    if (bucket.accessRules.getObject === 'public') return bucket;
    if (
      bucket.accessRules.allowPublicOverrides &&
      (await deps.isObjectPublicRead(bucket, endpoint.key, endpoint.query.get('versionId')))
    ) {
      return bucket;
    }
  }
  throw denied(
    `the object is not public; anonymous ${endpoint.operation} needs a public bucket or a public-read object`,
  );
}

/** Authorization for a principal on a named bucket (also used for CopyObject/UploadPartCopy sources). */
async function authorizeOnBucket(
  deps: AuthorizeDeps,
  access: AccessClass,
  principal: Exclude<Principal, { kind: 'anonymous' }>,
  bucketName: string,
  operation: string,
): Promise<BucketRecord> {
  if (principal.kind === 'bucketKey') {
    // Decided before any lookup: the same answer whether `bucketName` exists or not.
    if (principal.bucketName !== bucketName)
      throw denied(`access key ${principal.accessKeyId} may only be used with its own bucket`);
    if (access === 'rootOnly')
      throw denied(`${operation} needs the account's root credentials; a bucket access key may not call it`);
    const bucket = await deps.getBucket(bucketName);
    if (bucket === undefined || bucket.id !== principal.bucketId)
      throw denied(`access key ${principal.accessKeyId} may only be used with its own bucket`);
    if (access === 'objectAclWrite' && !bucket.accessRules.allowPublicOverrides) {
      throw denied(
        `bucket '${bucketName}' does not allow public overrides, so its access keys may not change object ACLs`,
      );
    }
    return bucket;
  }
  const bucket = await deps.getBucket(bucketName);
  if (bucket === undefined)
    throw new S3Error('NoSuchBucket', `The specified bucket does not exist: '${bucketName}'`, {
      BucketName: bucketName,
    });
  if (bucket.accountId === principal.accountId) return bucket;
  if (READS.has(access) && bucket.readonlyAccessAccounts.includes(principal.accountId)) return bucket;
  throw denied(`bucket '${bucketName}' belongs to another account`);
}

/** Preflights are unsigned by design: they only need the bucket (its CORS rules decide). */
async function preflightBucket(deps: AuthorizeDeps, endpoint: S3Endpoint): Promise<BucketRecord> {
  const bucket = endpoint.bucket === undefined ? undefined : await deps.getBucket(endpoint.bucket);
  if (bucket === undefined)
    throw new S3Error(
      'AccessForbidden',
      'CORSResponse: This CORS request is not allowed: the bucket has no CORS configuration.',
    );
  return bucket;
}

export function createAuthorizer(deps: AuthorizeDeps): Authorizer {
  const decide = async (
    spec: OperationSpec,
    principal: Principal,
    endpoint: S3Endpoint,
  ): Promise<BucketRecord | undefined> => {
    if (spec.access === 'corsPreflight') return preflightBucket(deps, endpoint);
    // The form's signer is authorized by the handler once the form is read (S3Call.postForm).
    if (spec.access === 'postForm') return undefined;
    if (principal.kind === 'anonymous') return authorizeAnonymous(deps, spec, endpoint);
    switch (spec.access) {
      case 'listBuckets':
        return undefined;
      case 'createBucket':
        if (principal.kind !== 'root')
          throw denied(
            `CreateBucket needs the account's root credentials; access key ${principal.accessKeyId} belongs to bucket '${principal.bucketName}'`,
          );
        return undefined;
      default:
        if (endpoint.bucket === undefined)
          throw new S3Error('InvalidRequest', `${endpoint.operation} needs a bucket name`);
        return authorizeOnBucket(deps, spec.access, principal, endpoint.bucket, endpoint.operation);
    }
  };
  return async (spec, principal, endpoint, expectedBucketOwner) => {
    const bucket = await decide(spec, principal, endpoint);
    if (expectedBucketOwner !== undefined && bucket !== undefined && bucket.accountId !== expectedBucketOwner) {
      throw denied(`bucket '${bucket.name}' is not owned by the expected bucket owner '${expectedBucketOwner}'`);
    }
    return bucket;
  };
}

/** Read authorization on another bucket for copy sources: same rules as `bucketRead`. */
export function authorizeSourceRead(
  deps: AuthorizeDeps,
  principal: Principal,
  bucketName: string,
): Promise<BucketRecord> {
  if (principal.kind === 'anonymous') return Promise.reject(denied('anonymous requests may not read a copy source'));
  return authorizeOnBucket(deps, 'bucketRead', principal, bucketName, 'copy source read');
}
