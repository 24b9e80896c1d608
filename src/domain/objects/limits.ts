import { DomainError, type ObjectReason } from '../errors.js';
import type { ContentHeaders } from '../ports/objectRecords.js';

/** S3 limits Sailbucket enforces (bytes unless stated). */
export const OBJECT_LIMITS = {
  maxKeyBytes: 1024,
  maxUserMetadataBytes: 2048,
  maxSinglePutBytes: 5 * 1024 ** 3,
  maxPartBytes: 5 * 1024 ** 3,
  minPartBytes: 5 * 1024 ** 2,
  maxPartNumber: 10_000,
  maxCopySourceBytes: 5 * 1024 ** 3,
  maxObjectBytes: 5 * 1024 ** 4,
  maxListKeys: 1000,
  maxDeleteObjects: 1000,
} as const;

/**
 * Bodies of at most this many bytes whose length is declared up front are kept in the object index
 * (written in the same metadata transaction as the object row) instead of a blob file. One
 * constant: it bounds the memory a PUT holds (the body is buffered only under it).
 */
export const MAX_INLINE_BYTES = 64 * 1024;

/** A DomainError with the protocol-free reason a plane maps to its own wire error. */
export function objectError(
  code: DomainError['code'],
  reason: ObjectReason,
  message: string,
  resource?: 'Object' | 'Upload' | 'Part' | 'Version',
): DomainError {
  return new DomainError(code, message, resource ? { reason, resource } : { reason });
}

export function checkKey(key: string): void {
  if (key.length === 0) throw objectError('InvalidInput', 'invalid_parameter', 'The object key must not be empty');
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > OBJECT_LIMITS.maxKeyBytes) {
    throw objectError(
      'InvalidInput',
      'key_too_long',
      `Your key is too long: ${bytes} bytes of UTF-8, the maximum is ${OBJECT_LIMITS.maxKeyBytes} (key starts '${key.slice(0, 40)}')`,
    );
  }
}

/**
 * Characters XML 1.0 cannot carry, not even as character references: C0 controls other than TAB,
 * LF and CR, and U+FFFE/U+FFFF. A key holding one would make every listing that shows it (without
 * encoding-type=url) a document strict XML parsers refuse.
 */
// eslint-disable-next-line no-control-regex -- finding characters XML 1.0 cannot carry is the point
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** A key a write may create: `checkKey`, and no character XML 1.0 cannot carry (refused, as several S3 implementations do). */
export function checkNewKey(key: string): void {
  checkKey(key);
  const m = NOT_XML_CHAR.exec(key);
  if (m !== null) {
    const cp = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw objectError(
      'InvalidInput',
      'key_character',
      `Object keys cannot contain the control character U+${cp} (found at position ${m.index}): XML 1.0 listings cannot carry U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+FFFE or U+FFFF (TAB, LF and CR are allowed).`,
    );
  }
}

/** User metadata counts the UTF-8 bytes of every name and value. */
export function checkUserMetadata(meta: Record<string, string>): void {
  let bytes = 0;
  for (const [k, v] of Object.entries(meta)) bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  if (bytes > OBJECT_LIMITS.maxUserMetadataBytes) {
    throw objectError(
      'InvalidInput',
      'metadata_too_large',
      `Your metadata headers exceed the maximum allowed metadata size: ${bytes} bytes > ${OBJECT_LIMITS.maxUserMetadataBytes}`,
    );
  }
}

export function checkPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > OBJECT_LIMITS.maxPartNumber) {
    throw objectError(
      'InvalidInput',
      'invalid_parameter',
      `Part number must be an integer between 1 and 10000, inclusive (got ${n})`,
    );
  }
}

export function checkMaxKeys(n: number, what = 'max-keys'): number {
  if (!Number.isInteger(n) || n < 0)
    throw objectError('InvalidInput', 'invalid_parameter', `${what} must be a non-negative integer (got ${n})`);
  return Math.min(n, OBJECT_LIMITS.maxListKeys);
}

/** Drops undefined members so records compare and store cleanly. */
export function cleanContent(c: ContentHeaders | undefined): ContentHeaders {
  const out: ContentHeaders = {};
  if (!c) return out;
  for (const [k, v] of Object.entries(c) as [keyof ContentHeaders, string | undefined][])
    if (v !== undefined) out[k] = v;
  return out;
}

export const unquoteEtag = (e: string): string => {
  const t = e.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
};
