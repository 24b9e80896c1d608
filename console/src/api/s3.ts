/**
 * The S3 data plane, called from the browser (path-style, same origin). Loaded only by the pages
 * that need it, so the first load stays small.
 */
import {
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectAclCommand,
  PutObjectCommand,
  S3Client,
  type HeadObjectCommandOutput,
  type ObjectVersion,
  type _Object,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Session } from './session';
import { XhrHttpHandler } from './xhrHandler';

export type { HeadObjectCommandOutput, ObjectVersion, _Object as S3Object };

export interface Listing {
  folders: string[];
  objects: _Object[];
  nextToken: string | undefined;
}

/** Parts of 8 MiB, four at a time: a 20 MiB file is three parts. Smaller files are one PUT. */
const PART_SIZE = 8 * 1024 * 1024;

export class DataPlane {
  private readonly client: S3Client;

  constructor(
    private readonly session: Session,
    private readonly region: string,
  ) {
    this.client = this.newClient();
  }

  private newClient(handler?: XhrHttpHandler, checksums = true): S3Client {
    return new S3Client({
      region: this.region,
      endpoint: location.origin,
      forcePathStyle: true,
      credentials: { accessKeyId: this.session.accessKeyId, secretAccessKey: this.session.secretAccessKey },
      maxAttempts: 2,
      ...(handler !== undefined ? { requestHandler: handler } : {}),
      // Large uploads send no client-side CRC: computing it in JavaScript would block the page;
      // single-part files (at most one part) carry the SDK's default CRC32.
      ...(checksums ? {} : { requestChecksumCalculation: 'WHEN_REQUIRED' as const }),
    });
  }

  async list(bucket: string, prefix: string, token: string | undefined, pageSize: number): Promise<Listing> {
    const r = await this.client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        Delimiter: '/',
        MaxKeys: pageSize,
        ContinuationToken: token,
      }),
    );
    return {
      folders: (r.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').filter((p) => p !== ''),
      objects: (r.Contents ?? []).filter((o) => o.Key !== prefix),
      nextToken: r.IsTruncated === true ? r.NextContinuationToken : undefined,
    };
  }

  async head(bucket: string, key: string, versionId?: string): Promise<HeadObjectCommandOutput> {
    return this.client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, ChecksumMode: 'ENABLED' }),
    );
  }

  async versions(bucket: string, key: string): Promise<ObjectVersion[]> {
    const r = await this.client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 100 }));
    return (r.Versions ?? []).filter((v) => v.Key === key);
  }

  async deleteMany(bucket: string, keys: string[]): Promise<string[]> {
    const failed: string[] = [];
    for (let i = 0; i < keys.length; i += 1000) {
      const r = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true },
        }),
      );
      for (const e of r.Errors ?? []) failed.push(`${e.Key ?? '?'}: ${e.Message ?? e.Code ?? 'failed'}`);
    }
    return failed;
  }

  async createFolder(bucket: string, key: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '' }));
  }

  async makePublic(bucket: string, key: string, isPublic: boolean): Promise<void> {
    await this.client.send(
      new PutObjectAclCommand({ Bucket: bucket, Key: key, ACL: isPublic ? 'public-read' : 'private' }),
    );
  }

  /** A presigned GET; `download` adds Content-Disposition: attachment with the file name. */
  async presign(
    bucket: string,
    key: string,
    expiresIn: number,
    download: boolean,
    versionId?: string,
  ): Promise<string> {
    const name = key.slice(key.lastIndexOf('/') + 1) || 'download';
    const command = new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      VersionId: versionId,
      ResponseContentDisposition: download
        ? `attachment; filename="${name.replace(/["\\\r\n]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`
        : undefined,
    });
    return getSignedUrl(this.client, command, { expiresIn });
  }

  /**
   * Uploads one file with its own client (so its progress is its own); multipart above one part.
   * Returns the upload (`done()`, `abort()`).
   */
  upload(bucket: string, key: string, file: File, onProgress: (bytes: number) => void): Upload {
    const client = this.newClient(new XhrHttpHandler(onProgress), file.size <= PART_SIZE);
    return new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: file, ContentType: file.type || 'application/octet-stream' },
      partSize: PART_SIZE,
      queueSize: 4,
      leavePartsOnError: false,
    });
  }
}

/** For a bucket key: its one bucket (ListBuckets answers only that) and the bucket's region. */
export async function bucketOfKey(session: Session): Promise<{ name: string; region: string }> {
  const client = new S3Client({
    region: session.region,
    endpoint: location.origin,
    forcePathStyle: true,
    credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey },
    maxAttempts: 1,
  });
  const r = await client.send(new ListBucketsCommand({}));
  const name = r.Buckets?.[0]?.Name;
  if (name === undefined) throw new Error('This access key sees no bucket.');
  const loc = await client.send(new GetBucketLocationCommand({ Bucket: name }));
  return { name, region: loc.LocationConstraint ?? session.region };
}
