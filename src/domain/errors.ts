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

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Extra facts a protocol may need to pick its exact wire error (e.g. which resource was missing). */
    readonly details: { resource?: ResourceKind; reason?: string; deleteMarker?: { versionId: string } } = {},
  ) {
    super(message);
  }
}

export const notFound = (resource: ResourceKind, message: string) => new DomainError('NotFound', message, { resource });
export const invalidInput = (message: string, reason?: string) => new DomainError('InvalidInput', message, { reason });
