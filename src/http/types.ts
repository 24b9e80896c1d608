import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';

/**
 * What a plane learned about a request, for its access-log line and the request metrics. The
 * listener makes it empty; the plane fills in what it knows as it goes (a request refused early
 * has fewer facts). Never a secret: the access key id only.
 */
export interface RequestFacts {
  /** `GetObject`, `Lightsail.CreateBucket`, `Health`, … (unset when the request was not understood). */
  operation?: string;
  bucket?: string;
  key?: string;
  /** The access key id the request was signed with, also when the signature did not verify. */
  accessKeyId?: string;
  /** `root`, `bucketKey` or `anonymous`, once the request is authenticated. */
  principal?: string;
  /** The wire error code answered (or the failure that cut a response already under way). */
  errorCode?: string;
}

export interface RequestContext {
  /** Unique per request; each plane returns it in its own header (x-amzn-RequestId / x-amz-request-id). */
  requestId: string;
  log: Logger;
  /** process.hrtime.bigint() at arrival, for access-log durations. */
  startedAt: bigint;
  facts: RequestFacts;
}

/** A wire protocol served on the shared listener (the control plane or the S3 data plane). */
export type PlaneHandler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<void>;

/**
 * What the listener reports to the metrics (src/metrics/serverMetrics.ts implements it). Kept
 * as an interface here so that the listener does not depend on the metrics library.
 */
export interface HttpObserver {
  connectionOpened(): void;
  connectionClosed(): void;
  connectionRefused(): void;
  requestStarted(upload: boolean): void;
  /** `bytesIn`/`bytesOut`: the request's and the response's bytes on the connection (headers included). */
  requestFinished(
    facts: RequestFacts,
    status: number,
    seconds: number,
    bytesIn: number,
    bytesOut: number,
    upload: boolean,
  ): void;
}
