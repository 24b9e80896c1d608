/** The CORS editor's checks: the rules as JSON, shaped like Lightsail's `cors.rules`. */
import type { BucketCorsRule } from '../api/lightsail';

const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);
const MAX_RULES = 20;

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Parses the editor's text; returns the rules, or a message naming the first problem. */
export function parseCorsRules(text: string): { rules: BucketCorsRule[] } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === '' ? '[]' : text);
  } catch (e) {
    return { problem: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!Array.isArray(value)) return { problem: 'The rules must be a JSON array of rule objects.' };
  if (value.length > MAX_RULES) return { problem: `At most ${MAX_RULES} rules (there are ${value.length}).` };
  const rules: BucketCorsRule[] = [];
  for (const [i, r] of value.entries()) {
    const n = `Rule ${i + 1}`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return { problem: `${n} must be an object.` };
    const o = r as Record<string, unknown>;
    const known = ['id', 'allowedMethods', 'allowedOrigins', 'allowedHeaders', 'exposeHeaders', 'maxAgeSeconds'];
    const extra = Object.keys(o).find((k) => !known.includes(k));
    if (extra !== undefined) return { problem: `${n}: unknown field "${extra}" (allowed: ${known.join(', ')}).` };
    if (!isStringList(o.allowedMethods) || o.allowedMethods.length === 0)
      return { problem: `${n}: allowedMethods must be a non-empty list, e.g. ["GET"].` };
    const bad = o.allowedMethods.find((m) => !METHODS.has(m));
    if (bad !== undefined) return { problem: `${n}: "${bad}" is not one of GET, PUT, POST, DELETE, HEAD.` };
    if (!isStringList(o.allowedOrigins) || o.allowedOrigins.length === 0)
      return { problem: `${n}: allowedOrigins must be a non-empty list, e.g. ["https://example.com"].` };
    for (const f of ['allowedHeaders', 'exposeHeaders'] as const)
      if (o[f] !== undefined && !isStringList(o[f])) return { problem: `${n}: ${f} must be a list of strings.` };
    if (o.id !== undefined && typeof o.id !== 'string') return { problem: `${n}: id must be a string.` };
    if (o.maxAgeSeconds !== undefined && (typeof o.maxAgeSeconds !== 'number' || !Number.isInteger(o.maxAgeSeconds)))
      return { problem: `${n}: maxAgeSeconds must be a whole number.` };
    rules.push({
      id: o.id,
      allowedMethods: o.allowedMethods,
      allowedOrigins: o.allowedOrigins,
      allowedHeaders: o.allowedHeaders as string[] | undefined,
      exposeHeaders: o.exposeHeaders as string[] | undefined,
      maxAgeSeconds: o.maxAgeSeconds,
    });
  }
  return { rules };
}

export const CORS_EXAMPLE = JSON.stringify(
  [
    {
      allowedOrigins: ['https://example.com'],
      allowedMethods: ['GET', 'HEAD'],
      allowedHeaders: ['*'],
      maxAgeSeconds: 3000,
    },
  ],
  null,
  2,
);
