import type { AccountWithUsage, CreatedRootKey } from '../../domain/accounts/accounts.js';
import type { AccountKeyRecord } from '../../domain/ports/records.js';
import type { Account, AccountAccessKey } from '../../generated/lightsail.js';

/** An `Account` for the SailbucketAdmin account operations (never a secret). */
export function accountView(a: AccountWithUsage & { accessKeys?: AccountKeyRecord[] }): Account {
  const view: Account = {
    accountId: a.accountId,
    accountName: a.accountName,
    createdAt: a.createdAt,
    isOperator: a.isOperator,
    storageUsedBytes: a.storageUsedBytes,
  };
  if (a.storageQuotaBytes !== null) view.storageQuotaBytes = a.storageQuotaBytes;
  // The operator's root credentials are not account keys (they come from the environment).
  if (a.accessKeys !== undefined && !a.isOperator) view.accessKeys = a.accessKeys.map(accountKeyView);
  return view;
}

/** A root key without its secret. */
export const accountKeyView = (k: AccountKeyRecord): AccountAccessKey => ({
  accessKeyId: k.accessKeyId,
  createdAt: k.createdAt,
});

/** A new root key: the one and only time its secret is shown. */
export const newAccountKeyView = (k: CreatedRootKey): AccountAccessKey => ({
  accessKeyId: k.key.accessKeyId,
  secretAccessKey: k.secretAccessKey,
  createdAt: k.key.createdAt,
});
