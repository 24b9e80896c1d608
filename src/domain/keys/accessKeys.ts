import type { SecretBox } from '../../crypto/secretBox.js';
import { newAccessKeyId, newSecretAccessKey } from '../../crypto/ids.js';
import { StoreConflict } from '../ports/ControlPlaneRepo.js';
import type { MetadataStore } from '../ports/MetadataStore.js';
import { requireBucket } from '../buckets/access.js';
import type { CallerContext } from '../caller.js';
import type { CredentialInvalidation } from './credentials.js';
import { invalidInput, notFound } from '../errors.js';
import { recordOperation } from '../operationRecords/recordOperation.js';
import type { AccessKeyRecord, AccessKeyStatus, OperationRecord } from '../ports/records.js';

export const MAX_ACCESS_KEYS_PER_BUCKET = 2;

export interface AccessKeyServiceDeps {
  store: MetadataStore;
  secretBox: SecretBox;
  clock: () => number;
  credentials?: CredentialInvalidation;
}

export interface CreatedAccessKey {
  accessKey: AccessKeyRecord;
  /** The clear secret: shown once, in the CreateBucketAccessKey answer, never stored or logged. */
  secretAccessKey: string;
  operations: OperationRecord[];
}

const keyNotFound = (id: string, bucketName: string) =>
  notFound('AccessKey', `Access key '${id}' does not exist for bucket '${bucketName}'.`);

/** Bucket access keys: at most two per bucket, secret sealed at rest, status Active/Inactive. */
export class AccessKeyService {
  constructor(private readonly deps: AccessKeyServiceDeps) {}

  async create(caller: CallerContext, bucketName: string): Promise<CreatedAccessKey> {
    const now = this.deps.clock();
    for (let attempt = 0; ; attempt++) {
      const accessKeyId = newAccessKeyId();
      const secretAccessKey = newSecretAccessKey();
      try {
        return await this.deps.store.transaction(async (tx) => {
          const b = await requireBucket(tx.control, caller, bucketName);
          const key: AccessKeyRecord = {
            accessKeyId,
            bucketId: b.id,
            bucketName: b.name,
            accountId: b.accountId,
            sealedSecret: this.deps.secretBox.seal(secretAccessKey, accessKeyId),
            status: 'Active',
            createdAt: now,
            lastUsedDate: null,
            lastUsedRegion: null,
            lastUsedService: null,
          };
          try {
            await tx.control.insertAccessKey(key, MAX_ACCESS_KEYS_PER_BUCKET);
          } catch (err) {
            if (err instanceof StoreConflict && err.constraint === 'access_key_limit') {
              throw invalidInput(
                `bucket '${b.name}' already has the maximum of ${MAX_ACCESS_KEYS_PER_BUCKET} access keys`,
                'access_key_limit',
              );
            }
            throw err;
          }
          const op = await recordOperation(tx, caller, b.name, 'CreateBucketAccessKey', now);
          return { accessKey: key, secretAccessKey, operations: [op] };
        });
      } catch (err) {
        // A freshly drawn id colliding with an existing one: draw again (bounded).
        if (err instanceof StoreConflict && err.constraint === 'access_key_id_unique' && attempt < 3) continue;
        throw err;
      }
    }
  }

  /** Every key of the bucket (records hold only the sealed secret). */
  async list(caller: CallerContext, bucketName: string): Promise<AccessKeyRecord[]> {
    return this.deps.store.read(async (tx) => {
      const b = await requireBucket(tx.control, caller, bucketName);
      return tx.control.listAccessKeys(b.id);
    });
  }

  async delete(
    caller: CallerContext,
    bucketName: string,
    accessKeyId: string,
  ): Promise<{ operations: OperationRecord[] }> {
    const now = this.deps.clock();
    try {
      return await this.deps.store.transaction(async (tx) => {
        const b = await requireBucket(tx.control, caller, bucketName);
        const key = await tx.control.getAccessKey(accessKeyId);
        if (!key || key.bucketId !== b.id) throw keyNotFound(accessKeyId, b.name);
        await tx.control.deleteAccessKey(accessKeyId);
        return { operations: [await recordOperation(tx, caller, b.name, 'DeleteBucketAccessKey', now)] };
      });
    } finally {
      this.deps.credentials?.invalidate(accessKeyId);
    }
  }

  /** The Sailbucket extension (SailbucketAdmin_20261129.UpdateBucketAccessKey): switch a key on or off. */
  async setStatus(
    caller: CallerContext,
    bucketName: string,
    accessKeyId: string,
    status: AccessKeyStatus,
  ): Promise<{ accessKey: AccessKeyRecord; operations: OperationRecord[] }> {
    if (status !== 'Active' && status !== 'Inactive') {
      throw invalidInput(`status '${String(status)}' is not valid: use 'Active' or 'Inactive'.`);
    }
    const now = this.deps.clock();
    try {
      return await this.deps.store.transaction(async (tx) => {
        const b = await requireBucket(tx.control, caller, bucketName);
        const key = await tx.control.getAccessKey(accessKeyId);
        if (!key || key.bucketId !== b.id) throw keyNotFound(accessKeyId, b.name);
        await tx.control.setAccessKeyStatus(accessKeyId, status);
        const op = await recordOperation(tx, caller, b.name, 'UpdateBucketAccessKey', now);
        return { accessKey: { ...key, status }, operations: [op] };
      });
    } finally {
      this.deps.credentials?.invalidate(accessKeyId);
    }
  }
}
