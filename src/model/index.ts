// The control-plane model: typed accessors, input validation and output serialization.
export { lightsailModel } from '../generated/model.js';
export { findOperation, getOperation, getShape, listOperations, operationsByTarget, structureMembers } from './accessors.js';
export { validateInput } from './validateInput.js';
export { serializeOutput } from './serializeOutput.js';
export { formatValidationIssues, summarizeIssues, type ValidationIssue } from './issues.js';
export { parseServiceModel } from './parseModel.js';
export type * from './types.js';
