import type { OperationHandler } from '../handler.js';
import { newAccessKeyView } from '../views/accessKeyView.js';
import { operationsView } from '../views/operationView.js';

/** The only answer that ever carries a secret access key. */
export const CreateBucketAccessKey: OperationHandler<'CreateBucketAccessKey'> = async (input, ctx) => {
  const { accessKey, secretAccessKey, operations } = await ctx.deps.services.accessKeys.create(
    ctx.caller,
    input.bucketName,
  );
  return { accessKey: newAccessKeyView(accessKey, secretAccessKey), operations: operationsView(operations) };
};
