// The control-plane model: typed accessors, input validation and output serialization.
export { lightsailModel } from '../generated/model.js';
export { findOperation, getOperation, getShape, listOperations, operationsByTarget, structureMembers, type OperationEntry } from './accessors.js';
export { validateInput } from './validateInput.js';
export { serializeOutput } from './serializeOutput.js';
export { formatValidationIssues, summarizeIssues, type ValidationIssue, type ValidationIssueKind } from './issues.js';
export { parseServiceModel } from './parseModel.js';
export type * from './types.js';
