import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

export const UntagResource: OperationHandler<'UntagResource'> = async (input, ctx) => {
  const { operations } = await ctx.deps.services.buckets.untag(
    ctx.caller,
    { resourceName: input.resourceName, resourceArn: input.resourceArn },
    input.tagKeys,
  );
  return { operations: operationsView(operations) };
};
