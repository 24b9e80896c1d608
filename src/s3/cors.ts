/**
 * Bucket CORS (rules set through the control plane's UpdateBucket): the first rule whose origin,
 * method and (for preflights) requested headers all match wins, as S3 does. Origins and headers
 * may hold one `*` wildcard; header names compare case-insensitively.
 */
import type { ServerResponse } from 'node:http';
import type { CorsRule } from '../domain/ports/records.js';

/** `pattern` with at most one `*` matching any run of characters. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star === -1) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

export function findCorsRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  requestHeaders: readonly string[] = [],
): CorsRule | undefined {
  for (const rule of rules) {
    if (!rule.allowedMethods.includes(method)) continue;
    if (!rule.allowedOrigins.some((o) => wildcardMatch(o, origin))) continue;
    const allowed = (rule.allowedHeaders ?? []).map((h) => h.toLowerCase());
    if (requestHeaders.every((h) => allowed.some((a) => wildcardMatch(a, h)))) return rule;
  }
  return undefined;
}

/** Sets the CORS response headers of a matched rule (preflight and actual requests alike). */
export function applyCorsHeaders(
  res: ServerResponse,
  rule: CorsRule,
  origin: string,
  requestHeaders?: readonly string[],
): void {
  const anyOrigin = rule.allowedOrigins.includes('*');
  res.setHeader('access-control-allow-origin', anyOrigin ? '*' : origin);
  if (!anyOrigin) res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('access-control-allow-methods', rule.allowedMethods.join(', '));
  if (requestHeaders !== undefined && requestHeaders.length > 0)
    res.setHeader('access-control-allow-headers', requestHeaders.join(', '));
  if (rule.exposeHeaders !== undefined && rule.exposeHeaders.length > 0)
    res.setHeader('access-control-expose-headers', rule.exposeHeaders.join(', '));
  if (rule.maxAgeSeconds !== undefined) res.setHeader('access-control-max-age', String(rule.maxAgeSeconds));
  res.setHeader('vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
}

/** The comma-separated Access-Control-Request-Headers value as lowercase names. */
export function parseRequestHeaders(value: string | undefined): string[] {
  if (value === undefined) return [];
  const out: string[] = [];
  for (const part of value.split(',')) {
    const h = part.trim().toLowerCase();
    if (h !== '') out.push(h);
  }
  return out;
}
