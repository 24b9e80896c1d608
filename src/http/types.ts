import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';

export interface RequestContext {
  /** Unique per request; each plane returns it in its own header (x-amzn-RequestId / x-amz-request-id). */
  requestId: string;
  log: Logger;
  /** process.hrtime.bigint() at arrival, for access-log durations. */
  startedAt: bigint;
}

/** A wire protocol served on the shared listener (the control plane or the S3 data plane). */
export type PlaneHandler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<void>;
