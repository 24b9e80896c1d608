import type { AccessKeyRecord, AccessKeyStatus, BucketRecord, MetricSample, OperationRecord } from './records.js';

/** Thrown by a repo when a uniqueness or limit invariant would break. The domain maps it. */
export class StoreConflict extends Error {
  override readonly name = 'StoreConflict';
  constructor(
    readonly constraint:
      | 'bucket_name_unique'
      | 'access_key_limit'
      | 'access_key_id_unique'
      | 'account_id_unique'
      | 'account_name_unique'
      | 'account_key_limit',
    message: string,
  ) {
    super(message);
  }
}

/** Buckets, access keys, operations and metric samples. Times are epoch milliseconds. */
export interface ControlPlaneRepo {
  /** Throws StoreConflict('bucket_name_unique') when the name exists anywhere on the server. */
  insertBucket(b: BucketRecord): Promise<void>;
  getBucketByName(name: string): Promise<BucketRecord | undefined>;
  getBucketById(id: string): Promise<BucketRecord | undefined>;
  /** Buckets of an account in a region, by name; `after` is the last name of the previous page. */
  listBuckets(accountId: string, region: string, after: string | undefined, limit: number): Promise<BucketRecord[]>;
  /** Ids of every bucket on the server (for periodic jobs such as metric sampling). */
  listAllBucketIds(): Promise<string[]>;
  /** Replaces every mutable field of the bucket (looked up by id). */
  updateBucket(b: BucketRecord): Promise<void>;
  /** Deletes the bucket row and, by cascade, its keys and metric samples. */
  deleteBucket(id: string): Promise<void>;

  /**
   * Inserts a key. Enforces at most `maxPerBucket` keys for the bucket inside the same
   * transaction (StoreConflict('access_key_limit')).
   */
  insertAccessKey(k: AccessKeyRecord, maxPerBucket: number): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  listAccessKeys(bucketId: string): Promise<AccessKeyRecord[]>;
  setAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): Promise<void>;
  deleteAccessKey(accessKeyId: string): Promise<void>;
  /** Every stored sealed secret (bucket keys and account root keys) with its key id, for a master-key rotation. */
  listSealedSecrets(): Promise<{ accessKeyId: string; sealedSecret: string }[]>;
  /** Replaces a key's sealed secret (re-sealed under another master key); unknown ids are ignored. */
  setSealedSecret(accessKeyId: string, sealedSecret: string): Promise<void>;
  /**
   * Batch update of last-use facts (coalesced by the caller). Unknown ids are ignored, and a use
   * older than the one already recorded does not overwrite it.
   */
  recordAccessKeyUse(uses: { accessKeyId: string; date: number; region: string; service: string }[]): Promise<void>;

  insertOperation(op: OperationRecord): Promise<void>;
  getOperation(accountId: string, id: string): Promise<OperationRecord | undefined>;
  /** Oldest first; `offset` into the account's operations in the region. */
  listOperations(accountId: string, region: string, offset: number, limit: number): Promise<OperationRecord[]>;
  listOperationsForResource(
    accountId: string,
    region: string,
    resourceName: string,
    offset: number,
    limit: number,
  ): Promise<OperationRecord[]>;

  insertMetricSample(s: MetricSample): Promise<void>;
  /** Samples of a bucket with start <= timestamp < end, oldest first. */
  listMetricSamples(bucketId: string, start: number, end: number): Promise<MetricSample[]>;
  /** Removes the samples of every bucket with timestamp < before; returns how many went. */
  deleteMetricSamplesBefore(before: number): Promise<number>;
}
