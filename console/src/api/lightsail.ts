/** The Lightsail control plane, called from the browser with the signed-in credentials. */
import {
  CreateBucketAccessKeyCommand,
  CreateBucketCommand,
  DeleteBucketAccessKeyCommand,
  DeleteBucketCommand,
  GetBucketAccessKeysCommand,
  GetBucketBundlesCommand,
  GetBucketMetricDataCommand,
  GetBucketsCommand,
  LightsailClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateBucketBundleCommand,
  UpdateBucketCommand,
  type AccessKey,
  type Bucket,
  type BucketBundle,
  type BucketCorsRule,
  type MetricDatapoint,
  type Tag,
  type UpdateBucketRequest,
} from '@aws-sdk/client-lightsail';
import type { Session } from './session';

export type { AccessKey, Bucket, BucketBundle, BucketCorsRule, MetricDatapoint, Tag };

export class ControlPlane {
  private readonly client: LightsailClient;

  constructor(session: Session) {
    this.client = new LightsailClient({
      region: session.region,
      endpoint: location.origin,
      credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey },
      maxAttempts: 2,
    });
  }

  /** The SHA-256 implementation the client signs with (for calls no SDK knows, api/accounts.ts). */
  get sha256() {
    return this.client.config.sha256;
  }

  /** Every bucket of the account (all pages, bounded). */
  async buckets(): Promise<Bucket[]> {
    const out: Bucket[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 100; page++) {
      const r = await this.client.send(new GetBucketsCommand({ pageToken }));
      out.push(...(r.buckets ?? []));
      pageToken = r.nextPageToken;
      if (pageToken === undefined || pageToken === '') break;
    }
    return out;
  }

  async bucket(name: string): Promise<Bucket> {
    const r = await this.client.send(new GetBucketsCommand({ bucketName: name, includeCors: true }));
    const b = r.buckets?.[0];
    if (b === undefined) throw new Error(`Bucket ${name} does not exist.`);
    return b;
  }

  async bundles(): Promise<BucketBundle[]> {
    const r = await this.client.send(new GetBucketBundlesCommand({ includeInactive: false }));
    return r.bundles ?? [];
  }

  async createBucket(bucketName: string, bundleId: string, enableObjectVersioning: boolean): Promise<void> {
    await this.client.send(new CreateBucketCommand({ bucketName, bundleId, enableObjectVersioning }));
  }

  async deleteBucket(bucketName: string, forceDelete: boolean): Promise<void> {
    await this.client.send(new DeleteBucketCommand({ bucketName, forceDelete }));
  }

  async updateBucket(input: UpdateBucketRequest): Promise<Bucket | undefined> {
    const r = await this.client.send(new UpdateBucketCommand(input));
    return r.bucket;
  }

  async updateBundle(bucketName: string, bundleId: string): Promise<void> {
    await this.client.send(new UpdateBucketBundleCommand({ bucketName, bundleId }));
  }

  async accessKeys(bucketName: string): Promise<AccessKey[]> {
    const r = await this.client.send(new GetBucketAccessKeysCommand({ bucketName }));
    return r.accessKeys ?? [];
  }

  async createAccessKey(bucketName: string): Promise<AccessKey> {
    const r = await this.client.send(new CreateBucketAccessKeyCommand({ bucketName }));
    if (r.accessKey === undefined) throw new Error('The server returned no access key.');
    return r.accessKey;
  }

  async deleteAccessKey(bucketName: string, accessKeyId: string): Promise<void> {
    await this.client.send(new DeleteBucketAccessKeyCommand({ bucketName, accessKeyId }));
  }

  async metricData(
    bucketName: string,
    metricName: 'BucketSizeBytes' | 'NumberOfObjects',
    startTime: Date,
    endTime: Date,
    period: number,
  ): Promise<MetricDatapoint[]> {
    const r = await this.client.send(
      new GetBucketMetricDataCommand({
        bucketName,
        metricName,
        startTime,
        endTime,
        period,
        statistics: ['Average', 'Maximum'],
        unit: metricName === 'BucketSizeBytes' ? 'Bytes' : 'Count',
      }),
    );
    return (r.metricData ?? []).slice().sort((a, b) => (a.timestamp?.getTime() ?? 0) - (b.timestamp?.getTime() ?? 0));
  }

  async tag(resourceName: string, tags: Tag[]): Promise<void> {
    await this.client.send(new TagResourceCommand({ resourceName, tags }));
  }

  async untag(resourceName: string, tagKeys: string[]): Promise<void> {
    await this.client.send(new UntagResourceCommand({ resourceName, tagKeys }));
  }
}
