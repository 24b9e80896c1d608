/** Records of the domain, as the stores keep them. Times are epoch milliseconds. */

export type Versioning = 'NeverEnabled' | 'Enabled' | 'Suspended';
export type AccessKeyStatus = 'Active' | 'Inactive';

export interface Tag {
  key: string;
  value: string;
}

export interface AccessRules {
  getObject: 'public' | 'private';
  allowPublicOverrides: boolean;
}

export interface AccessLogConfig {
  enabled: boolean;
  destination?: string;
  prefix?: string;
}

/** Lightsail BucketCorsRule, as the model names its members. */
export interface CorsRule {
  id?: string;
  allowedMethods: string[];
  allowedOrigins: string[];
  allowedHeaders?: string[];
  exposeHeaders?: string[];
  maxAgeSeconds?: number;
}

/** Which objects a lifecycle rule applies to (S3's `Filter`, or its `And`), as given. */
export interface LifecycleFilterTerms {
  prefix?: string;
  tags?: Tag[];
  objectSizeGreaterThan?: number;
  objectSizeLessThan?: number;
}

/**
 * One S3 lifecycle rule (expiration only: Lightsail buckets have one storage class). Kept in the
 * shape it was given, so GetBucketLifecycleConfiguration answers what was put: a legacy top-level
 * `Prefix`, or a `Filter` with one condition or an `And` of several. Dates are epoch ms (midnight UTC).
 */
export interface LifecycleRule {
  id: string;
  enabled: boolean;
  /** The legacy top-level `<Prefix>` (instead of a `<Filter>`). */
  prefix?: string;
  /** `<Filter>`: `and` when it held `<And>`, else at most one condition (none: every object). */
  filter?: LifecycleFilterTerms & { and?: boolean };
  expiration?: { days?: number; date?: number; expiredObjectDeleteMarker?: boolean };
  noncurrentVersionExpiration?: { noncurrentDays: number; newerNoncurrentVersions?: number };
  abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
}

export interface BucketRecord {
  id: string; // UUID, also the tail of the ARN
  accountId: string;
  region: string;
  name: string;
  bundleId: string;
  createdAt: number;
  objectVersioning: Versioning;
  accessRules: AccessRules;
  readonlyAccessAccounts: string[];
  accessLogConfig: AccessLogConfig;
  cors: CorsRule[];
  /** S3 lifecycle rules (PutBucketLifecycleConfiguration); empty: none. */
  lifecycle: LifecycleRule[];
  /** When the bundle was last changed (null: never). */
  bundleChangedAt: number | null;
  tags: Tag[];
}

export interface AccessKeyRecord {
  accessKeyId: string;
  bucketId: string;
  bucketName: string;
  accountId: string;
  /** The secret sealed by crypto/secretBox (never the clear secret). */
  sealedSecret: string;
  status: AccessKeyStatus;
  createdAt: number;
  lastUsedDate: number | null;
  lastUsedRegion: string | null;
  lastUsedService: string | null;
}

export interface OperationRecord {
  id: string;
  accountId: string;
  region: string;
  resourceName: string;
  resourceType: string; // 'Bucket'
  operationType: string; // e.g. 'CreateBucketAccessKey'
  status: 'Started' | 'Failed' | 'Completed' | 'Succeeded';
  isTerminal: boolean;
  createdAt: number;
  statusChangedAt: number;
  operationDetails?: string;
  errorCode?: string;
  errorDetails?: string;
}

export interface MetricSample {
  bucketId: string;
  timestamp: number;
  bucketSizeBytes: number;
  numberOfObjects: number;
}

/** An account (tenant). */
export interface AccountRecord {
  /** 12 digits. */
  accountId: string;
  /** Unique across the server: ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ */
  accountName: string;
  createdAt: number;
  /** The account made on first start; it manages the others and cannot be deleted. */
  isOperator: boolean;
  /** null: no quota. */
  storageQuotaBytes: number | null;
}

/** A root access key of an account (the operator's own root key lives in the identity, not here). */
export interface AccountKeyRecord {
  accessKeyId: string;
  accountId: string;
  /** The secret sealed by crypto/secretBox with the access key id as associated data. */
  sealedSecret: string;
  createdAt: number;
}
