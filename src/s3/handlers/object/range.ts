/**
 * HTTP Range for GetObject/HeadObject, as S3 reads it: one `bytes=` range; first-last, open
 * (`first-`) and suffix (`-n`) forms. A header S3 would ignore (bad syntax, several ranges, another
 * unit) means "the whole object"; a well-formed range that starts past the end is unsatisfiable.
 */
import type { ByteRange } from '../../../domain/objects/body.js';

export type RangeResult =
  { kind: 'none' } | { kind: 'range'; range: ByteRange } | { kind: 'unsatisfiable'; header: string };

const DIGITS = /^\d+$/;

export function resolveRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'none' };
  const value = header.trim();
  if (!value.toLowerCase().startsWith('bytes=')) return { kind: 'none' };
  const spec = value.slice(6).trim();
  if (spec.includes(',')) return { kind: 'none' };
  const dash = spec.indexOf('-');
  if (dash < 0) return { kind: 'none' };
  const first = spec.slice(0, dash).trim();
  const last = spec.slice(dash + 1).trim();
  if (first === '') {
    if (!DIGITS.test(last)) return { kind: 'none' };
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable', header };
    return { kind: 'range', range: { start: Math.max(0, size - n), end: size - 1 } };
  }
  if (!DIGITS.test(first) || (last !== '' && !DIGITS.test(last))) return { kind: 'none' };
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (last !== '' && end < start) return { kind: 'none' };
  if (start >= size) return { kind: 'unsatisfiable', header };
  return { kind: 'range', range: { start, end: Math.min(end, size - 1) } };
}

/** A 416 answer carries `Content-Range: bytes *\/<size>`. */
export const unsatisfiedRange = (size: number): string => `bytes */${size}`;

export const contentRange = (r: ByteRange, size: number): string => `bytes ${r.start}-${r.end}/${size}`;
