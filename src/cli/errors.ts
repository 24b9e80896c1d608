/** CLI failures and their exit codes (the AWS CLI's): 252 usage, 254 service error, 255 anything else. */
export const EXIT_USAGE = 252;
export const EXIT_SERVICE = 254;
export const EXIT_OTHER = 255;

/** Bad command line or input document: nothing was sent. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = EXIT_USAGE;
}

/** The service answered with an error. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly exitCode = EXIT_SERVICE;
  constructor(
    readonly code: string,
    readonly operation: string,
    readonly serviceMessage: string,
    readonly httpStatus?: number,
  ) {
    super(`An error occurred (${code}) when calling the ${operation} operation: ${serviceMessage}`);
  }
}

/** Anything else that stopped the command (connection refused, bad config, failed verification). */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
  readonly exitCode = EXIT_OTHER;
}

export function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError || e instanceof ServiceError || e instanceof CliFailure) return e.exitCode;
  return EXIT_OTHER;
}
