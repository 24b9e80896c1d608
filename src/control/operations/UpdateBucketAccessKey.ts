import type { AccessKeyStatus } from '../../domain/ports/records.js';
import type { OperationHandler } from '../handler.js';
import { operationsView } from '../views/operationView.js';

interface Input {
  bucketName: string;
  accessKeyId: string;
  status: AccessKeyStatus;
}

/** Sailbucket extension (target `SailbucketAdmin_20261129.`): switch a key Active/Inactive. */
export const UpdateBucketAccessKey: OperationHandler = async (input: Input, ctx) => {
  const { operations } = await ctx.deps.services.accessKeys.setStatus(
    ctx.caller,
    input.bucketName,
    input.accessKeyId,
    input.status,
  );
  return { operations: operationsView(operations) };
};
