import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

interface Input {
  resourceName: string;
  resourceArn?: string;
  tagKeys: string[];
}

export const UntagResource: OperationHandler = async (input: Input, ctx) => {
  const { operations } = await ctx.deps.services.buckets.untag(
    ctx.caller,
    { resourceName: input.resourceName, resourceArn: input.resourceArn },
    input.tagKeys,
  );
  return { operations: operationsView(operations) };
};
