/**
 * The S3 error catalog (code → HTTP status and default message) and the S3Error a handler throws.
 * Every S3 error leaves the server through `mapToS3Error` and the pipeline's error writer.
 */
import { isStorageFull } from '../domain/storageFull.js';
import { storeUnavailable } from '../domain/storeUnavailable.js';
import { DomainError, type ObjectReason } from '../domain/errors.js';
import { SigV4Error, type AuthKind, type SigV4ErrorCode } from '../sigv4/errors.js';
import { DEFAULT_MAX_SKEW_MS } from '../sigv4/verifySignature.js';

export interface CatalogEntry {
  status: number;
  message: string;
}

/** S3 error codes Sailbucket answers with, their status and AWS's default message. */
export const S3_ERRORS = {
  AccessDenied: { status: 403, message: 'Access Denied' },
  AccessForbidden: { status: 403, message: 'CORSResponse: This CORS request is not allowed.' },
  AccessControlListNotSupported: { status: 400, message: 'The bucket does not allow ACLs' },
  AuthorizationHeaderMalformed: { status: 400, message: 'The authorization header is malformed.' },
  AuthorizationQueryParametersError: { status: 400, message: 'Error parsing the X-Amz-Credential parameter.' },
  BadRequest: { status: 400, message: 'Bad Request' },
  BadDigest: { status: 400, message: 'The Content-MD5 or checksum you specified did not match what we received.' },
  BucketAlreadyExists: {
    status: 409,
    message: 'The requested bucket name is not available. Please select a different name and try again.',
  },
  BucketAlreadyOwnedByYou: {
    status: 409,
    message: 'Your previous request to create the named bucket succeeded and you already own it.',
  },
  BucketNotEmpty: { status: 409, message: 'The bucket you tried to delete is not empty.' },
  EntityTooLarge: { status: 400, message: 'Your proposed upload exceeds the maximum allowed size.' },
  EntityTooSmall: { status: 400, message: 'Your proposed upload is smaller than the minimum allowed object size.' },
  IncompleteBody: {
    status: 400,
    message: 'You did not provide the number of bytes specified by the Content-Length HTTP header.',
  },
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.' },
  StorageFull: {
    status: 507,
    message: 'The disk of this server is full: delete objects to free space, then retry.',
  },
  InvalidAccessKeyId: { status: 403, message: 'The AWS Access Key Id you provided does not exist in our records.' },
  InvalidArgument: { status: 400, message: 'Invalid Argument' },
  InvalidBucketName: { status: 400, message: 'The specified bucket is not valid.' },
  InvalidDigest: { status: 400, message: 'The Content-MD5 or checksum you specified is not valid.' },
  InvalidLocationConstraint: { status: 400, message: 'The specified location-constraint is not valid.' },
  InvalidObjectState: { status: 403, message: "The operation is not valid for the object's state." },
  InvalidPart: {
    status: 400,
    message:
      "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
  },
  InvalidPartOrder: {
    status: 400,
    message: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
  },
  InvalidRange: { status: 416, message: 'The requested range is not satisfiable' },
  InvalidPolicyDocument: {
    status: 400,
    message: 'The content of the form does not meet the conditions specified in the policy document.',
  },
  InvalidPartNumber: { status: 416, message: 'The requested partnumber is not satisfiable' },
  InvalidRequest: { status: 400, message: 'Invalid Request' },
  InvalidStorageClass: { status: 400, message: 'The storage class you specified is not valid.' },
  InvalidURI: { status: 400, message: "Couldn't parse the specified URI." },
  InvalidTag: { status: 400, message: 'The tag provided was not a valid tag.' },
  KeyTooLongError: { status: 400, message: 'Your key is too long.' },
  MalformedXML: {
    status: 400,
    message: 'The XML you provided was not well-formed or did not validate against our published schema.',
  },
  MalformedTrailerError: {
    status: 400,
    message: 'The request contained trailing data that was not well-formed or did not conform to our published schema.',
  },
  MalformedPOSTRequest: {
    status: 400,
    message: 'The body of your POST request is not well-formed multipart/form-data.',
  },
  MaxPostPreDataLengthExceededError: {
    status: 400,
    message: 'Your POST request fields preceding the upload file were too large.',
  },
  MaxMessageLengthExceeded: { status: 400, message: 'Your request was too big.' },
  MetadataTooLarge: { status: 400, message: 'Your metadata headers exceed the maximum allowed metadata size.' },
  MethodNotAllowed: { status: 405, message: 'The specified method is not allowed against this resource.' },
  MissingContentLength: { status: 411, message: 'You must provide the Content-Length HTTP header.' },
  MissingRequestBodyError: { status: 400, message: 'Request Body is empty.' },
  MissingSecurityHeader: { status: 400, message: 'Your request is missing a required header.' },
  NoSuchBucket: { status: 404, message: 'The specified bucket does not exist' },
  NoSuchCORSConfiguration: { status: 404, message: 'The CORS configuration does not exist' },
  NoSuchKey: { status: 404, message: 'The specified key does not exist.' },
  NoSuchLifecycleConfiguration: { status: 404, message: 'The lifecycle configuration does not exist' },
  NoSuchTagSet: { status: 404, message: 'The TagSet does not exist' },
  NoSuchUpload: {
    status: 404,
    message:
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  },
  NoSuchVersion: { status: 404, message: 'The specified version does not exist.' },
  NotImplemented: { status: 501, message: 'A header you provided implies functionality that is not implemented.' },
  NotModified: { status: 304, message: 'Not Modified' },
  PreconditionFailed: { status: 412, message: 'At least one of the pre-conditions you specified did not hold' },
  RequestTimeTooSkewed: {
    status: 403,
    message: 'The difference between the request time and the current time is too large.',
  },
  SignatureDoesNotMatch: {
    status: 403,
    message:
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  },
  QuotaExceeded: {
    status: 403,
    message: 'The write would take the account past its storage quota.',
  },
  ServiceUnavailable: { status: 503, message: 'Service is unable to handle request.' },
  SlowDown: { status: 503, message: 'Please reduce your request rate.' },
  TooManyBuckets: { status: 400, message: 'You have attempted to create more buckets than allowed.' },
  UnexpectedContent: { status: 400, message: 'This request does not support content.' },
  XAmzContentSHA256Mismatch: {
    status: 400,
    message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  },
} as const satisfies Record<string, CatalogEntry>;

