import type { ServerResponse } from 'node:http';
import { ControlPlaneError, ERROR_DOCS_URL } from './errors.js';

const JSON_TYPE = 'application/x-amz-json-1.1';

function send(
  res: ServerResponse,
  requestId: string,
  status: number,
  body: string,
  extra: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const payload = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': JSON_TYPE,
    'Content-Length': String(payload.length),
    'x-amzn-RequestId': requestId,
    ...extra,
  });
  res.end(payload);
}

/** A successful answer: the serialized output shape as JSON. */
export function sendOutput(res: ServerResponse, requestId: string, output: unknown): void {
  send(res, requestId, 200, JSON.stringify(output ?? {}));
}

/** `{"__type","message","code","docs","tip"}` with `x-amzn-ErrorType`; never a stack trace. */
export function sendError(res: ServerResponse, requestId: string, err: ControlPlaneError): void {
  const body = {
    __type: err.exception,
    message: err.message,
    code: err.exception,
    docs: ERROR_DOCS_URL,
    tip: err.tip,
  };
  send(res, requestId, err.status, JSON.stringify(body), { 'x-amzn-ErrorType': err.exception });
}
