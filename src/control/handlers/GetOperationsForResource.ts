import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

export const GetOperationsForResource: OperationHandler<'GetOperationsForResource'> = async (input, ctx) => {
  const page = await ctx.deps.services.operations.listForResource(ctx.caller, input.resourceName, {
    pageToken: input.pageToken,
  });
  return { operations: operationsView(page.operations), nextPageToken: page.nextPageToken };
};
