/**
 * Shared set-up for the real-client data-plane tests: a server on port 0, one bucket made with
 * @aws-sdk/client-lightsail, a bucket access key for it, and an S3 client using that key at
 * default settings (the SDK picks path-style itself because the endpoint is an IP address).
 */
import { LightsailClient, CreateBucketCommand, CreateBucketAccessKeyCommand } from '@aws-sdk/client-lightsail';
import { S3Client } from '@aws-sdk/client-s3';
import { startServer, uniqueBucketName, type TestServer, type StartServerOptions } from '../helpers/server.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface DataPlaneFixture {
  server: TestServer;
  bucket: string;
  key: Credentials;
  s3: S3Client;
  /** Makes another bucket (with its own access key) on the same server. */
  newBucket(prefix?: string): Promise<{ bucket: string; key: Credentials }>;
  /**
   * An S3 client with `creds` (closed with the fixture). `checksumsWhenRequired`: the SDK adds
   * checksums to requests and validates them on responses only where an operation requires it
   * (no default CRC32 on uploads): what a test of the server's own default checksum needs.
   */
  s3For(creds: Credentials, opts?: { checksumsWhenRequired?: boolean }): S3Client;
  close(): Promise<void>;
}

export const REGION = 'us-east-1';

export async function createBucketWithKey(
  server: Pick<TestServer, 'endpoint' | 'credentials'>,
  prefix = 'obj',
): Promise<{ bucket: string; key: Credentials }> {
  const ls = new LightsailClient({ endpoint: server.endpoint, region: REGION, credentials: server.credentials });
  try {
    const bucket = uniqueBucketName(prefix);
    await ls.send(new CreateBucketCommand({ bucketName: bucket, bundleId: 'small_1_0' }));
    const out = await ls.send(new CreateBucketAccessKeyCommand({ bucketName: bucket }));
    const id = out.accessKey?.accessKeyId;
    const secret = out.accessKey?.secretAccessKey;
    if (!id || !secret)
      throw new Error(`CreateBucketAccessKey for ${bucket} returned no key: ${JSON.stringify(out.accessKey)}`);
    return { bucket, key: { accessKeyId: id, secretAccessKey: secret } };
  } finally {
    ls.destroy();
  }
}

export async function startDataPlane(opts: StartServerOptions = {}): Promise<DataPlaneFixture> {
  const server = await startServer(opts);
  const clients: S3Client[] = [];
  const s3For = (creds: Credentials, opts: { checksumsWhenRequired?: boolean } = {}): S3Client => {
    const c = new S3Client({
      endpoint: server.endpoint,
      region: REGION,
      credentials: creds,
      ...(opts.checksumsWhenRequired
        ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
        : {}),
    });
    clients.push(c);
    return c;
  };
  try {
    const { bucket, key } = await createBucketWithKey(server);
    return {
      server,
      bucket,
      key,
      s3: s3For(key),
      s3For,
      newBucket: (prefix) => createBucketWithKey(server, prefix),
      async close() {
        for (const c of clients) c.destroy();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** Reads a GetObject body (SDK stream) fully. */
export async function bodyBytes(body: unknown): Promise<Buffer> {
  const b = body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined;
  if (!b?.transformToByteArray) throw new Error('GetObject returned no readable Body');
  return Buffer.from(await b.transformToByteArray());
}
