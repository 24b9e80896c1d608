import type { OperationRecord } from '../../domain/ports/records.js';

/** A Lightsail `Operation` as the wire shows it (times stay epoch ms until serialization). */
export function operationView(op: OperationRecord): Record<string, unknown> {
  return {
    id: op.id,
    resourceName: op.resourceName,
    resourceType: op.resourceType,
    createdAt: op.createdAt,
    location: { availabilityZone: 'all', regionName: op.region },
    isTerminal: op.isTerminal,
    operationDetails: op.operationDetails,
    operationType: op.operationType,
    status: op.status,
    statusChangedAt: op.statusChangedAt,
    errorCode: op.errorCode,
    errorDetails: op.errorDetails,
  };
}

export const operationsView = (ops: OperationRecord[]): Record<string, unknown>[] => ops.map(operationView);