export type S3ErrorCode = keyof typeof S3_ERRORS;

/**
 * An S3 wire error. `fields` become extra child elements of `<Error>` (e.g. Key, BucketName,
 * HostId-free facts such as `Method`, `ResourceType`); `headers` are added to the response.
 */
export class S3Error extends Error {
  override readonly name = 'S3Error';
  readonly status: number;
  constructor(
    readonly code: S3ErrorCode,
    message?: string,
    readonly fields: Readonly<Record<string, string>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message ?? S3_ERRORS[code].message);
    this.status = S3_ERRORS[code].status;
  }
}

/** The S3 error code of each object reason of the domain (`src/domain/errors.ts`). */
const S3_CODE_OF_REASON: Readonly<Record<ObjectReason, S3ErrorCode>> = {
  invalid_parameter: 'InvalidArgument',
  key_too_long: 'KeyTooLongError',
  key_character: 'InvalidArgument',
  body_length_mismatch: 'IncompleteBody',
  metadata_too_large: 'MetadataTooLarge',
  too_many_tags: 'BadRequest',
  object_too_large: 'EntityTooLarge',
  part_too_small: 'EntityTooSmall',
  part_mismatch: 'InvalidPart',
  part_order: 'InvalidPartOrder',
  empty_part_list: 'MalformedXML',
  delete_count: 'MalformedXML',
  checksum_mismatch: 'BadDigest',
  checksum_algorithm_mismatch: 'InvalidRequest',
  checksum_type_unsupported: 'InvalidRequest',
  copy_source_too_large: 'InvalidRequest',
  copy_range_too_large: 'InvalidRequest',
  copy_to_itself: 'InvalidRequest',
  unsupported_condition: 'NotImplemented',
  precondition_failed: 'PreconditionFailed',
  no_such_bucket: 'NoSuchBucket',
  no_such_key: 'NoSuchKey',
  no_such_version: 'NoSuchVersion',
  no_such_upload: 'NoSuchUpload',
  version_is_delete_marker: 'MethodNotAllowed',
  range_not_satisfiable: 'InvalidRange',
  part_number_not_satisfiable: 'InvalidPartNumber',
  quota_exceeded: 'QuotaExceeded',
};

const s3CodeOfReason = (reason: string | undefined): S3ErrorCode | undefined =>
  reason !== undefined && Object.prototype.hasOwnProperty.call(S3_CODE_OF_REASON, reason)
    ? S3_CODE_OF_REASON[reason as ObjectReason]
    : undefined;

