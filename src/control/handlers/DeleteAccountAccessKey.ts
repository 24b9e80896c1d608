import type { OperationHandler } from '../handler.js';
import { accountKeyView } from '../views/accountView.js';

/** Sailbucket extension: deletes a root access key of an account (never its last one). */
export const DeleteAccountAccessKey: OperationHandler<'DeleteAccountAccessKey'> = async (input, ctx) => {
  const remaining = await ctx.deps.services.accounts.deleteKey(ctx.caller, input.accountId, input.accessKeyId);
  return { accessKeys: remaining.map(accountKeyView) };
};
