import type { OperationHandler } from '../handler.js';
import { accessKeyView } from '../views/accessKeyView.js';

interface Input {
  bucketName: string;
}

export const GetBucketAccessKeys: OperationHandler = async (input: Input, ctx) => {
  const keys = await ctx.deps.services.accessKeys.list(ctx.caller, input.bucketName);
  return { accessKeys: keys.map(accessKeyView) };
};
