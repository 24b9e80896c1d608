import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

export const DeleteBucket: OperationHandler<'DeleteBucket'> = async (input, ctx) => {
  const { operations } = await ctx.deps.services.buckets.delete(ctx.caller, input.bucketName, {
    force: input.forceDelete === true,
  });
  return { operations: operationsView(operations) };
};
