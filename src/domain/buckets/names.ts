import { invalidInput } from '../errors.js';

/** `details.reason` of the InvalidInput error for a bad bucket name. */
export const INVALID_BUCKET_NAME = 'invalid_bucket_name';

const PATTERN = /^[a-z0-9][a-z0-9-]{1,52}[a-z0-9]$/;
const IPV4_LIKE = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Why a bucket name breaks the rules, or undefined when it is valid. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 54) return `must be 3 to 54 characters long (it has ${name.length})`;
  if (!PATTERN.test(name)) {
    return 'must use only lowercase letters, digits and hyphens, and start and end with a letter or digit';
  }
  if (name.includes('--')) return 'must not contain two hyphens in a row';
  // The pattern already excludes dots; this also refuses all-digit-and-hyphen IP lookalikes.
  if (IPV4_LIKE.test(name.replace(/-/g, '.'))) return 'must not be formatted as an IP address';
  return undefined;
}

/** Throws InvalidInput naming the value when `name` is not a valid bucket name. */
export function assertBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem) throw invalidInput(`Bucket name '${name}' is not valid: it ${problem}.`, INVALID_BUCKET_NAME);
}
