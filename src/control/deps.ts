import type { Logger } from '../log.js';
import type { AccountService } from '../domain/accounts/accounts.js';
import type { AccessKeyService } from '../domain/keys/accessKeys.js';
import type { BucketService } from '../domain/buckets/buckets.js';
import type { MetricsSampler } from '../domain/buckets/metrics.js';
import type { OperationService } from '../domain/operationRecords/operationService.js';
import type { CredentialResolver } from '../domain/keys/principals.js';
import type { SigningKeyCache } from '../sigv4/signingKey.js';

/** The domain services the control plane calls (only the methods it uses). */
export interface ControlPlaneServices {
  buckets: Pick<BucketService, 'create' | 'get' | 'list' | 'update' | 'updateBundle' | 'delete' | 'tag' | 'untag'>;
  accessKeys: Pick<AccessKeyService, 'create' | 'list' | 'delete' | 'setStatus'>;
  operations: Pick<OperationService, 'get' | 'list' | 'listForResource'>;
  metrics: Pick<MetricsSampler, 'getMetricData'>;
  accounts: Pick<AccountService, 'create' | 'list' | 'delete' | 'createKey' | 'deleteKey' | 'updateQuota'>;
}

export interface ControlPlaneDeps {
  services: ControlPlaneServices;
  /** Resolves access key ids: the account root credentials or a bucket access key. */
  credentials: CredentialResolver;
  /** Shared SigV4 signing-key cache (optional). */
  keyCache?: SigningKeyCache;
  /** Epoch milliseconds. */
  clock: () => number;
  log: Logger;
  /** The bucket's S3 URL on this server (see bucketUrl.ts). */
  bucketUrl: (bucketName: string) => string;
  /** Largest JSON body accepted (default MAX_CONTROL_BODY_BYTES). */
  bodyLimit?: number;
}