/** A DomainError's S3 error: by its object reason when it has one, else by the domain code and resource. */
export function fromDomainError(err: DomainError): S3Error {
  const byReason = s3CodeOfReason(err.details.reason);
  const marker = err.details.deleteMarker;
  if (marker !== undefined && byReason !== undefined) {
    // S3 tells a client that the key's (or the named) version is a delete marker.
    return new S3Error(
      byReason,
      err.message,
      {},
      { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId },
    );
  }
  if (byReason !== undefined) return new S3Error(byReason, err.message);
  switch (err.code) {
    case 'NotFound':
      switch (err.details.resource) {
        case 'Bucket':
          return new S3Error('NoSuchBucket', err.message);
        case 'Upload':
          return new S3Error('NoSuchUpload', err.message);
        case 'Version':
          return new S3Error('NoSuchVersion', err.message);
        case 'Part':
          return new S3Error('InvalidPart', err.message);
        default:
          return new S3Error('NoSuchKey', err.message);
      }
    case 'InvalidInput':
      return new S3Error('InvalidArgument', err.message);
    case 'AccessDenied':
      return new S3Error('AccessDenied', err.message);
    case 'Conflict':
      return new S3Error(err.details.resource === 'Bucket' ? 'BucketNotEmpty' : 'InvalidRequest', err.message);
    case 'PreconditionFailed':
      return new S3Error('PreconditionFailed', err.message);
    default:
      return new S3Error('InternalError');
  }
}

/** The S3 error code of each SigV4 error code. */
const S3_CODE_OF_SIGV4: Readonly<Record<SigV4ErrorCode, S3ErrorCode>> = {
  MissingAuthentication: 'AccessDenied',
  AmbiguousAuthentication: 'InvalidArgument',
  IncompleteSignature: 'AuthorizationHeaderMalformed',
  AuthorizationQueryParametersError: 'AuthorizationQueryParametersError',
  UnsupportedAlgorithm: 'InvalidRequest',
  InvalidRequestDate: 'AccessDenied',
  SignatureMismatch: 'SignatureDoesNotMatch',
  UnsignedHeaders: 'AccessDenied',
  RequestTimeTooSkewed: 'RequestTimeTooSkewed',
  RequestExpired: 'AccessDenied',
  RequestNotYetValid: 'AccessDenied',
  ScopeMismatch: 'AuthorizationHeaderMalformed',
  MissingPayloadHash: 'InvalidRequest',
  InvalidPayloadMode: 'InvalidArgument',
  MissingDecodedContentLength: 'MissingContentLength',
  PayloadHashMismatch: 'XAmzContentSHA256Mismatch',
  ChunkSignatureMismatch: 'SignatureDoesNotMatch',
  IncompleteBody: 'IncompleteBody',
  InvalidChunk: 'IncompleteBody',
  BadDigest: 'BadDigest',
  InvalidDigest: 'InvalidDigest',
  InvalidChecksumHeaders: 'InvalidRequest',
  InvalidTrailer: 'MalformedTrailerError',
};

/**
 * The S3 error code and HTTP status for a SigV4 error code. Scope errors on a presigned URL
 * are `AuthorizationQueryParametersError` rather than `AuthorizationHeaderMalformed`.
 */
export function s3ErrorFor(code: SigV4ErrorCode, authKind?: AuthKind): { code: S3ErrorCode; status: number } {
  const s3 =
    authKind === 'query' && (code === 'ScopeMismatch' || code === 'IncompleteSignature')
      ? 'AuthorizationQueryParametersError'
      : S3_CODE_OF_SIGV4[code];
  return { code: s3, status: S3_ERRORS[s3].status };
}

/** A SigV4Error's S3 error, with S3's extra fields where it has them. */
export function fromSigV4Error(err: SigV4Error): S3Error {
  const code = s3ErrorFor(err.code, err.details.authKind).code;
  const fields: Record<string, string> = {};
  const d = err.details;
  if (code === 'SignatureDoesNotMatch') {
    if (d.stringToSign !== undefined) fields.StringToSign = d.stringToSign;
    if (d.canonicalRequest !== undefined) fields.CanonicalRequest = d.canonicalRequest;
  }
  if (d.requestTime !== undefined) fields.RequestTime = d.requestTime;
  if (d.serverTime !== undefined) fields.ServerTime = d.serverTime;
  if (d.expiresAt !== undefined) fields.Expires = d.expiresAt;
  if (code === 'RequestTimeTooSkewed') fields.MaxAllowedSkewMilliseconds = String(DEFAULT_MAX_SKEW_MS);
  return new S3Error(code, err.message, fields);
}

/** Turns any error a handler or the verifier raised into the S3 error to send. */
export function mapToS3Error(err: unknown): S3Error {
  if (err instanceof S3Error) return err;
  if (err instanceof DomainError) return fromDomainError(err);
  if (err instanceof SigV4Error) return fromSigV4Error(err);
  if (isStorageFull(err)) return new S3Error('StorageFull');
  const unavailable = storeUnavailable(err);
  if (unavailable === 'busy') return new S3Error('SlowDown');
  if (unavailable === 'unreachable') return new S3Error('ServiceUnavailable');
  return new S3Error('InternalError');
}
