/**
 * GetObject and HeadObject: version and part selection, conditional headers (304/412 with S3's
 * precedence), Range (206/416), response-* overrides, checksum mode, and the body streamed from
 * the blob store with backpressure (HEAD sends headers only).
 */
import type { ObjectRead } from '../../../domain/objects/objects.js';
import { S3Error } from '../../errors.js';
import type { ObjectCall, S3Reply } from '../../types.js';
import { httpDate } from '../../xml.js';
import { evaluateReadConditions, readConditionsFrom } from './conditions.js';
import { quoteEtag, setExpirationHeader, setObjectHeaders } from './objectResponseHeaders.js';
import type { ByteRange } from '../../../domain/objects/body.js';
import { contentRange, resolveRange, unsatisfiedRange } from './range.js';
import { headerValue } from './writeHeaders.js';
import { versionIdOf } from './writeRequest.js';

const PART_NUMBER = /^\d+$/;
const OVERRIDE_PARAMS = [
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
];

function partNumberOf(call: ObjectCall): number | undefined {
  const v = call.endpoint.query.get('partNumber');
  if (v === undefined) return undefined;
  const n = PART_NUMBER.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 10000) {
    throw new S3Error(
      'InvalidArgument',
      `Part number must be an integer between 1 and 10000, inclusive (partNumber '${v}').`,
      { ArgumentName: 'partNumber', ArgumentValue: v },
    );
  }
  return n;
}

/** Control characters (CR, LF, NUL...) that no HTTP header value may hold; TAB is allowed. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const HEADER_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** A response-* value that cannot be a header value is the client's mistake, refused before any read. */
function checkOverrideValues(call: ObjectCall): void {
  for (const param of OVERRIDE_PARAMS) {
    const v = call.endpoint.query.get(param);
    if (v !== undefined && HEADER_CONTROL.test(v)) {
      throw new S3Error(
        'InvalidArgument',
        `The ${param} query parameter contains a control character (CR, LF, NUL...) that a header value cannot hold.`,
        { ArgumentName: param },
      );
    }
  }
}

export async function readObject(call: ObjectCall, reply: S3Reply, isHead: boolean): Promise<void> {
  const versionId = versionIdOf(call);
  const partNumber = partNumberOf(call);
  const rangeHeader = headerValue(call.headers, 'range');
  if (partNumber !== undefined && rangeHeader !== undefined) {
    throw new S3Error(
      'InvalidRequest',
      `Cannot specify both Range header ('${rangeHeader}') and partNumber query parameter (${partNumber}).`,
    );
  }
  if (call.principal.kind === 'anonymous' && OVERRIDE_PARAMS.some((p) => call.endpoint.query.has(p))) {
    throw new S3Error('InvalidRequest', 'Request specific response headers cannot be used for anonymous GET requests.');
  }
  checkOverrideValues(call);
  const input = {
    ...(versionId !== undefined ? { versionId } : {}),
    ...(partNumber !== undefined ? { partNumber } : {}),
  };
  const objects = call.services.objects;
  const read: ObjectRead = isHead
    ? await objects.headObject(call.bucket, call.key, input)
    : await objects.getObject(call.bucket, call.key, input);
  const obj = read.object;

  const outcome = evaluateReadConditions(readConditionsFrom(call.headers), {
    etag: obj.etag,
    lastModified: obj.lastModified,
  });
  if (outcome.kind === 'notModified') {
    throw new S3Error(
      'NotModified',
      undefined,
      {},
      { ETag: quoteEtag(obj.etag), 'Last-Modified': httpDate(obj.lastModified) },
    );
  }
  if (outcome.kind === 'failed') {
    throw new S3Error(
      'PreconditionFailed',
      `At least one of the pre-conditions you specified did not hold: ${outcome.header}.`,
      { Condition: outcome.header },
    );
  }

  let status = 200;
  let range: ByteRange | undefined;
  if (read.part !== undefined) {
    range = { start: read.part.start, end: read.part.end };
    status = 206;
  } else {
    const r = resolveRange(rangeHeader, obj.size);
    if (r.kind === 'unsatisfiable') {
      throw new S3Error(
        'InvalidRange',
        `The requested range '${r.header}' is not satisfiable for an object of ${obj.size} bytes.`,
        { RangeRequested: r.header, ActualObjectSize: String(obj.size) },
        { 'Content-Range': unsatisfiedRange(obj.size) },
      );
    }
    if (r.kind === 'range') {
      range = r.range;
      status = 206;
    }
  }
  setObjectHeaders(reply, call.bucket, obj, {
    query: call.endpoint.query,
    // The stored checksum describes the whole object, and each part of a multipart object has its
    // own: a byte range is sent without one (as S3), a part with its own.
    checksumMode:
      (range === undefined || read.part !== undefined) &&
      headerValue(call.headers, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED',
    ...(partNumber !== undefined ? { partNumber } : {}),
  });
  if (obj.isLatest) setExpirationHeader(reply, call.services.lifecycle, call.bucket, obj);
  // A range is never set for an empty object (any range on it is unsatisfiable).
  const length = range ? range.end - range.start + 1 : obj.size;
  if (range) reply.header('Content-Range', contentRange(range, obj.size));
  if (isHead) {
    reply.raw.statusCode = status;
    reply.header('Content-Length', length);
    reply.raw.end();
    return;
  }
  // A small body kept in the object index is already in memory: one write, no stream, no file.
  const inline = read.inlineBody(range);
  if (inline !== undefined) {
    reply.raw.statusCode = status;
    reply.header('Content-Length', length);
    reply.raw.end(inline);
    return;
  }
  await reply.stream(read.open(range), { status, length });
}
