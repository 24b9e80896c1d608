import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

interface Input {
  resourceName: string;
  resourceArn?: string;
  tags: { key: string; value?: string }[];
}

export const TagResource: OperationHandler = async (input: Input, ctx) => {
  const { operations } = await ctx.deps.services.buckets.tag(
    ctx.caller,
    { resourceName: input.resourceName, resourceArn: input.resourceArn },
    input.tags.map((t) => ({ key: t.key, value: t.value ?? '' })),
  );
  return { operations: operationsView(operations) };
};
