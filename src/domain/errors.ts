/**
 * Protocol-free domain errors. Each wire protocol maps `code` to its own error
 * (Lightsail JSON `__type`, S3 XML `<Code>`) at its edge.
 */
export type DomainErrorCode =
  | 'InvalidInput' // a value breaks a rule (name, limit, enum, ...)
  | 'NotFound' // a named resource (bucket, key, operation, upload, object) does not exist
  | 'AccessDenied' // the principal may not do this
  | 'Conflict' // the state forbids it (bucket not empty, name taken)
  | 'PreconditionFailed' // a conditional request's condition is false
  | 'Internal';

export type ResourceKind = 'Bucket' | 'AccessKey' | 'Operation' | 'Object' | 'Upload' | 'Part' | 'Version' | 'Resource';

/**
 * Why an object, upload or listing rule refused, finer than the DomainErrorCode. Protocol-free:
 * `src/s3/errors.ts` maps each to its S3 error code. An error carrying one of these is also a
 * per-key failure of DeleteObjects rather than a failure of the whole request.
 */
export type ObjectReason =
  | 'invalid_parameter' // a parameter's value is outside its rule (empty key, part number, marker, max-keys)
  | 'key_too_long'
  | 'key_character' // a new key holds a character XML 1.0 listings cannot carry
  | 'body_length_mismatch' // the body is shorter or longer than its declared length
  | 'metadata_too_large'
  | 'too_many_tags'
  | 'object_too_large'
  | 'part_too_small'
  | 'part_mismatch' // a completion names a part that is missing or whose ETag differs
  | 'part_order'
  | 'empty_part_list'
  | 'delete_count' // DeleteObjects with no key or more than the limit
  | 'checksum_mismatch'
  | 'checksum_algorithm_mismatch'
  | 'checksum_type_unsupported'
  | 'copy_source_too_large'
  | 'copy_range_too_large'
  | 'copy_to_itself'
  | 'unsupported_condition'
  | 'precondition_failed'
  | 'no_such_bucket'
  | 'no_such_key'
  | 'no_such_version'
  | 'no_such_upload'
  | 'version_is_delete_marker' // a named version is a delete marker (a method it does not allow)
  | 'range_not_satisfiable'
  | 'part_number_not_satisfiable'
  | 'quota_exceeded'; // the write would take the account past its storage quota

/** Reasons of the control-plane rules (buckets, keys, tags, metrics, page tokens). */
export type ControlReason =
  | 'invalid_bucket_name'
  | 'bucket_name_taken'
  | 'bucket_owned_by_you'
  | 'bucket_not_empty'
  | 'bucket_has_access_keys'
  | 'invalid_arn'
  | 'invalid_bundle'
  | 'invalid_page_token'
  | 'invalid_tag'
  | 'invalid_versioning'
  | 'missing_resource'
  | 'same_bundle'
  | 'access_key_limit'
  | 'bundle_change_limit'
  | 'account_name_taken'
  | 'invalid_account_name'
  | 'account_has_buckets'
  | 'operator_account'
  | 'last_root_key';

export type DomainReason = ObjectReason | ControlReason;

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Extra facts a protocol may need to pick its exact wire error (e.g. which resource was missing). */
    readonly details: { resource?: ResourceKind; reason?: DomainReason; deleteMarker?: { versionId: string } } = {},
  ) {
    super(message);
  }
}

export const notFound = (resource: ResourceKind, message: string) => new DomainError('NotFound', message, { resource });
export const invalidInput = (message: string, reason?: DomainReason) =>
  new DomainError('InvalidInput', message, { reason });
