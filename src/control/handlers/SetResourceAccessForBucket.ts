import type { OperationHandler } from '../handler.js';
import { notFound } from '../errors.js';

/**
 * Sailbucket has no Lightsail instances, so no resource can ever be given access: the named
 * resource does not exist (the bucket is checked first, so a missing bucket is reported as such).
 */
export const SetResourceAccessForBucket: OperationHandler<'SetResourceAccessForBucket'> = async (input, ctx) => {
  await ctx.deps.services.buckets.get(ctx.caller, input.bucketName);
  throw notFound(
    `Resource '${input.resourceName}' does not exist in ${ctx.caller.region}: Sailbucket has no Lightsail instances to give access to bucket '${input.bucketName}'`,
  );
};
