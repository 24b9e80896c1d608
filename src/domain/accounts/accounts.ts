import type { SecretBox } from '../../crypto/secretBox.js';
import { newAccountId, newRootAccessKeyId, newSecretAccessKey } from '../../crypto/ids.js';
import type { Logger } from '../../log.js';
import type { CallerContext } from '../caller.js';
import { DomainError, invalidInput, notFound } from '../errors.js';
import type { CredentialInvalidation } from '../keys/credentials.js';
import { decodeNameToken, encodePageToken } from '../pageToken.js';
import type { AccountKeyRecord, AccountRecord } from '../ports/records.js';
import type { BlobStore } from '../ports/BlobStore.js';
import { StoreConflict } from '../ports/ControlPlaneRepo.js';
import type { MetadataStore, MetadataTx } from '../ports/MetadataStore.js';
import { assertAccountName, OPERATOR_ACCOUNT_NAME } from './names.js';

export const MAX_ROOT_KEYS_PER_ACCOUNT = 2;

export interface AccountServiceDeps {
  store: MetadataStore;
  secretBox: SecretBox;
  clock: () => number;
  /** The operator account's id (from the data directory or --account-id). */
  operatorAccountId: string;
  credentials?: CredentialInvalidation;
  /** Drops a bucket's cached record (the S3 plane's lookup) after its account was deleted. */
  bucketCache?: { invalidateCachedBucket(bucketName: string): void };
  /** Frees the blobs of a force-deleted account after the commit (absent: the orphan sweep frees them). */
  blobs?: Pick<BlobStore, 'delete'>;
  log?: Logger;
  /** Accounts per GetAccounts page (default 100). */
  pageSize?: number;
}

/** An account with its current usage, as GetAccounts reports it. */
export interface AccountWithUsage extends AccountRecord {
  storageUsedBytes: number;
}

/** An account as GetAccounts lists it: with usage and its root keys (records hold no clear secret). */
export interface ListedAccount extends AccountWithUsage {
  accessKeys: AccountKeyRecord[];
}

export interface CreatedRootKey {
  key: AccountKeyRecord;
  /** The clear secret: shown once, never stored or logged. */
  secretAccessKey: string;
}

const PAGE_KIND = 'accounts';

const denied = (what: string): DomainError =>
  new DomainError('AccessDenied', `${what} is reserved to the operator account's root credentials.`);
const accountNotFound = (accountId: string): DomainError =>
  notFound('Resource', `Account '${accountId}' does not exist.`);

async function withUsage(tx: MetadataTx, a: AccountRecord): Promise<AccountWithUsage> {
  return { ...a, storageUsedBytes: await tx.accounts.storedBytes(a.accountId) };
}

/**
 * Accounts (tenants): the operator account, made on first start, manages the others. Every other
 * rule of the server is scoped by the caller's account; this service only creates, lists, deletes
 * accounts and their root keys, and sets their storage quotas.
 */
export class AccountService {
  private readonly pageSize: number;

  constructor(private readonly deps: AccountServiceDeps) {
    this.pageSize = deps.pageSize ?? 100;
  }

  /**
   * At start-up: the operator account's row exists. A data directory from before accounts gets
   * it here, so its one account (and every bucket it owns) becomes the operator's.
   */
  async ensureOperator(): Promise<void> {
    const id = this.deps.operatorAccountId;
    await this.deps.store.transaction(async (tx) => {
      const operator = await tx.accounts.getOperator();
      if (operator !== undefined) {
        if (operator.accountId !== id)
          throw new DomainError(
            'Conflict',
            `this data directory's operator account is ${operator.accountId}, not ${id}`,
          );
        return;
      }
      if ((await tx.accounts.getAccount(id)) !== undefined)
        throw new DomainError('Conflict', `account ${id} exists but is not the operator account`);
      await tx.accounts.insertAccount({
        accountId: id,
        accountName: OPERATOR_ACCOUNT_NAME,
        createdAt: this.deps.clock(),
        isOperator: true,
        storageQuotaBytes: null,
      });
    });
  }

  private requireOperator(caller: CallerContext, what: string): void {
    if (caller.accountId !== this.deps.operatorAccountId) throw denied(what);
  }

