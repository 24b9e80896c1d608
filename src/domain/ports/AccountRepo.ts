import type { AccountKeyRecord, AccountRecord } from './records.js';

/**
 * Accounts (tenants) and their root access keys. Times are epoch milliseconds. Every method runs
 * inside the store's transaction; uniqueness and limits are enforced by the store's constraints
 * and reported as StoreConflict ('account_id_unique', 'account_name_unique', 'account_key_limit',
 * 'access_key_id_unique').
 */
export interface AccountRepo {
  insertAccount(a: AccountRecord): Promise<void>;
  getAccount(accountId: string): Promise<AccountRecord | undefined>;
  /** The operator account (at most one exists). */
  getOperator(): Promise<AccountRecord | undefined>;
  /** Accounts ordered by account id, strictly after `after`. */
  listAccounts(after: string | undefined, limit: number): Promise<AccountRecord[]>;
  /** null: no quota (unlimited). */
  setStorageQuota(accountId: string, bytes: number | null): Promise<void>;
  /** Deletes the account, its root keys and its operation records (not its buckets: delete those first). */
  deleteAccount(accountId: string): Promise<void>;

  /** Inserts a root key, at most `maxPerAccount` per account (StoreConflict('account_key_limit')). */
  insertAccountKey(k: AccountKeyRecord, maxPerAccount: number): Promise<void>;
  getAccountKey(accessKeyId: string): Promise<AccountKeyRecord | undefined>;
  listAccountKeys(accountId: string): Promise<AccountKeyRecord[]>;
  deleteAccountKey(accessKeyId: string): Promise<void>;

  /** Ids and names of every bucket of the account, in every region. */
  listAccountBuckets(accountId: string): Promise<{ id: string; name: string }[]>;
  /**
   * Bytes the account stores: every object version (delete markers count 0) and every part of its
   * unfinished multipart uploads, in all its buckets.
   */
  storedBytes(accountId: string): Promise<number>;
}
