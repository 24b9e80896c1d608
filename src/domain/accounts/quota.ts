import { DomainError } from '../errors.js';
import type { MetadataTx } from '../ports/MetadataStore.js';

/**
 * Inside a committing write transaction, after its rows are written: the bucket's account stores
 * no more than its quota (every version and every part of unfinished uploads counts). Throwing
 * rolls the write back, so a refused write changes nothing. Deletes never call this.
 */
export async function assertWithinQuota(tx: MetadataTx, accountId: string | undefined): Promise<void> {
  if (accountId === undefined) return;
  const account = await tx.accounts.getAccount(accountId);
  if (account === undefined || account.storageQuotaBytes === null) return;
  const used = await tx.accounts.storedBytes(accountId);
  if (used > account.storageQuotaBytes) {
    throw new DomainError(
      'AccessDenied',
      `This write would take account ${accountId} to ${used} stored bytes, over its storage quota of ${account.storageQuotaBytes} bytes: delete objects, object versions or unfinished uploads first, or ask the operator for a larger quota`,
      { reason: 'quota_exceeded' },
    );
  }
}
