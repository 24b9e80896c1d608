/**
 * The S3 plane's access-log hook: for every S3 request to a bucket whose access logging is on,
 * one record in S3's server access-log format, handed to the spooler (src/domain/accessLogs).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestFacts, RequestLogger, RequestTimings } from '../../http/types.js';
import type { BucketRecord } from '../../domain/ports/records.js';
import { ownerOf } from '../owner.js';
import { formatAccessLogLine, type AccessLogEntry } from './format.js';
import { logOperation } from './operations.js';

/** One record for the spool (the domain's AccessLogRecordInput). */
export interface AccessLogRecord {
  accountId: string;
  destination: string;
  prefix: string;
  line: string;
}

export interface S3AccessLogDeps {
  findBucket(name: string): Promise<BucketRecord | undefined>;
  spool: { addLater(record: Promise<AccessLogRecord | undefined>): void };
}

/** Query parameters that carry a signature or credentials: never written into a log. */
const SECRET_PARAMS = new Set([
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'signature',
  'awsaccesskeyid',
]);

const paramName = (part: string): string => {
  const eq = part.indexOf('=');
  const raw = eq === -1 ? part : part.slice(0, eq);
  try {
    return decodeURIComponent(raw).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
};

/** The request target with the presigning credentials (and signature) removed from its query. */
export function redactedTarget(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((part) => !SECRET_PARAMS.has(paramName(part)));
  return kept.length === 0 ? url.slice(0, q) : `${url.slice(0, q)}?${kept.join('&')}`;
}

const queryParam = (url: string, name: string): string | undefined => {
  const q = url.indexOf('?');
  if (q === -1) return undefined;
  for (const part of url.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    if ((eq === -1 ? part : part.slice(0, eq)) !== name) continue;
    try {
      return decodeURIComponent(eq === -1 ? '' : part.slice(eq + 1));
    } catch {
      return undefined;
    }
  }
  return undefined;
};

const header = (v: string | string[] | number | undefined): string | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? v.join(',') : String(v);

const whole = (v: string | undefined): number | undefined =>
  v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;

/** The object's size where the operation knows it: what was read (GET/HEAD) or written (PUT, part). */
function objectSize(op: string | undefined, req: IncomingMessage, res: ServerResponse): number | undefined {
  switch (op) {
    case 'GetObject':
    case 'HeadObject': {
      if (res.statusCode >= 300) return undefined;
      const range = header(res.getHeader('content-range'));
      const total = range === undefined ? undefined : /\/(\d+)$/.exec(range)?.[1];
      return whole(total ?? header(res.getHeader('content-length')));
    }
    case 'PutObject':
    case 'UploadPart':
      return whole(header(req.headers['x-amz-decoded-content-length']) ?? header(req.headers['content-length']));
    default:
      return undefined;
  }
}

/** Response body bytes: the declared length of a whole response, else what went out past its head. */
function bytesSent(req: IncomingMessage, res: ServerResponse, t: RequestTimings): number {
  if (req.method === 'HEAD' || t.status === 304 || t.status === 204) return 0;
  const declared = whole(header(res.getHeader('content-length')));
  if (t.finished && declared !== undefined) return declared;
  const head = (res as unknown as { _header?: string | null })._header;
  return Math.max(0, t.bytesOut - (typeof head === 'string' ? Buffer.byteLength(head) : 0));
}

/** What the record needs from the connection, read at once (the socket may be gone later). */
interface ConnectionFacts {
  remote: string | undefined;
  cipher: string | undefined;
  tlsVersion: string | undefined;
}

function connectionOf(req: IncomingMessage): ConnectionFacts {
  const socket = req.socket as Partial<TLSSocket>;
  const tls = socket.encrypted === true;
  return {
    remote: req.socket.remoteAddress,
    cipher: tls ? socket.getCipher?.()?.name : undefined,
    tlsVersion: tls ? (socket.getProtocol?.() ?? undefined) : undefined,
  };
}

function entryOf(
  facts: RequestFacts,
  req: IncomingMessage,
  res: ServerResponse,
  t: RequestTimings,
  conn: ConnectionFacts,
  bucket: string,
): Omit<AccessLogEntry, 'bucketOwner'> {
  const url = req.url ?? '/';
  const remote = conn.remote;
  const versionId = header(res.getHeader('x-amz-version-id')) ?? queryParam(url, 'versionId');
  const size = objectSize(facts.operation, req, res);
  return {
    bucket,
    time: t.receivedAt,
    ...(remote !== undefined ? { remoteIp: remote.startsWith('::ffff:') ? remote.slice(7) : remote } : {}),
    ...(facts.requesterAccountId !== undefined ? { requester: ownerOf(facts.requesterAccountId).id } : {}),
    requestId: header(res.getHeader('x-amz-request-id')) ?? '-',
    operation: logOperation(facts.operation, req.method ?? 'GET'),
    ...(facts.key !== undefined ? { key: facts.key } : {}),
    requestUri: `${req.method ?? 'GET'} ${redactedTarget(url)} HTTP/${req.httpVersion}`,
    status: t.status,
    ...(facts.errorCode !== undefined ? { errorCode: facts.errorCode } : {}),
    bytesSent: bytesSent(req, res, t),
    ...(size !== undefined ? { objectSize: size } : {}),
    totalTimeMs: t.totalMs,
    ...(t.turnAroundMs !== undefined ? { turnAroundTimeMs: t.turnAroundMs } : {}),
    ...optional('referer', header(req.headers.referer)),
    ...optional('userAgent', header(req.headers['user-agent'])),
    ...optional('versionId', versionId),
    ...optional('hostId', header(res.getHeader('x-amz-id-2'))),
    ...optional('signatureVersion', facts.signatureVersion),
    ...optional('cipherSuite', conn.cipher),
    ...optional('authType', facts.authType),
    ...optional('hostHeader', header(req.headers.host)),
    ...optional('tlsVersion', conn.tlsVersion),
  };
}

const optional = <K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } =>
  (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };

/**
 * The hook for the listener (HttpServerDeps.requestLog). The source bucket is looked up after the
 * response (the bucket cache answers most lookups); the record is made only for a bucket that logs.
 */
export function createS3AccessLog(deps: S3AccessLogDeps): RequestLogger {
  return (facts, req, res, timings) => {
    const name = facts.bucket;
    if (name === undefined) return;
    const conn = connectionOf(req);
    deps.spool.addLater(
      deps.findBucket(name).then((b) => {
        const c = b?.accessLogConfig;
        if (b === undefined || c === undefined || !c.enabled || c.destination === undefined) return undefined;
        const entry = entryOf(facts, req, res, timings, conn, name);
        return {
          accountId: b.accountId,
          destination: c.destination,
          prefix: c.prefix ?? '',
          line: formatAccessLogLine({ ...entry, bucketOwner: ownerOf(b.accountId).id }),
        };
      }),
    );
  };
}
