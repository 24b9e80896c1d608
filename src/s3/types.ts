/**
 * The S3 handler contract. A handler receives an `S3Call` whose caller is already authenticated
 * (SigV4 verified) and authorized for the operation and bucket, and whose body is already wrapped
 * in the verifier for its payload mode. A handler never reads auth headers; it answers through
 * `S3Reply` or throws (S3Error, DomainError, SigV4Error from the body stream) and the pipeline
 * writes the S3 `<Error>` document.
 *
 * Registering handlers: each of `src/s3/handlers/{bucket,object,multipart}/index.ts` exports its
 * table (`bucketHandlers`, `objectHandlers`, `multipartHandlers`: operation name → handler typed by
 * the operation's scope, e.g. `{ PutObject: putObject }` with `putObject: S3Handler<ObjectCall>`),
 * and `s3Handlers()` in ./index.ts merges them into the HandlerTable of ./operationTable.ts. Access
 * classes live only in ./operationTable.ts.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { BucketRecord } from '../domain/ports/records.js';
import type { Principal } from '../domain/keys/principals.js';
import type { Logger } from '../log.js';
import type { XmlReader, XmlWriter } from './xml.js';
import type { S3Services } from './services.js';
import type { BodyVerification } from '../sigv4/bodyVerifier.js';
import type { ChecksumAlgorithm } from '../crypto/checksums.js';

/** Every operation the router can name; each has exactly one entry in the operation table. */
export type S3Operation =
  // service
  | 'ListBuckets'
  // CORS preflight (S3's "OPTIONS object"), unsigned, on a bucket or an object
  | 'OptionsObject'
  // bucket
  | 'HeadBucket'
  | 'GetBucketLocation'
  | 'CreateBucket'
  | 'DeleteBucket'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'ListObjectVersions'
  | 'GetBucketVersioning'
  | 'GetBucketCors'
  | 'DeleteObjects'
  // POST object: a browser form upload, signed inside the form (multipart/form-data)
  | 'PostObject'
  | 'ListMultipartUploads'
  // bucket configuration S3 has but Sailbucket does not implement (root: NotImplemented; keys: AccessDenied)
  | 'PutBucketVersioning'
  | 'PutBucketCors'
  | 'DeleteBucketCors'
  | 'GetBucketPolicy'
  | 'PutBucketPolicy'
  | 'DeleteBucketPolicy'
  | 'GetBucketPolicyStatus'
  | 'GetBucketAcl'
  | 'PutBucketAcl'
  | 'GetBucketTagging'
  | 'PutBucketTagging'
  | 'DeleteBucketTagging'
  | 'GetBucketLifecycleConfiguration'
  | 'PutBucketLifecycleConfiguration'
  | 'DeleteBucketLifecycle'
  | 'GetBucketEncryption'
  | 'PutBucketEncryption'
  | 'DeleteBucketEncryption'
  | 'GetBucketLogging'
  | 'PutBucketLogging'
  | 'GetBucketWebsite'
  | 'PutBucketWebsite'
  | 'DeleteBucketWebsite'
  | 'GetPublicAccessBlock'
  | 'PutPublicAccessBlock'
  | 'DeletePublicAccessBlock'
  | 'GetBucketOwnershipControls'
  | 'PutBucketOwnershipControls'
  | 'DeleteBucketOwnershipControls'
  | 'GetBucketNotificationConfiguration'
  | 'PutBucketNotificationConfiguration'
  | 'GetObjectLockConfiguration'
  | 'PutObjectLockConfiguration'
  | 'GetBucketReplication'
  | 'PutBucketReplication'
  | 'DeleteBucketReplication'
  | 'GetBucketRequestPayment'
  | 'PutBucketRequestPayment'
  | 'GetBucketAccelerateConfiguration'
  | 'PutBucketAccelerateConfiguration'
  // object
  | 'PutObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'CopyObject'
  | 'GetObjectAttributes'
  | 'PutObjectTagging'
  | 'GetObjectTagging'
  | 'DeleteObjectTagging'
  | 'PutObjectAcl'
  | 'GetObjectAcl'
  | 'RestoreObject'
  | 'SelectObjectContent'
  | 'GetObjectRetention'
  | 'PutObjectRetention'
  | 'GetObjectLegalHold'
  | 'PutObjectLegalHold'
  | 'GetObjectTorrent'
  // multipart
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts';

/** Query parameters, percent-decoded once; a name given without `=` maps to ''. First value wins. */
export type S3Query = ReadonlyMap<string, string>;

/** The request parsed into a typed endpoint, before anything else happens. */
export interface S3Endpoint {
  readonly operation: S3Operation;
  readonly method: string;
  /** Undefined only for ListBuckets. */
  readonly bucket: string | undefined;
  /** The object key, byte-exact (percent-escapes of the raw path decoded exactly once); undefined for bucket/service ops. */
  readonly key: string | undefined;
  readonly query: S3Query;
  readonly addressing: 'path' | 'virtual';
  /** The path and query as received, for `<Resource>` in errors and the access log. */
  readonly rawPath: string;
  readonly rawQuery: string;
}

