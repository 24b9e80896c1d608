import type {
  AccessKeyRecord,
  AccessKeyStatus,
  BucketRecord,
  MetricSample,
  OperationRecord,
} from '../../../domain/ports/records.js';
import { StoreConflict, type ControlPlaneRepo } from '../../../domain/ports/ControlPlaneRepo.js';
import { one, rows, run, stmt, type Conn } from './sql.js';
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

const bucketValues = (b: BucketRecord): unknown[] => [
  b.id,
  b.accountId,
  b.region,
  b.name,
  b.bundleId,
  b.createdAt,
  b.objectVersioning,
  JSON.stringify(b.accessRules),
  JSON.stringify(b.readonlyAccessAccounts),
  JSON.stringify(b.accessLogConfig),
  JSON.stringify(b.cors),
  b.bundleChangedAt,
  JSON.stringify(b.tags),
  JSON.stringify(b.lifecycle),
];
const S = {
  insertBucket:
    stmt(`INSERT INTO buckets (${BUCKET_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
    ON CONFLICT ON CONSTRAINT bucket_name_unique DO NOTHING`),
  bucketByName: stmt(`SELECT ${BUCKET_COLUMNS} FROM buckets WHERE name = $1`),
  bucketById: stmt(`SELECT ${BUCKET_COLUMNS} FROM buckets WHERE id = $1`),
  listBuckets: stmt(`SELECT ${BUCKET_COLUMNS} FROM buckets
    WHERE account_id = $1 AND region = $2 AND name > $3 ORDER BY name LIMIT $4`),
  allBucketIds: stmt(`SELECT id FROM buckets ORDER BY id COLLATE "C"`),
  updateBucket: stmt(`UPDATE buckets SET bundle_id = $2, object_versioning = $3, access_rules = $4,
    readonly_access_accounts = $5, access_log_config = $6, cors = $7, bundle_changed_at = $8, tags = $9,
    lifecycle = $10 WHERE id = $1`),
  deleteBucket: stmt(`DELETE FROM buckets WHERE id = $1`),
  // The bucket row is locked before a slot is chosen: inserts racing on other nodes wait for each other.
  lockBucket: stmt(`SELECT 1 FROM buckets WHERE id = $1 FOR UPDATE`),
  usedSlots: stmt(`SELECT slot FROM access_keys WHERE bucket_id = $1`),
  insertKey: stmt(`INSERT INTO access_keys (access_key_id, bucket_id, slot, account_id, sealed_secret, status,
    created_at, last_used_date, last_used_region, last_used_service) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT DO NOTHING`),
  keyById: stmt(`${KEY_SELECT} WHERE k.access_key_id = $1`),
  keysOfBucket: stmt(`${KEY_SELECT} WHERE k.bucket_id = $1 ORDER BY k.created_at, k.slot`),
  setKeyStatus: stmt(`UPDATE access_keys SET status = $1 WHERE access_key_id = $2`),
  deleteKey: stmt(`DELETE FROM access_keys WHERE access_key_id = $1`),
  sealedSecrets: stmt(`SELECT access_key_id, sealed_secret FROM access_keys
    UNION ALL SELECT access_key_id, sealed_secret FROM account_keys ORDER BY access_key_id`),
  setSealed: stmt(`UPDATE access_keys SET sealed_secret = $1 WHERE access_key_id = $2`),
  setSealedAccount: stmt(`UPDATE account_keys SET sealed_secret = $1 WHERE access_key_id = $2`),
  keyUse: stmt(`UPDATE access_keys SET last_used_date = $1, last_used_region = $2, last_used_service = $3
    WHERE access_key_id = $4 AND (last_used_date IS NULL OR last_used_date <= $1)`),
  insertOp: stmt(
    `INSERT INTO operations (${OP_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
  ),
  opById: stmt(`SELECT ${OP_COLUMNS} FROM operations WHERE account_id = $1 AND id = $2`),
  listOps: stmt(`SELECT ${OP_COLUMNS} FROM operations
    WHERE account_id = $1 AND region = $2 ORDER BY created_at, seq LIMIT $3 OFFSET $4`),
  listOpsForResource: stmt(`SELECT ${OP_COLUMNS} FROM operations
    WHERE account_id = $1 AND region = $2 AND resource_name = $3 ORDER BY created_at, seq LIMIT $4 OFFSET $5`),
  insertSample: stmt(`INSERT INTO metric_samples (bucket_id, timestamp, bucket_size_bytes, number_of_objects)
    VALUES ($1, $2, $3, $4) ON CONFLICT (bucket_id, timestamp) DO UPDATE
    SET bucket_size_bytes = excluded.bucket_size_bytes, number_of_objects = excluded.number_of_objects`),
  listSamples: stmt(`SELECT bucket_id, timestamp, bucket_size_bytes, number_of_objects FROM metric_samples
    WHERE bucket_id = $1 AND timestamp >= $2 AND timestamp < $3 ORDER BY timestamp`),
  pruneSamples: stmt(`DELETE FROM metric_samples WHERE timestamp < $1`),
};

/**
 * ControlPlaneRepo on PostgreSQL: the statements of the SQLite repo, on the connection of the
 * transaction PgMetadataStore opened. Inserts that may collide use ON CONFLICT DO NOTHING (an error
 * would abort the whole transaction in PostgreSQL) and report the collision as StoreConflict.
 */
export class PgControlPlaneRepo implements ControlPlaneRepo {
  constructor(private readonly c: Conn) {}

  async insertBucket(b: BucketRecord): Promise<void> {
    if ((await run(this.c, S.insertBucket, bucketValues(b))) === 0) {
      throw new StoreConflict('bucket_name_unique', `bucket name '${b.name}' is already taken`);
    }
  }

  async getBucketByName(name: string): Promise<BucketRecord | undefined> {
    const r = await one<BucketRow>(this.c, S.bucketByName, [name]);
    return r && toBucket(r);
  }

  async getBucketById(id: string): Promise<BucketRecord | undefined> {
    const r = await one<BucketRow>(this.c, S.bucketById, [id]);
    return r && toBucket(r);
  }

  async listBuckets(
    accountId: string,
    region: string,
    after: string | undefined,
    limit: number,
  ): Promise<BucketRecord[]> {
    return (await rows<BucketRow>(this.c, S.listBuckets, [accountId, region, after ?? '', limit])).map(toBucket);
  }

  async listAllBucketIds(): Promise<string[]> {
    return (await rows<{ id: string }>(this.c, S.allBucketIds, [])).map((r) => r.id);
  }

  async updateBucket(b: BucketRecord): Promise<void> {
    const v = bucketValues(b);
    await run(this.c, S.updateBucket, [v[0], ...v.slice(4, 5), ...v.slice(6)]);
  }

  async deleteBucket(id: string): Promise<void> {
    await run(this.c, S.deleteBucket, [id]);
  }

  /** Locks the bucket row, then takes the lowest free slot (the schema holds the limit regardless). */
  async insertAccessKey(k: AccessKeyRecord, maxPerBucket: number): Promise<void> {
    await run(this.c, S.lockBucket, [k.bucketId]);
    const used = new Set((await rows<{ slot: number }>(this.c, S.usedSlots, [k.bucketId])).map((r) => r.slot));
    let slot = 0;
    while (used.has(slot)) slot++;
    if (used.size >= maxPerBucket || slot >= maxPerBucket) {
      throw new StoreConflict(
        'access_key_limit',
        `bucket '${k.bucketName}' already has ${used.size} access keys (limit ${maxPerBucket})`,
      );
    }
    const inserted = await run(this.c, S.insertKey, [
      k.accessKeyId,
      k.bucketId,
      slot,
      k.accountId,
      k.sealedSecret,
      k.status,
      k.createdAt,
      k.lastUsedDate,
      k.lastUsedRegion,
      k.lastUsedService,
    ]);
    if (inserted > 0) return;
    if (await one(this.c, S.keyById, [k.accessKeyId])) {
      throw new StoreConflict('access_key_id_unique', `access key id '${k.accessKeyId}' already exists`);
    }
    throw new StoreConflict(
      'access_key_limit',
      `bucket '${k.bucketName}' already has the maximum of ${maxPerBucket} access keys`,
    );
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const r = await one<KeyRow>(this.c, S.keyById, [accessKeyId]);
    return r && toKey(r);
  }

  async listAccessKeys(bucketId: string): Promise<AccessKeyRecord[]> {
    return (await rows<KeyRow>(this.c, S.keysOfBucket, [bucketId])).map(toKey);
  }

  async setAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): Promise<void> {
    await run(this.c, S.setKeyStatus, [status, accessKeyId]);
  }

  async deleteAccessKey(accessKeyId: string): Promise<void> {
    await run(this.c, S.deleteKey, [accessKeyId]);
  }

  async listSealedSecrets(): Promise<{ accessKeyId: string; sealedSecret: string }[]> {
    const found = await rows<{ access_key_id: string; sealed_secret: string }>(this.c, S.sealedSecrets, []);
    return found.map((r) => ({ accessKeyId: r.access_key_id, sealedSecret: r.sealed_secret }));
  }

  async setSealedSecret(accessKeyId: string, sealedSecret: string): Promise<void> {
    await run(this.c, S.setSealed, [sealedSecret, accessKeyId]);
    await run(this.c, S.setSealedAccount, [sealedSecret, accessKeyId]);
  }

  async recordAccessKeyUse(
    uses: { accessKeyId: string; date: number; region: string; service: string }[],
  ): Promise<void> {
    for (const u of uses) await run(this.c, S.keyUse, [u.date, u.region, u.service, u.accessKeyId]);
  }

  async insertOperation(op: OperationRecord): Promise<void> {
    await run(this.c, S.insertOp, [
      op.id,
      op.accountId,
      op.region,
      op.resourceName,
      op.resourceType,
      op.operationType,
      op.status,
      op.isTerminal ? 1 : 0,
      op.createdAt,
      op.statusChangedAt,
      op.operationDetails ?? null,
      op.errorCode ?? null,
      op.errorDetails ?? null,
    ]);
  }

  async getOperation(accountId: string, id: string): Promise<OperationRecord | undefined> {
    const r = await one<OperationRow>(this.c, S.opById, [accountId, id]);
    return r && toOperation(r);
  }

  async listOperations(accountId: string, region: string, offset: number, limit: number): Promise<OperationRecord[]> {
    return (await rows<OperationRow>(this.c, S.listOps, [accountId, region, limit, offset])).map(toOperation);
  }

  async listOperationsForResource(
    accountId: string,
    region: string,
    resourceName: string,
    offset: number,
    limit: number,
  ): Promise<OperationRecord[]> {
    return (
      await rows<OperationRow>(this.c, S.listOpsForResource, [accountId, region, resourceName, limit, offset])
    ).map(toOperation);
  }

  async insertMetricSample(s: MetricSample): Promise<void> {
    await run(this.c, S.insertSample, [s.bucketId, s.timestamp, s.bucketSizeBytes, s.numberOfObjects]);
  }

  async listMetricSamples(bucketId: string, start: number, end: number): Promise<MetricSample[]> {
    return (await rows<SampleRow>(this.c, S.listSamples, [bucketId, start, end])).map(toSample);
  }

  async deleteMetricSamplesBefore(before: number): Promise<number> {
    return run(this.c, S.pruneSamples, [before]);
  }
}
