import type Database from 'better-sqlite3';
import type {
  AccessKeyRecord,
  AccessKeyStatus,
  BucketRecord,
  MetricSample,
  OperationRecord,
} from '../../../domain/ports/records.js';
import { StoreConflict, type ControlPlaneRepo } from '../../../domain/ports/ControlPlaneRepo.js';
import {
  BUCKET_COLUMNS,
  KEY_SELECT,
  OP_COLUMNS,
  toBucket,
  toKey,
  toOperation,
  toSample,
  type BucketRow,
  type KeyRow,
  type OperationRow,
  type SampleRow,
} from '../controlPlaneRows.js';

const bucketParams = (b: BucketRecord) => ({
  id: b.id,
  account_id: b.accountId,
  region: b.region,
  name: b.name,
  bundle_id: b.bundleId,
  created_at: b.createdAt,
  object_versioning: b.objectVersioning,
  access_rules: JSON.stringify(b.accessRules),
  readonly_access_accounts: JSON.stringify(b.readonlyAccessAccounts),
  access_log_config: JSON.stringify(b.accessLogConfig),
  cors: JSON.stringify(b.cors),
  bundle_changed_at: b.bundleChangedAt,
  tags: JSON.stringify(b.tags),
  lifecycle: JSON.stringify(b.lifecycle),
});
const isUniqueViolation = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

/**
 * ControlPlaneRepo on better-sqlite3. Statements are prepared once; every method runs inside
 * the transaction SqliteMetadataStore opened, so it is synchronous underneath.
 */
