import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

export const UpdateBucketBundle: OperationHandler<'UpdateBucketBundle'> = async (input, ctx) => {
  const { operations } = await ctx.deps.services.buckets.updateBundle(ctx.caller, input.bucketName, input.bundleId);
  return { operations: operationsView(operations) };
};
