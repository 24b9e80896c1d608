import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

interface Input {
  resourceName: string;
  pageToken?: string;
}

export const GetOperationsForResource: OperationHandler = async (input: Input, ctx) => {
  const page = await ctx.deps.services.operations.listForResource(ctx.caller, input.resourceName, {
    pageToken: input.pageToken,
  });
  return { operations: operationsView(page.operations), nextPageToken: page.nextPageToken };
};
