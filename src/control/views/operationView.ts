import type { OperationRecord } from '../../domain/ports/records.js';
import type { Operation, OperationType, RegionName, ResourceType } from '../../generated/lightsail.js';

/** A Lightsail `Operation` as the wire shows it (times stay epoch ms until serialization). */
export function operationView(op: OperationRecord): Operation {
  return {
    id: op.id,
    resourceName: op.resourceName,
    // The domain keeps these as plain strings; it only ever records the model's values.
    resourceType: op.resourceType as ResourceType,
    createdAt: op.createdAt,
    location: { availabilityZone: 'all', regionName: op.region as RegionName },
    isTerminal: op.isTerminal,
    operationDetails: op.operationDetails,
    operationType: op.operationType as OperationType,
    status: op.status,
    statusChangedAt: op.statusChangedAt,
    errorCode: op.errorCode,
    errorDetails: op.errorDetails,
  };
}

export const operationsView = (ops: OperationRecord[]): Operation[] => ops.map(operationView);
