import { DomainError } from '../domain/errors.js';
import { isStorageFull } from '../domain/storageFull.js';
import { storeUnavailable } from '../domain/storeUnavailable.js';
import { ERROR_HTTP_STATUS } from '../generated/lightsail.js';

/**
 * Exceptions of the protocol layer (envelope and SigV4) that the Lightsail model does not list as
 * operation errors, with their HTTP status.
 */
const PROTOCOL_EXCEPTIONS = {
  IncompleteSignatureException: 400,
  InvalidSignatureException: 400,
  MissingAuthenticationTokenException: 400,
  UnknownOperationException: 400,
  UnrecognizedClientException: 400,
  UnsupportedMediaTypeException: 415,
} as const;

/** Every exception the control plane can answer with, and its HTTP status (modeled ones from the generated table). */
export const CONTROL_EXCEPTIONS = Object.freeze({
  AccessDeniedException: ERROR_HTTP_STATUS.AccessDeniedException,
  InvalidInputException: ERROR_HTTP_STATUS.InvalidInputException,
  NotFoundException: ERROR_HTTP_STATUS.NotFoundException,
  OperationFailureException: ERROR_HTTP_STATUS.OperationFailureException,
  ServiceException: ERROR_HTTP_STATUS.ServiceException,
  ...PROTOCOL_EXCEPTIONS,
});

export type ControlExceptionName = keyof typeof CONTROL_EXCEPTIONS;

const TIPS: Record<ControlExceptionName, string> = {
  AccessDeniedException:
    'Call the control plane with the account root credentials; bucket access keys only work on the S3 endpoint.',
  IncompleteSignatureException:
    'Sign the request with AWS Signature Version 4 and include Credential, SignedHeaders and Signature.',
  InvalidInputException: 'Check the named member against the operation input shape and try again.',
  InvalidSignatureException: 'Check the secret access key, the region and the system clock of the client.',
  MissingAuthenticationTokenException:
    'Sign the request with AWS Signature Version 4 using the account root credentials.',
  NotFoundException: 'Check the name or id; list the resources of this region to see what exists.',
  OperationFailureException:
    'The operation could not be completed in the current state; check the resource and try again.',
  UnknownOperationException: "Use X-Amz-Target 'Lightsail_20161128.<Operation>' with a supported operation.",
  UnrecognizedClientException: 'Use the account root access key id configured for this server.',
  UnsupportedMediaTypeException: "Send the body as JSON with Content-Type 'application/x-amz-json-1.1'.",
  ServiceException: 'The server failed to process the request; retry later and quote the request id if it persists.',
};

export const ERROR_DOCS_URL = 'https://lightsail.aws.amazon.com/ls/docs';

/** An error the control plane answers on the wire. */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';
  constructor(
    readonly exception: ControlExceptionName,
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return CONTROL_EXCEPTIONS[this.exception];
  }
  get tip(): string {
    return TIPS[this.exception];
  }
}

export const invalidInput = (message: string) => new ControlPlaneError('InvalidInputException', message);
export const notFound = (message: string) => new ControlPlaneError('NotFoundException', message);

/** The one place where protocol-free domain errors become Lightsail exceptions. */
export function fromDomainError(e: DomainError): ControlPlaneError {
  switch (e.code) {
    case 'InvalidInput':
    case 'Conflict':
    case 'PreconditionFailed':
      return new ControlPlaneError('InvalidInputException', e.message);
    case 'NotFound':
      return new ControlPlaneError('NotFoundException', e.message);
    case 'AccessDenied':
      return new ControlPlaneError('AccessDeniedException', e.message);
    case 'Internal':
    default:
      return new ControlPlaneError('ServiceException', 'The server failed to process the request.');
  }
}

/**
 * Turns anything thrown while serving a request into the error put on the wire.
 * `internal` is set when the cause is unexpected and must be logged (never sent).
 */
export function toControlPlaneError(e: unknown): { error: ControlPlaneError; internal?: unknown } {
  if (e instanceof ControlPlaneError) return { error: e };
  if (e instanceof DomainError) {
    const error = fromDomainError(e);
    return error.exception === 'ServiceException' ? { error, internal: e } : { error };
  }
  // Logged once per full period by the disk reserve, not per request.
  if (isStorageFull(e))
    return {
      error: new ControlPlaneError(
        'ServiceException',
        'The disk of this server is full: delete objects or buckets to free space, then retry.',
      ),
    };
  // Logged by the store when it loses or regains the database, not per request.
  if (storeUnavailable(e))
    return {
      error: new ControlPlaneError(
        'ServiceException',
        'The metadata database of this server is unavailable or busy: retry later.',
      ),
    };
  return { error: new ControlPlaneError('ServiceException', 'The server failed to process the request.'), internal: e };
}
