import type { AccessLogConfig, AccessRules, CorsRule } from '../../domain/ports/records.js';
import type { OperationHandler } from '../handler.js';
import { bucketView } from '../views/bucketView.js';
import { bucketViewEnv } from '../views/bucketViewEnv.js';
import { operationsView } from '../views/operationView.js';

interface Input {
  bucketName: string;
  accessRules?: Partial<AccessRules>;
  versioning?: string;
  readonlyAccessAccounts?: string[];
  accessLogConfig?: AccessLogConfig;
  cors?: { rules?: CorsRule[] };
}

export const UpdateBucket: OperationHandler = async (input: Input, ctx) => {
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
