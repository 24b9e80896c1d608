import type { AccountKeyRecord, AccountRecord } from '../../domain/ports/records.js';

/** The rows of the accounts tables (schema/accounts.ts of each store) and their records: one shape in SQLite and PostgreSQL. */
export interface AccountRow {
  account_id: string;
  account_name: string;
  created_at: number;
  is_operator: number;
  storage_quota_bytes: number | null;
}
export interface AccountKeyRow {
  access_key_id: string;
  account_id: string;
  sealed_secret: string;
  created_at: number;
}

export const ACCOUNT_COLUMNS = 'account_id, account_name, created_at, is_operator, storage_quota_bytes';
export const KEY_COLUMNS = 'access_key_id, account_id, sealed_secret, created_at';

export const toAccount = (r: AccountRow): AccountRecord => ({
  accountId: r.account_id,
  accountName: r.account_name,
  createdAt: r.created_at,
  isOperator: r.is_operator === 1,
  storageQuotaBytes: r.storage_quota_bytes,
});
export const toKey = (r: AccountKeyRow): AccountKeyRecord => ({
  accessKeyId: r.access_key_id,
  accountId: r.account_id,
  sealedSecret: r.sealed_secret,
  createdAt: r.created_at,
});
