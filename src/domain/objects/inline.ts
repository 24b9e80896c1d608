import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { readAtMost } from './body.js';
import { MAX_INLINE_BYTES, objectError } from './limits.js';
import type { ObjectSegment } from '../ports/objectRecords.js';

/** True when a body of `declaredLength` bytes is stored inline (unknown length: never). */
export const isInlineLength = (declaredLength: number | undefined): declaredLength is number =>
  declaredLength !== undefined && declaredLength >= 0 && declaredLength <= MAX_INLINE_BYTES;

/**
 * Reads a small body whole into memory, never holding more than MAX_INLINE_BYTES: a body longer
 * than that (or than `declaredLength`) is destroyed and rejected. Errors of the body (a failed
 * signature or payload hash) reject as they would for a blob write. `md5`: also hash it.
 */
export async function readInlineBody(
  body: Readable,
  declaredLength: number,
  md5: boolean,
): Promise<{ bytes: Buffer; md5?: Buffer }> {
  const bytes = await readAtMost(body, Math.min(declaredLength, MAX_INLINE_BYTES), (size) =>
    objectError(
      'InvalidInput',
      'body_length_mismatch',
      `The body is longer than its declared length of ${declaredLength} bytes (${size} bytes so far).`,
    ),
  );
  if (bytes.length !== declaredLength)
    throw objectError(
      'InvalidInput',
      'body_length_mismatch',
      `The body is ${bytes.length} bytes but its declared length is ${declaredLength} bytes.`,
    );
  return md5 ? { bytes, md5: createHash('md5').update(bytes).digest() } : { bytes };
}

/**
 * A small body the caller already read whole (and verified): checked against its declared length
 * like readInlineBody, hashed with MD5 only when asked (`md5`).
 */
export async function wholeInlineBody(
  body: Promise<Buffer>,
  declaredLength: number,
  md5: boolean,
): Promise<{ bytes: Buffer; md5?: Buffer }> {
  const bytes = await body;
  if (bytes.length !== declaredLength)
    throw objectError(
      'InvalidInput',
      'body_length_mismatch',
      `The body is ${bytes.length} bytes but its declared length is ${declaredLength} bytes.`,
    );
  return md5 ? { bytes, md5: createHash('md5').update(bytes).digest() } : { bytes };
}

/** The segments of an inline body: none for an empty body, else one segment holding the bytes. */
export const inlineSegments = (bytes: Buffer): ObjectSegment[] =>
  bytes.length === 0 ? [] : [{ blobId: '', offset: 0, length: bytes.length, partNumber: 0, inline: bytes }];