  /** The operator may manage any account's root keys; an account's root its own. */
  private requireKeyManager(caller: CallerContext, accountId: string, what: string): void {
    if (caller.accountId !== this.deps.operatorAccountId && caller.accountId !== accountId) {
      throw new DomainError(
        'AccessDenied',
        `${what} on account ${accountId} is reserved to the operator and to that account's own root credentials.`,
      );
    }
  }

  async create(
    caller: CallerContext,
    accountName: string,
  ): Promise<{ account: AccountWithUsage; rootKey: CreatedRootKey }> {
    this.requireOperator(caller, 'CreateAccount');
    assertAccountName(accountName);
    const now = this.deps.clock();
    for (let attempt = 0; ; attempt++) {
      const account: AccountRecord = {
        accountId: newAccountId(),
        accountName,
        createdAt: now,
        isOperator: false,
        storageQuotaBytes: null,
      };
      const rootKey = this.newRootKey(account.accountId, now);
      try {
        await this.deps.store.transaction(async (tx) => {
          await tx.accounts.insertAccount(account);
          await tx.accounts.insertAccountKey(rootKey.key, MAX_ROOT_KEYS_PER_ACCOUNT);
        });
        return { account: { ...account, storageUsedBytes: 0 }, rootKey };
      } catch (err) {
        if (err instanceof StoreConflict && err.constraint === 'account_name_unique')
          throw invalidInput(`An account named '${accountName}' already exists.`, 'account_name_taken');
        // A drawn id (account or key) colliding with an existing one, or the operator's: draw again (bounded).
        if (err instanceof StoreConflict && attempt < 3) continue;
        throw err;
      }
    }
  }

  async list(
    caller: CallerContext,
    pageToken?: string,
  ): Promise<{ accounts: ListedAccount[]; nextPageToken?: string }> {
    this.requireOperator(caller, 'GetAccounts');
    const after = decodeNameToken(PAGE_KIND, pageToken);
    return this.deps.store.read(async (tx) => {
      const rows = await tx.accounts.listAccounts(after, this.pageSize + 1);
      const page = rows.slice(0, this.pageSize);
      const accounts: ListedAccount[] = [];
      for (const a of page)
        accounts.push({ ...(await withUsage(tx, a)), accessKeys: await tx.accounts.listAccountKeys(a.accountId) });
      return rows.length > this.pageSize
        ? { accounts, nextPageToken: encodePageToken(PAGE_KIND, page[page.length - 1].accountId) }
        : { accounts };
    });
  }

  async updateQuota(caller: CallerContext, accountId: string, quotaBytes: number | null): Promise<AccountWithUsage> {
    this.requireOperator(caller, 'UpdateAccount');
    if (quotaBytes !== null && (!Number.isSafeInteger(quotaBytes) || quotaBytes < 0))
      throw invalidInput(`storageQuotaBytes must be a whole number of bytes, 0 or more (got ${quotaBytes}).`);
    return this.deps.store.transaction(async (tx) => {
      const a = await tx.accounts.getAccount(accountId);
      if (a === undefined) throw accountNotFound(accountId);
      await tx.accounts.setStorageQuota(accountId, quotaBytes);
      return withUsage(tx, { ...a, storageQuotaBytes: quotaBytes });
    });
  }

  /**
   * Deletes an account. Refused while it owns buckets unless `force`, which deletes them with
   * their objects, uploads and keys in the same transaction. Its credentials (root and bucket
   * keys) stop working at once; freed blobs are deleted after the commit.
   */
  async delete(caller: CallerContext, accountId: string, opts: { force?: boolean } = {}): Promise<AccountWithUsage> {
    this.requireOperator(caller, 'DeleteAccount');
    if (accountId === this.deps.operatorAccountId)
      throw invalidInput('The operator account cannot be deleted.', 'operator_account');
    const out = await this.deps.store.transaction(async (tx) => {
      const a = await tx.accounts.getAccount(accountId);
      if (a === undefined) throw accountNotFound(accountId);
      const account = await withUsage(tx, a);
      const buckets = await tx.accounts.listAccountBuckets(accountId);
      if (buckets.length > 0 && !opts.force) {
        throw invalidInput(
          `Account '${accountId}' owns ${buckets.length} bucket(s) (${buckets
            .slice(0, 5)
            .map((b) => b.name)
            .join(', ')}${buckets.length > 5 ? ', ...' : ''}): delete them first, or use forceDelete.`,
          'account_has_buckets',
        );
      }
      const blobIds: string[] = [];
      for (const b of buckets) {
        blobIds.push(...(await tx.objects.deleteAllInBucket(b.id)));
        await tx.control.deleteBucket(b.id);
      }
      const keys = await tx.accounts.listAccountKeys(accountId);
      await tx.accounts.deleteAccount(accountId);
      return { account, buckets, keyIds: keys.map((k) => k.accessKeyId), blobIds };
    });
    for (const id of out.keyIds) this.deps.credentials?.invalidate(id);
    for (const b of out.buckets) {
      this.deps.credentials?.invalidateBucket(b.id);
      this.deps.bucketCache?.invalidateCachedBucket(b.name);
    }
    if (out.blobIds.length > 0 && this.deps.blobs) {
      await this.deps.blobs.delete(out.blobIds).catch((err: unknown) => {
        this.deps.log?.warn('freeing blobs of a deleted account failed', {
          account: accountId,
          count: out.blobIds.length,
          err,
        });
      });
    }
    return out.account;
  }

