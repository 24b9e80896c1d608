import type { OperationHandler } from '../handler.js';
import { accessKeyView } from '../views/accessKeyView.js';

export const GetBucketAccessKeys: OperationHandler<'GetBucketAccessKeys'> = async (input, ctx) => {
  const keys = await ctx.deps.services.accessKeys.list(ctx.caller, input.bucketName);
  return { accessKeys: keys.map(accessKeyView) };
};
