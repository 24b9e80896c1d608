import type { OperationHandler } from '../handler.js';
import { bucketView } from '../views/bucketView.js';
import { bucketViewEnv } from '../views/bucketViewEnv.js';
import { operationsView } from '../views/operationView.js';

export const CreateBucket: OperationHandler<'CreateBucket'> = async (input, ctx) => {
  const { bucket, operations } = await ctx.deps.services.buckets.create(ctx.caller, {
    bucketName: input.bucketName,
    bundleId: input.bundleId,
    enableObjectVersioning: input.enableObjectVersioning,
    tags: input.tags?.map((t) => ({ key: t.key ?? '', value: t.value ?? '' })),
  });
  return { bucket: bucketView(bucket, bucketViewEnv(ctx)), operations: operationsView(operations) };
};