  async createKey(caller: CallerContext, accountId: string): Promise<CreatedRootKey> {
    this.requireKeyManager(caller, accountId, 'CreateAccountAccessKey');
    this.refuseOperatorKeys(accountId);
    const now = this.deps.clock();
    for (let attempt = 0; ; attempt++) {
      const rootKey = this.newRootKey(accountId, now);
      try {
        await this.deps.store.transaction(async (tx) => {
          if ((await tx.accounts.getAccount(accountId)) === undefined) throw accountNotFound(accountId);
          await tx.accounts.insertAccountKey(rootKey.key, MAX_ROOT_KEYS_PER_ACCOUNT);
        });
        return rootKey;
      } catch (err) {
        if (err instanceof StoreConflict && err.constraint === 'account_key_limit')
          throw invalidInput(
            `Account '${accountId}' already has the maximum of ${MAX_ROOT_KEYS_PER_ACCOUNT} root access keys: delete one first.`,
            'access_key_limit',
          );
        if (err instanceof StoreConflict && err.constraint === 'access_key_id_unique' && attempt < 3) continue;
        throw err;
      }
    }
  }

  /** Deletes a root key; the account's last one is refused. Returns the remaining keys. */
  async deleteKey(caller: CallerContext, accountId: string, accessKeyId: string): Promise<AccountKeyRecord[]> {
    this.requireKeyManager(caller, accountId, 'DeleteAccountAccessKey');
    this.refuseOperatorKeys(accountId);
    try {
      return await this.deps.store.transaction(async (tx) => {
        if ((await tx.accounts.getAccount(accountId)) === undefined) throw accountNotFound(accountId);
        const keys = await tx.accounts.listAccountKeys(accountId);
        if (!keys.some((k) => k.accessKeyId === accessKeyId))
          throw notFound('AccessKey', `Root access key '${accessKeyId}' does not exist for account '${accountId}'.`);
        if (keys.length === 1)
          throw invalidInput(
            `Access key '${accessKeyId}' is the last root access key of account '${accountId}': create another one first.`,
            'last_root_key',
          );
        await tx.accounts.deleteAccountKey(accessKeyId);
        return keys.filter((k) => k.accessKeyId !== accessKeyId);
      });
    } finally {
      this.deps.credentials?.invalidate(accessKeyId);
    }
  }

  /** The operator's root credentials come from the data directory or SAILBUCKET_ROOT_*, not from this table. */
  private refuseOperatorKeys(accountId: string): void {
    if (accountId === this.deps.operatorAccountId)
      throw invalidInput(
        `Account '${accountId}' is the operator account: its root credentials come from SAILBUCKET_ROOT_ACCESS_KEY_ID / SAILBUCKET_ROOT_SECRET_ACCESS_KEY or the data directory, not from these operations.`,
        'operator_account',
      );
  }

  private newRootKey(accountId: string, now: number): CreatedRootKey {
    const accessKeyId = newRootAccessKeyId();
    const secretAccessKey = newSecretAccessKey();
    return {
      key: {
        accessKeyId,
        accountId,
        sealedSecret: this.deps.secretBox.seal(secretAccessKey, accessKeyId),
        createdAt: now,
      },
      secretAccessKey,
    };
  }
}
