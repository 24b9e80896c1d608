import type { OperationHandler } from '../handler.js';
import { bucketView } from '../views/bucketView.js';
import { bucketViewEnv } from '../views/bucketViewEnv.js';
import { operationsView } from '../views/operationView.js';

export const UpdateBucket: OperationHandler<'UpdateBucket'> = async (input, ctx) => {
  const { bucket, operations } = await ctx.deps.services.buckets.update(ctx.caller, input.bucketName, {
    accessRules: input.accessRules,
    versioning: input.versioning,
    readonlyAccessAccounts: input.readonlyAccessAccounts,
    accessLogConfig: input.accessLogConfig,
    cors: input.cors === undefined ? undefined : (input.cors.rules ?? []),
  });
  return {
    bucket: bucketView(bucket, bucketViewEnv(ctx), { includeCors: input.cors !== undefined }),
    operations: operationsView(operations),
  };
};
