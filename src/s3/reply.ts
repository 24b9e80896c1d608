/**
 * S3Reply over node's ServerResponse, and the S3 `<Error>` writer. Every response carries
 * `x-amz-request-id` and `x-amz-id-2` (set by the pipeline before anything else).
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Error } from './errors.js';
import { escapeXml } from './xml.js';
import type { S3Reply } from './types.js';

const XML_TYPE = 'application/xml';

export function createReply(res: ServerResponse, isHead: boolean): S3Reply {
  return {
    raw: res,
    header(name, value) { res.setHeader(name, value); },
    xml(body, status = 200) {
      res.statusCode = status;
      res.setHeader('content-type', XML_TYPE);
      res.setHeader('content-length', Buffer.byteLength(body));
      res.end(isHead ? undefined : body);
    },
    empty(status = 200) {
      res.statusCode = status;
      res.setHeader('content-length', 0);
      res.end();
    },
    async stream(body, opts) {
      res.statusCode = opts.status ?? 200;
      if (opts.length !== undefined) res.setHeader('content-length', opts.length);
      if (isHead) {
        body.destroy();
        res.end();
        return;
      }
      try {
        await pipeline(body, res);
      } catch (err) {
        res.destroy();
        throw err;
      }
    },
  };
}

/** Writes an S3 error: XML body (none for HEAD), the catalog status, extra headers. */
export function writeError(res: ServerResponse, err: S3Error, requestId: string, resource: string, isHead: boolean): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = err.status;
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  if (isHead || err.status === 304) {
    res.removeHeader('content-type');
    res.setHeader('content-length', 0);
    res.end();
    return;
  }
  let body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message>`;
  for (const [name, value] of Object.entries(err.fields)) body += `<${name}>${escapeXml(value)}</${name}>`;
  body += `<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`;
  res.setHeader('content-type', XML_TYPE);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
