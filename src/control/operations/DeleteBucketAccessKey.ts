import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

interface Input {
  bucketName: string;
  accessKeyId: string;
}

export const DeleteBucketAccessKey: OperationHandler = async (input: Input, ctx) => {
  const { operations } = await ctx.deps.services.accessKeys.delete(ctx.caller, input.bucketName, input.accessKeyId);
  return { operations: operationsView(operations) };
};
