/**
 * The operation table: every S3 operation declares its scope (what the call carries) and its
 * access class (who may call it). The type requires an entry for every operation, and the pipeline
 * authorizes by this table before any handler runs, so an operation cannot skip authorization.
 */
import type { BucketCall, ObjectCall, S3Call, S3Handler, S3Operation } from './types.js';

/**
 * - `listBuckets`: any authenticated principal (a bucket key sees only its bucket).
 * - `createBucket`: account root only.
 * - `rootOnly`: root of the bucket's account (bucket deletion and configuration beyond the reads keys may do).
 * - `bucketRead`: root, the bucket's own key, accounts in `readonlyAccessAccounts`.
 * - `bucketWrite`: root, the bucket's own key.
 * - `objectRead`: as bucketRead, plus anonymous when the access rules make the object public.
 * - `objectWrite`: root, the bucket's own key.
 * - `objectAclWrite`: root; the bucket's own key only where the bucket allows public overrides.
 * - `corsPreflight`: anyone, signed or not (browsers never sign preflights); the bucket must exist.
 * - `postForm`: anyone at the HTTP level: the form's own signature is checked by the handler, which
 *   then authorizes its signer as for PutObject (S3Call.postForm).
 */
export type AccessClass =
  | 'listBuckets'
  | 'createBucket'
  | 'rootOnly'
  | 'bucketRead'
  | 'bucketWrite'
  | 'objectRead'
  | 'objectWrite'
  | 'objectAclWrite'
  | 'corsPreflight'
  | 'postForm';

/**
 * `service`: no bucket; `newBucket`: a bucket name with no record yet; `bucket`/`object`: record
 * (and key) present; `form`: a bucket name whose record the handler gets once the form is authorized.
 */
export type Scope = 'service' | 'newBucket' | 'bucket' | 'object' | 'form';

export interface OperationSpec {
  readonly scope: Scope;
  readonly access: AccessClass;
}

const svc = { scope: 'service', access: 'listBuckets' } as const;
const rootCfg = { scope: 'bucket', access: 'rootOnly' } as const;
const bRead = { scope: 'bucket', access: 'bucketRead' } as const;
const bWrite = { scope: 'bucket', access: 'bucketWrite' } as const;
const oRead = { scope: 'object', access: 'objectRead' } as const;
const oWrite = { scope: 'object', access: 'objectWrite' } as const;

export const OPERATIONS = {
  ListBuckets: svc,
  OptionsObject: { scope: 'bucket', access: 'corsPreflight' },
  CreateBucket: { scope: 'newBucket', access: 'createBucket' },
  DeleteBucket: rootCfg,
  HeadBucket: bRead,
  GetBucketLocation: bRead,
  GetBucketVersioning: bRead,
  GetBucketCors: bRead,
  ListObjects: bRead,
  ListObjectsV2: bRead,
  ListObjectVersions: bRead,
  ListMultipartUploads: bRead,
  DeleteObjects: bWrite,
  PostObject: { scope: 'form', access: 'postForm' },

  PutBucketVersioning: rootCfg,
  PutBucketCors: rootCfg,
  DeleteBucketCors: rootCfg,
  GetBucketPolicy: rootCfg,
  PutBucketPolicy: rootCfg,
  DeleteBucketPolicy: rootCfg,
  GetBucketPolicyStatus: rootCfg,
  GetBucketAcl: rootCfg,
  PutBucketAcl: rootCfg,
  GetBucketTagging: rootCfg,
  PutBucketTagging: rootCfg,
  DeleteBucketTagging: rootCfg,
  GetBucketLifecycleConfiguration: rootCfg,
  PutBucketLifecycleConfiguration: rootCfg,
  DeleteBucketLifecycle: rootCfg,
  GetBucketEncryption: rootCfg,
  PutBucketEncryption: rootCfg,
  DeleteBucketEncryption: rootCfg,
  GetBucketLogging: rootCfg,
  PutBucketLogging: rootCfg,
  GetBucketWebsite: rootCfg,
  PutBucketWebsite: rootCfg,
  DeleteBucketWebsite: rootCfg,
  GetPublicAccessBlock: rootCfg,
  PutPublicAccessBlock: rootCfg,
  DeletePublicAccessBlock: rootCfg,
  GetBucketOwnershipControls: rootCfg,
  PutBucketOwnershipControls: rootCfg,
  DeleteBucketOwnershipControls: rootCfg,
  GetBucketNotificationConfiguration: rootCfg,
  PutBucketNotificationConfiguration: rootCfg,
  GetObjectLockConfiguration: rootCfg,
  PutObjectLockConfiguration: rootCfg,
  GetBucketReplication: rootCfg,
  PutBucketReplication: rootCfg,
  DeleteBucketReplication: rootCfg,
  GetBucketRequestPayment: rootCfg,
  PutBucketRequestPayment: rootCfg,
  GetBucketAccelerateConfiguration: rootCfg,
  PutBucketAccelerateConfiguration: rootCfg,

  GetObject: oRead,
  HeadObject: oRead,
  GetObjectAttributes: { scope: 'object', access: 'bucketRead' },
  GetObjectTagging: { scope: 'object', access: 'bucketRead' },
  GetObjectAcl: { scope: 'object', access: 'bucketRead' },
  ListParts: { scope: 'object', access: 'bucketRead' },
  PutObject: oWrite,
  DeleteObject: oWrite,
  CopyObject: oWrite,
  PutObjectTagging: oWrite,
  DeleteObjectTagging: oWrite,
  PutObjectAcl: { scope: 'object', access: 'objectAclWrite' },
  CreateMultipartUpload: oWrite,
  UploadPart: oWrite,
  UploadPartCopy: oWrite,
  CompleteMultipartUpload: oWrite,
  AbortMultipartUpload: oWrite,
  RestoreObject: oWrite,
  SelectObjectContent: oRead,
  GetObjectTorrent: oRead,
  GetObjectRetention: oRead,
  PutObjectRetention: oWrite,
  GetObjectLegalHold: oRead,
  PutObjectLegalHold: oWrite,
} as const satisfies { readonly [Op in S3Operation]: OperationSpec };

/** The call type a handler of `op` receives, from its scope. */
export type CallFor<Op extends S3Operation> = (typeof OPERATIONS)[Op]['scope'] extends 'object'
  ? ObjectCall
  : (typeof OPERATIONS)[Op]['scope'] extends 'bucket'
    ? BucketCall
    : S3Call;

/** Handlers by operation; an operation without one answers NotImplemented (after authorization). */
export type HandlerTable = { readonly [Op in S3Operation]?: S3Handler<CallFor<Op>> };
