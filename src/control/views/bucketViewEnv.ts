import { ableToUpdateBundle } from '../../domain/buckets/access.js';
import type { HandlerContext } from '../handler.js';
import type { BucketViewEnv } from './bucketView.js';

/** The facts bucket views need, from the handler's dependencies. */
export const bucketViewEnv = (ctx: HandlerContext): BucketViewEnv => {
  const now = ctx.deps.clock();
  return { bucketUrl: ctx.deps.bucketUrl, ableToUpdateBundle: (b) => ableToUpdateBundle(b, now) };
};
