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
  /** How the request was signed, once its authentication was parsed (also when it did not verify). */
  signatureVersion?: 'SigV4' | 'SigV2';
  /** Where the signature was: the Authorization header or the query string (presigned URL). */
  authType?: 'AuthHeader' | 'QueryString';
  /** The account of the verified principal (root or bucket key); unset for anonymous requests. */
  requesterAccountId?: string;
}

/** When a request came and went, for its S3 server access-log record. */
export interface RequestTimings {
  /** Epoch ms the request arrived. */
  receivedAt: number;
  /** Ms from arrival to the response's last byte (or its cut). */
  totalMs: number;
  /** Ms from the request's last byte (its headers, when it has no body) to the response's first; unset if none was sent. */
  turnAroundMs?: number;
  /** The status answered (499: the connection closed before any answer). */
  status: number;
  /** Bytes written on the connection for this response, headers included. */
  bytesOut: number;
  /** Whether the response went out whole. */
  finished: boolean;
}

/** Told of every request the S3 plane served, once its response is done or cut (never control-plane ones). */
export type RequestLogger = (
  facts: RequestFacts,
  req: IncomingMessage,
  res: ServerResponse,
  timings: RequestTimings,
) => void;

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
