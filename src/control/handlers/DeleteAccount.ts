import type { OperationHandler } from '../handler.js';
import { accountView } from '../views/accountView.js';

/** Sailbucket extension (operator only): deletes an account (with its buckets when forceDelete). */
export const DeleteAccount: OperationHandler<'DeleteAccount'> = async (input, ctx) => {
  const account = await ctx.deps.services.accounts.delete(ctx.caller, input.accountId, {
    force: input.forceDelete === true,
  });
  return { account: accountView(account) };
};
