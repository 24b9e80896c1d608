import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

export const TagResource: OperationHandler<'TagResource'> = async (input, ctx) => {
  const { operations } = await ctx.deps.services.buckets.tag(
    ctx.caller,
    { resourceName: input.resourceName, resourceArn: input.resourceArn },
    input.tags.map((t) => ({ key: t.key ?? '', value: t.value ?? '' })),
  );
  return { operations: operationsView(operations) };
};
