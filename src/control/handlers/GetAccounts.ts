import type { OperationHandler } from '../handler.js';
import { accountView } from '../views/accountView.js';

/** Sailbucket extension (operator only): the accounts, with their quota and usage. */
export const GetAccounts: OperationHandler<'GetAccounts'> = async (input, ctx) => {
  const page = await ctx.deps.services.accounts.list(ctx.caller, input.pageToken);
  return { accounts: page.accounts.map(accountView), nextPageToken: page.nextPageToken };
};
