/**
 * S3Reply over node's ServerResponse, and the S3 `<Error>` writer. Every response carries
 * `x-amz-request-id` and `x-amz-id-2` (set by the pipeline before anything else).
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { isRecycling } from '../domain/objects/body.js';
import type { S3Error } from './errors.js';
import { escapeXml, XmlWriter } from './xml.js';
import type { S3Reply } from './types.js';

const XML_TYPE = 'application/xml';

export function createReply(res: ServerResponse, isHead: boolean): S3Reply {
  return {
    raw: res,
    header(name, value) {
      res.setHeader(name, value);
    },
    xml(body, status = 200) {
      // One encoding pass, then written as is; a document in several buffers (XmlWriter.parts) goes
      // out in one writev instead of being concatenated first. A writer's pooled buffers go back
      // once the response has been handed to the socket ('finish'; not after an abort, when a write
      // may still hold them: those are left to the garbage collector).
      const parts =
        body instanceof XmlWriter
          ? body.parts()
          : typeof body === 'string'
            ? [Buffer.from(body, 'utf8')]
            : Buffer.isBuffer(body)
              ? [body]
              : body;
      if (body instanceof XmlWriter && body.holdsPooledBuffers()) res.once('finish', () => body.release());
      res.statusCode = status;
      res.setHeader('content-type', XML_TYPE);
      res.setHeader(
        'content-length',
        parts.reduce((n, b) => n + b.length, 0),
      );
      if (isHead) {
        res.end();
      } else if (parts.length === 1) {
        res.end(parts[0]);
      } else {
        res.cork(); // end() uncorks fully: headers and every part in one writev
        for (let i = 0; i < parts.length - 1; i++) res.write(parts[i]);
        res.end(parts[parts.length - 1]);
      }
    },
    empty(status = 200) {
      res.statusCode = status;
      res.setHeader('content-length', 0);
      res.end();
    },
    stream(body, opts) {
      res.statusCode = opts.status ?? 200;
      if (opts.length !== undefined) res.setHeader('content-length', opts.length);
      if (isHead) {
        body.destroy();
        res.end();
        return Promise.resolve();
      }
      return writeBody(body, res);
    },
  };
}

/**
 * body → res with backpressure, without stream.pipeline's per-call AbortController. Each chunk is
 * written with its own callback: from a RecyclingReadable, a chunk the socket wrote is handed back
 * (`release`) so its buffer can be reused for the next read; a chunk whose write failed is not.
 * Resolves when the response finished or the client went away (the body is then destroyed);
 * rejects when the body fails (the response is destroyed: its headers are already out).
 */
function writeBody(body: Readable, res: ServerResponse): Promise<void> {
  const release = isRecycling(body) ? (chunk: Buffer) => body.release(chunk) : undefined;
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      res.off('drain', onDrain);
      res.off('finish', onFinish);
      res.off('close', onClose);
      if (err) {
        res.destroy();
        reject(err);
      } else {
        resolve();
      }
    };
    const onData = (chunk: Buffer) => {
      const more = release
        ? res.write(chunk, (err) => {
            if (!err) release(chunk);
          })
        : res.write(chunk);
      if (!more) body.pause();
    };
    const onDrain = () => body.resume();
    const onEnd = () => res.end();
    const onError = (err: Error) => done(err);
    const onFinish = () => done();
    const onClose = () => {
      if (!res.writableFinished) body.destroy();
      done();
    };
    body.on('error', () => undefined); // a failure after we let go (client gone) must not go uncaught
    body.on('error', onError);
    body.on('end', onEnd);
    res.on('drain', onDrain);
    res.on('finish', onFinish);
    res.on('close', onClose);
    body.on('data', onData);
  });
}

/** Writes an S3 error: XML body (none for HEAD), the catalog status, extra headers. */
export function writeError(
  res: ServerResponse,
  err: S3Error,
  requestId: string,
  resource: string,
  isHead: boolean,
): void {
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
