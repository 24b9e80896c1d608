import type { OperationHandler } from '../handler.js';
import { newAccountKeyView } from '../views/accountView.js';

/** Sailbucket extension: another root access key for an account (the operator, or the account's own root). */
export const CreateAccountAccessKey: OperationHandler<'CreateAccountAccessKey'> = async (input, ctx) => {
  const key = await ctx.deps.services.accounts.createKey(ctx.caller, input.accountId);
  return { accessKey: newAccountKeyView(key) };
};
