/**
 * Control-plane cases (Lightsail JSON 1.1): CreateBucketAccessKey (two per bucket, the Lightsail
 * limit, so each run first creates the buckets it needs) and GetBucketAccessKeys on a bucket
 * holding two keys.
 */
import type { BenchCase } from './types.js';

export const createBucketAccessKey: BenchCase = {
  id: 'control-create-key',
  title: () => 'Lightsail CreateBucketAccessKey',
  bytesPerOp: () => 0,
  trivialGetBytes: () => 0,
  controlPlane: true,
  opsPerRun: (s) => s.controlCreateOps,
  async setup(env) {
    let buckets: string[] = [];
    return {
      async prepareRun(planned) {
        buckets = Array.from({ length: Math.ceil(planned / 2) }, () => env.uniqueName('key'));
        for (const b of buckets) await env.control.call('CreateBucket', { bucketName: b, bundleId: 'small_1_0' });
      },
      async op(i) {
        const bucketName = buckets[Math.floor(i / 2)];
        if (!bucketName)
          throw new Error(`CreateBucketAccessKey op ${i}: only ${buckets.length} buckets were made for this run`);
        await env.control.call('CreateBucketAccessKey', { bucketName });
      },
    };
  },
};

export const getBucketAccessKeys: BenchCase = {
  id: 'control-get-keys',
  title: () => 'Lightsail GetBucketAccessKeys (2 keys)',
  bytesPerOp: () => 0,
  trivialGetBytes: () => 0,
  controlPlane: true,
  async setup(env) {
    // env.bucket already has one key (made by createBucket); add the second.
    await env.control.call('CreateBucketAccessKey', { bucketName: env.bucket });
    return {
      async op() {
        const res = await env.control.getBucketAccessKeys(env.bucket);
        if (!env.server.trivial && !res.body.includes('"accessKeys"'))
          throw new Error(`GetBucketAccessKeys ${env.bucket}: no accessKeys in the answer`);
      },
    };
  },
};
