import type { IncomingMessage } from 'node:http';
import { ControlPlaneError } from './errors.js';
import type { OperationName } from '../generated/lightsail.js';

export const LIGHTSAIL_TARGET_PREFIX = 'Lightsail_20161128.';
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Where each operation is addressed: the target prefix it must be called with. */
export type TargetTable = ReadonlyMap<string, OperationName>; // full target → operation name

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Checks the envelope of a control-plane request (POST /, JSON 1.1 content type, a target
 * naming a known operation under its exact prefix) and returns the operation name.
 */
export function resolveOperation(req: IncomingMessage, targets: TargetTable): OperationName {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'POST' || path !== '/') {
    throw new ControlPlaneError(
      'UnknownOperationException',
      `The control plane only accepts POST /, got ${req.method} ${path}`,
    );
  }
  const contentType = header(req, 'content-type');
  const mediaType = contentType?.split(';')[0]!.trim().toLowerCase();
  if (mediaType !== JSON_CONTENT_TYPE) {
    throw new ControlPlaneError(
      'UnsupportedMediaTypeException',
      contentType === undefined
        ? `Missing Content-Type: expected '${JSON_CONTENT_TYPE}'`
        : `Unsupported Content-Type '${contentType}': expected '${JSON_CONTENT_TYPE}'`,
    );
  }
  const target = header(req, 'x-amz-target') ?? '';
  const op = targets.get(target);
  if (op === undefined) {
    throw new ControlPlaneError(
      'UnknownOperationException',
      `Unknown operation target '${target}': expected '${LIGHTSAIL_TARGET_PREFIX}<Operation>'`,
    );
  }
  return op;
}
