import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

interface Input {
  pageToken?: string;
}

export const GetOperations: OperationHandler = async (input: Input, ctx) => {
  const page = await ctx.deps.services.operations.list(ctx.caller, { pageToken: input.pageToken });
  return { operations: operationsView(page.operations), nextPageToken: page.nextPageToken };
};
