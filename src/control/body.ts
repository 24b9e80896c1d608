import type { IncomingMessage } from 'node:http';
import { ControlPlaneError } from './errors.js';

/**
 * The one limit on control-plane request bodies. The largest input the model bounds is TagResource
 * (or CreateBucket) with 50 tags of a 128-character key and a 256-character value: boto3 and the
 * AWS CLI escape every non-ASCII character as `\uXXXX` (6 bytes), so that request is about 114 KiB.
 */
export const MAX_CONTROL_BODY_BYTES = 128 * 1024;

/**
 * Reads the whole request body, refusing more than `limit` bytes (declared or actually sent).
 * On overflow the rest of the body is drained and discarded so the connection stays usable.
 */
export async function readBoundedBody(req: IncomingMessage, limit: number = MAX_CONTROL_BODY_BYTES): Promise<Buffer> {
  const tooLarge = (n: number | string) =>
    new ControlPlaneError(
      'InvalidInputException',
      `Request body of ${n} bytes exceeds the control-plane limit of ${limit} bytes`,
    );
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    throw tooLarge(declared);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let failed = false;
    const onData = (chunk: Buffer) => {
      if (failed) return;
      total += chunk.length;
      if (total > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge(`more than ${limit}`));
        return; // keep consuming (and discarding) so the response can still be written
      }
      chunks.push(chunk);
    };
    let ended = false;
    req.on('data', onData);
    req.once('end', () => {
      ended = true;
      if (!failed) resolve(Buffer.concat(chunks, total));
    });
    const incomplete = () => {
      if (ended || failed) return;
      failed = true;
      reject(
        new ControlPlaneError(
          'InvalidInputException',
          `Request body is incomplete: the connection closed after ${total} bytes`,
        ),
      );
    };
    req.once('error', incomplete);
    req.once('close', incomplete);
  });
}

/** Parses a JSON 1.1 request body; an empty body is `{}`. The top level must be an object. */
export function parseJsonInput(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ControlPlaneError('InvalidInputException', `Request body is not valid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new ControlPlaneError('InvalidInputException', `Request body must be a JSON object, got ${kind}`);
  }
  return value as Record<string, unknown>;
}
