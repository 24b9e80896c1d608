import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

export const GetOperations: OperationHandler<'GetOperations'> = async (input, ctx) => {
  const page = await ctx.deps.services.operations.list(ctx.caller, { pageToken: input.pageToken });
  return { operations: operationsView(page.operations), nextPageToken: page.nextPageToken };
};
