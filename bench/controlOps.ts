/**
 * Lightsail control-plane requests (AWS JSON 1.1, SigV4 service `lightsail`) the harness needs:
 * CreateBucket, CreateBucketAccessKey and GetBucketAccessKeys.
 */
import type { HttpPool, HttpResult } from './httpPool.js';
import { BenchRequestError } from './s3Ops.js';
import { sha256Hex, type Credentials, type Signer } from './signer.js';

export interface ControlOps {
  call(operation: string, input: Record<string, unknown>): Promise<HttpResult>;
  createBucket(bucketName: string): Promise<void>;
  createBucketAccessKey(bucketName: string): Promise<Credentials>;
  getBucketAccessKeys(bucketName: string): Promise<HttpResult>;
}

export function createControlOps(pool: HttpPool, signer: Signer): ControlOps {
  const call = async (operation: string, input: Record<string, unknown>): Promise<HttpResult> => {
    const body = Buffer.from(JSON.stringify(input));
    const r = signer.sign({
      method: 'POST',
      path: '/',
      payloadHash: sha256Hex(body),
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `Lightsail_20161128.${operation}`,
      },
    });
    const res = await pool.send({ method: 'POST', url: r.url, headers: r.headers, body, keepBodyBytes: 64 * 1024 });
    if (res.status !== 200) {
      throw new BenchRequestError(
        `${operation} ${JSON.stringify(input)}: HTTP ${res.status}: ${res.body.toString('utf8', 0, 300)}`,
      );
    }
    return res;
  };
  return {
    call,
    async createBucket(bucketName) {
      await call('CreateBucket', { bucketName, bundleId: 'small_1_0' });
    },
    async createBucketAccessKey(bucketName) {
      const res = await call('CreateBucketAccessKey', { bucketName });
      let parsed: { accessKey?: { accessKeyId?: string; secretAccessKey?: string } } = {};
      try {
        parsed = JSON.parse(res.body.toString('utf8')) as typeof parsed;
      } catch {
        /* reported below */
      }
      const id = parsed.accessKey?.accessKeyId;
      const secret = parsed.accessKey?.secretAccessKey;
      if (!id || !secret)
        throw new BenchRequestError(
          `CreateBucketAccessKey ${bucketName}: no accessKeyId/secretAccessKey in the answer (${res.body.length} bytes)`,
        );
      return { accessKeyId: id, secretAccessKey: secret };
    },
    getBucketAccessKeys(bucketName) {
      return call('GetBucketAccessKeys', { bucketName });
    },
  };
}
