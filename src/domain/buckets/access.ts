import type { ControlPlaneRepo } from '../ports/ControlPlaneRepo.js';
import type { CallerContext } from '../caller.js';
import { DomainError, invalidInput, notFound } from '../errors.js';
import type { BucketRecord } from '../ports/records.js';

export const bucketNotFound = (name: string, region: string): DomainError =>
  notFound('Bucket', `Bucket '${name}' does not exist in ${region}.`);

/** `arn:aws:lightsail:<region>:<account>:Bucket/<id>` */
export const bucketArn = (b: BucketRecord): string => `arn:aws:lightsail:${b.region}:${b.accountId}:Bucket/${b.id}`;

const ownedBy = (b: BucketRecord | undefined, caller: CallerContext): b is BucketRecord =>
  b !== undefined && b.accountId === caller.accountId && b.region === caller.region;

/** The caller's bucket with this name in the caller's region, or NotFound naming both. */
export async function requireBucket(
  repo: ControlPlaneRepo,
  caller: CallerContext,
  name: string,
): Promise<BucketRecord> {
  const b = await repo.getBucketByName(name);
  if (!ownedBy(b, caller)) throw bucketNotFound(name, caller.region);
  return b;
}

/** A tagging target: a bucket by name or by ARN (the ARN wins when both are given). */
export interface ResourceRef {
  resourceName?: string;
  resourceArn?: string;
}

const ARN = /^arn:aws[^:]*:lightsail:([a-z0-9-]+):([0-9]+):([A-Za-z]+)\/([A-Za-z0-9-]+)$/;

export async function requireResource(
  repo: ControlPlaneRepo,
  caller: CallerContext,
  ref: ResourceRef,
): Promise<BucketRecord> {
  if (ref.resourceArn !== undefined && ref.resourceArn !== '') {
    const m = ARN.exec(ref.resourceArn);
    if (!m) throw invalidInput(`resourceArn '${ref.resourceArn}' is not a Lightsail resource ARN.`, 'invalid_arn');
    const [, region, accountId, type, id] = m;
    const b = type === 'Bucket' ? await repo.getBucketById(id) : undefined;
    if (!ownedBy(b, caller) || region !== caller.region || accountId !== caller.accountId) {
      throw notFound('Resource', `Resource '${ref.resourceArn}' does not exist in ${caller.region}.`);
    }
    if (ref.resourceName && ref.resourceName !== b.name) {
      throw invalidInput(
        `resourceName '${ref.resourceName}' does not match resourceArn '${ref.resourceArn}' (bucket '${b.name}').`,
      );
    }
    return b;
  }
  if (ref.resourceName === undefined || ref.resourceName === '') {
    throw invalidInput('resourceName or resourceArn is required.', 'missing_resource');
  }
  const b = await repo.getBucketByName(ref.resourceName);
  if (!ownedBy(b, caller))
    throw notFound('Resource', `Resource '${ref.resourceName}' does not exist in ${caller.region}.`);
  return b;
}

const utcMonth = (ms: number): number => {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/**
 * A bucket may change its bundle once per UTC calendar month: a fresh bucket may change at once;
 * after a change, not again until the next calendar month begins.
 */
export const ableToUpdateBundle = (b: BucketRecord, now: number): boolean =>
  b.bundleChangedAt === null || utcMonth(now) > utcMonth(b.bundleChangedAt);
