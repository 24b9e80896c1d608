import type { AccountLevelBpaSync } from '../../generated/lightsail.js';
import type { OperationHandler } from '../handler.js';
import { bucketView } from '../views/bucketView.js';
import { bucketViewEnv } from '../views/bucketViewEnv.js';

/** Lightsail reports the account-level block-public-access sync; Sailbucket has none to sync. */
const ACCOUNT_LEVEL_BPA_SYNC: AccountLevelBpaSync = { status: 'InSync', bpaImpactsLightsail: false };

export const GetBuckets: OperationHandler<'GetBuckets'> = async (input, ctx) => {
  const env = bucketViewEnv(ctx);
  const opts = { includeCors: input.includeCors === true };
  if (input.bucketName !== undefined) {
    const bucket = await ctx.deps.services.buckets.get(ctx.caller, input.bucketName);
    return { buckets: [bucketView(bucket, env, opts)], accountLevelBpaSync: { ...ACCOUNT_LEVEL_BPA_SYNC } };
  }
  const page = await ctx.deps.services.buckets.list(ctx.caller, { pageToken: input.pageToken });
  return {
    buckets: page.buckets.map((b) => bucketView(b, env, opts)),
    nextPageToken: page.nextPageToken,
    accountLevelBpaSync: { ...ACCOUNT_LEVEL_BPA_SYNC },
  };
};
