// The Lightsail control plane (AWS JSON 1.1) — what the composition root wires up.
export { createControlPlane } from './ControlPlane.js';
export { createBucketUrlBuilder } from './bucketUrl.js';