export interface VerifiedBody {
  /**
   * The decoded body, verifying as it streams (payload hash, chunk signatures, decoded length,
   * Content-MD5, x-amz-checksum-* header or trailer): it errors (SigV4Error) instead of ending
   * when anything is wrong, so commit only after it ended cleanly. Created on first access.
   */
  readonly stream: Readable;
  /** The decoded length the client declared (`x-amz-decoded-content-length`, else Content-Length), when known. */
  readonly declaredLength: number | undefined;
  /**
   * Resolves once the stream ended and every check passed, with what was computed: decodedLength,
   * md5 (Buffer; the single-part ETag is its hex), checksums, the client's checksum, trailers.
   */
  result(): Promise<BodyVerification>;
  /**
   * The whole (decoded) body as one Buffer, verified (every check of `stream`; `result` settles the
   * same way), read straight from the request without a stream chain: only when its declared length
   * is at most `maxBytes` and its Content-Length equals it (sent as is) or, aws-chunked, is at most
   * `maxBytes` plus a few KiB of framing, and `stream` was not opened. Otherwise undefined: use `stream`.
   */
  whole(maxBytes: number): Promise<Buffer> | undefined;
  /** Also compute these checksums (in `result().checksums`), whatever the client sent; before `stream` or `whole`. */
  computeAlso(algorithms: readonly ChecksumAlgorithm[]): void;
  /**
   * The request's `x-amz-checksum-<algorithm>` headers are the object's (CompleteMultipartUpload),
   * not this body's: the verifier ignores them. Before `stream` or `whole`.
   */
  checksumHeadersDescribeObject(): void;
}

/** What every handler receives. */
export interface S3Call {
  readonly endpoint: S3Endpoint;
  readonly principal: Principal;
  /** The object key (byte-exact), for object-scoped operations; same as endpoint.key. */
  readonly key: string | undefined;
  /** The bucket record (set for every bucket- and object-scoped operation except CreateBucket). */
  readonly bucket: BucketRecord | undefined;
  /** Request headers (node lowercases names). Never use them to decide who the caller is. */
  readonly headers: IncomingHttpHeaders;
  readonly body: VerifiedBody;
  readonly requestId: string;
  readonly log: Logger;
  /** Epoch ms at which the request was authenticated (use it as "now" for the request). */
  readonly now: number;
  /** The server's region (buckets are created there; GetBucketLocation answers the bucket's own). */
  readonly region: string;
  readonly services: S3Services;
  readonly xml: XmlReader;
  /**
   * Authorizes reading from a bucket other than (or equal to) the target, e.g. the CopyObject /
   * UploadPartCopy source: AccessDenied for a bucket key outside its bucket (whether the bucket
   * exists or not), NoSuchBucket for root when it does not exist. Returns the source bucket.
   */
  authorizeSourceRead(bucketName: string): Promise<BucketRecord>;
  /** PostObject only: the form upload's raw request and how its signature is checked. */
  readonly postForm?: PostFormAccess;
}

/**
 * The credentials of a POST form and what they signed: SigV4 (x-amz-credential, split) or, where
 * the operator accepts Signature Version 2 (`--sigv2 on`), SigV2 (AWSAccessKeyId and a base64
 * HMAC-SHA1 `signature`; date, region and service are then empty).
 */
export interface PostFormCredentials {
  version: 2 | 4;
  accessKeyId: string;
  /** YYYYMMDD, region and service of the credential scope. */
  date: string;
  region: string;
  service: string;
  /** The `policy` field as sent (base64): what the signature covers. */
  policy: string;
  /** The `x-amz-signature` field (hex), or SigV2's `signature` (base64). */
  signature: string;
}

/**
 * A POST object request is not signed in HTTP: the form carries a policy and its signature. The
 * handler reads the form from `request`, then `authorize` verifies the signature and authorizes the
 * signer to write `key` into the request's bucket, as for PutObject.
 */
export interface PostFormAccess {
  readonly request: Readable;
  /** Whether the whole request body was read. */
  complete(): boolean;
  authorize(creds: PostFormCredentials, key: string): Promise<{ principal: Principal; bucket: BucketRecord }>;
}

/** A bucket-scoped call: `bucket` is present. */
export interface BucketCall extends S3Call {
  readonly bucket: BucketRecord;
}
/** An object-scoped call: `bucket` and `key` are present. */
export interface ObjectCall extends BucketCall {
  readonly key: string;
}

/** How a handler answers. Each method ends the response except `header`. */
export interface S3Reply {
  readonly raw: ServerResponse;
  /** Sets a response header (x-amz-request-id and x-amz-id-2 are always set by the pipeline). */
  header(name: string, value: string | number): void;
  /**
   * Sends an XML document, text or UTF-8 bytes (one buffer or several, in order: XmlWriter.parts)
   * or a writer's document (its buffers are released for reuse once written), with Content-Type
   * application/xml and Content-Length, status 200 by default.
   */
  xml(body: string | Buffer | readonly Buffer[] | XmlWriter, status?: number): void;
  /** Sends no body (Content-Length 0), status 200 by default (204 for deletes is the caller's choice). */
  empty(status?: number): void;
  /**
   * Streams a body with backpressure; resolves when fully written, rejects if the source errors
   * (the response is then destroyed, since headers were already sent). HEAD requests send no body.
   */
  stream(body: Readable, opts: { status?: number; length?: number }): Promise<void>;
}

export type S3Handler<C extends S3Call = S3Call> = (call: C, reply: S3Reply) => Promise<void>;
