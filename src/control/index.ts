// The Lightsail control plane (AWS JSON 1.1) — what the composition root wires up.
export { createControlPlane } from './ControlPlane.js';
export type { ControlPlaneDeps, ControlPlaneServices } from './deps.js';
export { createBucketUrlBuilder } from './bucketUrl.js';
export { MAX_CONTROL_BODY_BYTES } from './body.js';
export { CONTROL_EXCEPTIONS, ControlPlaneError, type ControlExceptionName } from './errors.js';
