/** Reading node-style lowercase headers, whether values are strings or arrays. */
import type { Headers } from './types.js';

/** The first value of a header, or undefined. */
export function firstHeader(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : v[0];
}

const RUNS_OF_WHITESPACE = /\s+/g;
const NEEDS_COLLAPSE = /\s\s|[\t\r\n\f\v]/;

/** SigV4 "trimall": trim, and collapse every run of whitespace to one space. */
export function trimAll(value: string): string {
  const t = value.trim();
  return NEEDS_COLLAPSE.test(t) ? t.replace(RUNS_OF_WHITESPACE, ' ') : t;
}

/** The canonical value of a signed header: each value trimmed and collapsed, joined with ','. */
export function canonicalHeaderValue(headers: Headers, name: string): string {
  const v = headers[name];
  if (v === undefined) return '';
  if (typeof v === 'string') return trimAll(v);
  if (v.length === 1) return trimAll(v[0]);
  return v.map(trimAll).join(',');
}
