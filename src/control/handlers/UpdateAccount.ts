import type { OperationHandler } from '../handler.js';
import { accountView } from '../views/accountView.js';

/** Sailbucket extension (operator only): sets the account's storage quota, or removes it when absent. */
export const UpdateAccount: OperationHandler<'UpdateAccount'> = async (input, ctx) => {
  const account = await ctx.deps.services.accounts.updateQuota(
    ctx.caller,
    input.accountId,
    input.storageQuotaBytes ?? null,
  );
  return { account: accountView(account) };
};
