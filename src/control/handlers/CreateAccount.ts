import type { OperationHandler } from '../handler.js';
import { accountView, newAccountKeyView } from '../views/accountView.js';

/** Sailbucket extension (operator only): a new account and its first root access key. */
export const CreateAccount: OperationHandler<'CreateAccount'> = async (input, ctx) => {
  const { account, rootKey } = await ctx.deps.services.accounts.create(ctx.caller, input.accountName);
  return { account: accountView(account), rootAccessKey: newAccountKeyView(rootKey) };
};
