import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

interface Input {
  bucketName: string;
  bundleId: string;
}

export const UpdateBucketBundle: OperationHandler = async (input: Input, ctx) => {
  const { operations } = await ctx.deps.services.buckets.updateBundle(ctx.caller, input.bucketName, input.bundleId);
  return { operations: operationsView(operations) };
};
