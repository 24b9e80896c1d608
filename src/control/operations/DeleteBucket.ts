import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

interface Input {
  bucketName: string;
  forceDelete?: boolean;
}

export const DeleteBucket: OperationHandler = async (input: Input, ctx) => {
  const { operations } = await ctx.deps.services.buckets.delete(ctx.caller, input.bucketName, {
    force: input.forceDelete === true,
  });
  return { operations: operationsView(operations) };
};
