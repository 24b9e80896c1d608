import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

export const DeleteBucketAccessKey: OperationHandler<'DeleteBucketAccessKey'> = async (input, ctx) => {
  const { operations } = await ctx.deps.services.accessKeys.delete(ctx.caller, input.bucketName, input.accessKeyId);
  return { operations: operationsView(operations) };
};