export class SqliteControlPlaneRepo implements ControlPlaneRepo {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insertBucket:
        db.prepare(`INSERT INTO buckets (${BUCKET_COLUMNS}) VALUES (@id, @account_id, @region, @name, @bundle_id,
        @created_at, @object_versioning, @access_rules, @readonly_access_accounts, @access_log_config, @cors,
        @bundle_changed_at, @tags, @lifecycle)`),
      bucketByName: db.prepare<[string], BucketRow>(`SELECT ${BUCKET_COLUMNS} FROM buckets WHERE name = ?`),
      bucketById: db.prepare<[string], BucketRow>(`SELECT ${BUCKET_COLUMNS} FROM buckets WHERE id = ?`),
      listBuckets: db.prepare<[string, string, string, number], BucketRow>(`SELECT ${BUCKET_COLUMNS} FROM buckets
        WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?`),
      allBucketIds: db.prepare<[], { id: string }>(`SELECT id FROM buckets ORDER BY id`),
      updateBucket: db.prepare(`UPDATE buckets SET bundle_id = @bundle_id, object_versioning = @object_versioning,
        access_rules = @access_rules, readonly_access_accounts = @readonly_access_accounts,
        access_log_config = @access_log_config, cors = @cors, bundle_changed_at = @bundle_changed_at, tags = @tags,
        lifecycle = @lifecycle WHERE id = @id`),
      deleteBucket: db.prepare<[string]>(`DELETE FROM buckets WHERE id = ?`),
      usedSlots: db.prepare<[string], { slot: number }>(`SELECT slot FROM access_keys WHERE bucket_id = ?`),
      insertKey: db.prepare(`INSERT INTO access_keys (access_key_id, bucket_id, slot, account_id, sealed_secret, status,
        created_at, last_used_date, last_used_region, last_used_service) VALUES (@access_key_id, @bucket_id, @slot,
        @account_id, @sealed_secret, @status, @created_at, @last_used_date, @last_used_region, @last_used_service)`),
      keyById: db.prepare<[string], KeyRow>(`${KEY_SELECT} WHERE k.access_key_id = ?`),
      keysOfBucket: db.prepare<[string], KeyRow>(`${KEY_SELECT} WHERE k.bucket_id = ? ORDER BY k.created_at, k.slot`),
      setKeyStatus: db.prepare<[string, string]>(`UPDATE access_keys SET status = ? WHERE access_key_id = ?`),
      deleteKey: db.prepare<[string]>(`DELETE FROM access_keys WHERE access_key_id = ?`),
      sealedSecrets: db.prepare<[], { access_key_id: string; sealed_secret: string }>(
        `SELECT access_key_id, sealed_secret FROM access_keys
         UNION ALL SELECT access_key_id, sealed_secret FROM account_keys ORDER BY access_key_id`,
      ),
      setSealed: db.prepare<[string, string]>(`UPDATE access_keys SET sealed_secret = ? WHERE access_key_id = ?`),
      setSealedAccount: db.prepare<[string, string]>(
        `UPDATE account_keys SET sealed_secret = ? WHERE access_key_id = ?`,
      ),
      keyUse: db.prepare<[number, string, string, string, number]>(`UPDATE access_keys SET last_used_date = ?,
        last_used_region = ?, last_used_service = ? WHERE access_key_id = ?
        AND (last_used_date IS NULL OR last_used_date <= ?)`),
      insertOp: db.prepare(`INSERT INTO operations (${OP_COLUMNS}) VALUES (@id, @account_id, @region, @resource_name,
        @resource_type, @operation_type, @status, @is_terminal, @created_at, @status_changed_at, @operation_details,
        @error_code, @error_details)`),
      opById: db.prepare<[string, string], OperationRow>(
        `SELECT ${OP_COLUMNS} FROM operations WHERE account_id = ? AND id = ?`,
      ),
      listOps: db.prepare<[string, string, number, number], OperationRow>(`SELECT ${OP_COLUMNS} FROM operations
        WHERE account_id = ? AND region = ? ORDER BY created_at, seq LIMIT ? OFFSET ?`),
      listOpsForResource: db.prepare<[string, string, string, number, number], OperationRow>(`SELECT ${OP_COLUMNS}
        FROM operations WHERE account_id = ? AND region = ? AND resource_name = ? ORDER BY created_at, seq LIMIT ? OFFSET ?`),
      insertSample: db.prepare<
        [string, number, number, number]
      >(`INSERT OR REPLACE INTO metric_samples (bucket_id, timestamp,
        bucket_size_bytes, number_of_objects) VALUES (?, ?, ?, ?)`),
      listSamples: db.prepare<[string, number, number], SampleRow>(`SELECT bucket_id, timestamp, bucket_size_bytes,
        number_of_objects FROM metric_samples WHERE bucket_id = ? AND timestamp >= ? AND timestamp < ? ORDER BY timestamp`),
      pruneSamples: db.prepare<[number]>(`DELETE FROM metric_samples WHERE timestamp < ?`),
    };
  }

  async insertBucket(b: BucketRecord): Promise<void> {
    try {
      this.s.insertBucket.run(bucketParams(b));
    } catch (err) {
      if (isUniqueViolation(err))
        throw new StoreConflict('bucket_name_unique', `bucket name '${b.name}' is already taken`);
      throw err;
    }
  }

  async getBucketByName(name: string): Promise<BucketRecord | undefined> {
    const r = this.s.bucketByName.get(name);
    return r && toBucket(r);
  }

  async getBucketById(id: string): Promise<BucketRecord | undefined> {
    const r = this.s.bucketById.get(id);
    return r && toBucket(r);
  }

  async listBuckets(
    accountId: string,
    region: string,
    after: string | undefined,
    limit: number,
  ): Promise<BucketRecord[]> {
    return this.s.listBuckets.all(accountId, region, after ?? '', limit).map(toBucket);
  }

  async listAllBucketIds(): Promise<string[]> {
    return this.s.allBucketIds.all().map((r) => r.id);
  }

  async updateBucket(b: BucketRecord): Promise<void> {
    this.s.updateBucket.run(bucketParams(b));
  }

  async deleteBucket(id: string): Promise<void> {
    this.s.deleteBucket.run(id);
  }

  /**
   * Takes the lowest free slot of the bucket. SQLite runs write transactions one at a time
   * (BEGIN IMMEDIATE), so the count is exact; the UNIQUE(bucket_id, slot) and CHECK(slot IN (0,1))
   * constraints hold the limit even without it. (A PostgreSQL repo must lock the bucket row,
   * SELECT ... FOR UPDATE, before choosing a slot, so that racing inserts wait instead of colliding.)
   */
  async insertAccessKey(k: AccessKeyRecord, maxPerBucket: number): Promise<void> {
    const used = new Set(this.s.usedSlots.all(k.bucketId).map((r) => r.slot));
    let slot = 0;
    while (used.has(slot)) slot++;
    if (used.size >= maxPerBucket || slot >= maxPerBucket) {
      throw new StoreConflict(
        'access_key_limit',
        `bucket '${k.bucketName}' already has ${used.size} access keys (limit ${maxPerBucket})`,
      );
    }
    try {
      this.s.insertKey.run({
        access_key_id: k.accessKeyId,
        bucket_id: k.bucketId,
        slot,
        account_id: k.accountId,
        sealed_secret: k.sealedSecret,
        status: k.status,
        created_at: k.createdAt,
        last_used_date: k.lastUsedDate,
        last_used_region: k.lastUsedRegion,
        last_used_service: k.lastUsedService,
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (this.s.keyById.get(k.accessKeyId)) {
        throw new StoreConflict('access_key_id_unique', `access key id '${k.accessKeyId}' already exists`);
      }
      throw new StoreConflict(
        'access_key_limit',
        `bucket '${k.bucketName}' already has the maximum of ${maxPerBucket} access keys`,
      );
    }
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const r = this.s.keyById.get(accessKeyId);
    return r && toKey(r);
  }

  async listAccessKeys(bucketId: string): Promise<AccessKeyRecord[]> {
    return this.s.keysOfBucket.all(bucketId).map(toKey);
  }

  async setAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): Promise<void> {
    this.s.setKeyStatus.run(status, accessKeyId);
  }

  async deleteAccessKey(accessKeyId: string): Promise<void> {
    this.s.deleteKey.run(accessKeyId);
  }

  async listSealedSecrets(): Promise<{ accessKeyId: string; sealedSecret: string }[]> {
    return this.s.sealedSecrets.all().map((r) => ({ accessKeyId: r.access_key_id, sealedSecret: r.sealed_secret }));
  }

  async setSealedSecret(accessKeyId: string, sealedSecret: string): Promise<void> {
    this.s.setSealed.run(sealedSecret, accessKeyId);
    this.s.setSealedAccount.run(sealedSecret, accessKeyId);
  }

  async recordAccessKeyUse(
    uses: { accessKeyId: string; date: number; region: string; service: string }[],
  ): Promise<void> {
    for (const u of uses) this.s.keyUse.run(u.date, u.region, u.service, u.accessKeyId, u.date);
  }

  async insertOperation(op: OperationRecord): Promise<void> {
    this.s.insertOp.run({
      id: op.id,
      account_id: op.accountId,
      region: op.region,
      resource_name: op.resourceName,
      resource_type: op.resourceType,
      operation_type: op.operationType,
      status: op.status,
      is_terminal: op.isTerminal ? 1 : 0,
      created_at: op.createdAt,
      status_changed_at: op.statusChangedAt,
      operation_details: op.operationDetails ?? null,
      error_code: op.errorCode ?? null,
      error_details: op.errorDetails ?? null,
    });
  }

  async getOperation(accountId: string, id: string): Promise<OperationRecord | undefined> {
    const r = this.s.opById.get(accountId, id);
    return r && toOperation(r);
  }

  async listOperations(accountId: string, region: string, offset: number, limit: number): Promise<OperationRecord[]> {
    return this.s.listOps.all(accountId, region, limit, offset).map(toOperation);
  }

  async listOperationsForResource(
    accountId: string,
    region: string,
    resourceName: string,
    offset: number,
    limit: number,
  ): Promise<OperationRecord[]> {
    return this.s.listOpsForResource.all(accountId, region, resourceName, limit, offset).map(toOperation);
  }

  async insertMetricSample(s: MetricSample): Promise<void> {
    this.s.insertSample.run(s.bucketId, s.timestamp, s.bucketSizeBytes, s.numberOfObjects);
  }

  async listMetricSamples(bucketId: string, start: number, end: number): Promise<MetricSample[]> {
    return this.s.listSamples.all(bucketId, start, end).map(toSample);
  }

  async deleteMetricSamplesBefore(before: number): Promise<number> {
    return this.s.pruneSamples.run(before).changes;
  }
}
