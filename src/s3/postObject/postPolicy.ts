/**
 * The POST policy of a browser form upload (S3's "Creating a POST policy"): a base64 JSON document
 * with an `expiration` and `conditions`, each condition an exact match (`{"field": "value"}` or
 * `["eq", "$field", "value"]`), a prefix (`["starts-with", "$field", "prefix"]`) or the file's size
 * range (`["content-length-range", min, max]`). Every form field the client sends must be named by a
 * condition, except the ones S3 exempts.
 */
import { S3Error } from '../errors.js';

export interface SizeRange {
  min: number;
  max: number;
}

type Condition =
  { op: 'eq' | 'starts-with'; field: string; value: string } | { op: 'content-length-range'; range: SizeRange };

export interface PostPolicy {
  expiration: number;
  conditions: Condition[];
}

/** Fields a policy need not name (S3's list; x-ignore-* by prefix). */
const EXEMPT = new Set(['x-amz-signature', 'file', 'policy', 'awsaccesskeyid', 'signature']);

const invalid = (why: string): S3Error => new S3Error('InvalidPolicyDocument', `Invalid Policy: ${why}`);
const failed = (why: string): S3Error => new S3Error('AccessDenied', `Invalid according to Policy: ${why}`);

/** ISO 8601 date-time, as S3 takes it: `2026-12-04T12:00:00Z` or with milliseconds. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function sizeOf(v: unknown, what: string): number {
  const n = typeof v === 'string' && /^\d{1,16}$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw invalid(`content-length-range ${what} must be a whole number of bytes, got ${JSON.stringify(v)}`);
  return n;
}

function fieldRef(v: unknown, op: string): string {
  if (typeof v !== 'string' || !v.startsWith('$') || v.length < 2)
    throw invalid(`the ${op} condition's field must be a '$name' string, got ${JSON.stringify(v)?.slice(0, 60)}`);
  return v.slice(1).toLowerCase();
}

function parseCondition(c: unknown, i: number): Condition {
  if (Array.isArray(c)) {
    const op = typeof c[0] === 'string' ? c[0].toLowerCase() : undefined;
    if (op === 'content-length-range') {
      if (c.length !== 3) throw invalid(`condition ${i + 1}: content-length-range takes a minimum and a maximum`);
      const range = { min: sizeOf(c[1], 'minimum'), max: sizeOf(c[2], 'maximum') };
      if (range.min > range.max) throw invalid(`condition ${i + 1}: content-length-range minimum exceeds maximum`);
      return { op, range };
    }
    if (op === 'eq' || op === 'starts-with') {
      if (c.length !== 3 || typeof c[2] !== 'string')
        throw invalid(`condition ${i + 1}: ${op} takes a '$field' and a string value`);
      return { op, field: fieldRef(c[1], op), value: c[2] };
    }
    throw invalid(`condition ${i + 1}: unknown operation ${JSON.stringify(c[0])?.slice(0, 40)}`);
  }
  if (typeof c === 'object' && c !== null) {
    const entries = Object.entries(c);
    if (entries.length !== 1 || typeof entries[0][1] !== 'string')
      throw invalid(`condition ${i + 1}: an exact-match condition is one "field": "value" pair`);
    return { op: 'eq', field: entries[0][0].toLowerCase(), value: entries[0][1] };
  }
  throw invalid(`condition ${i + 1} is neither an object nor an array`);
}

/** Decodes and checks the policy's form (not yet the fields): InvalidPolicyDocument when malformed. */
export function parsePolicy(base64: string): PostPolicy {
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(base64)) throw invalid('the policy is not base64');
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw invalid('Invalid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid('the policy is not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.expiration === undefined) throw invalid('Policy missing expiration.');
  if (typeof d.expiration !== 'string' || !ISO_TIME.test(d.expiration) || Number.isNaN(Date.parse(d.expiration)))
    throw invalid(
      `Invalid 'expiration' value: ${JSON.stringify(d.expiration).slice(0, 60)} (use ISO 8601, e.g. 2026-12-31T12:00:00Z)`,
    );
  if (d.conditions === undefined) throw invalid('Policy missing conditions.');
  if (!Array.isArray(d.conditions)) throw invalid("'conditions' must be a list");
  return { expiration: Date.parse(d.expiration), conditions: d.conditions.map(parseCondition) };
}

/**
 * Checks the form's fields against the policy at `now`: AccessDenied ("Invalid according to
 * Policy") when expired, a condition fails, or a field is not named by any condition. `bucket` is
 * matched by conditions on `$bucket`. Returns the file's allowed size range (unbounded when none).
 */
export function checkPolicy(
  policy: PostPolicy,
  fields: ReadonlyMap<string, string>,
  bucket: string,
  now: number,
): SizeRange {
  if (now > policy.expiration) throw failed('Policy expired.');
  const named = new Set<string>(['bucket']);
  let range: SizeRange = { min: 0, max: Number.MAX_SAFE_INTEGER };
  for (const c of policy.conditions) {
    if (c.op === 'content-length-range') {
      range = c.range;
      continue;
    }
    named.add(c.field);
    const actual = c.field === 'bucket' ? bucket : fields.get(c.field);
    const ok =
      actual !== undefined &&
      (c.op === 'eq'
        ? actual === c.value
        : // starts-with on Content-Type applies to each value of a comma-separated list (S3's rule).
          (c.field === 'content-type' ? actual.split(',').map((v) => v.trim()) : [actual]).every((v) =>
            v.startsWith(c.value),
          ));
    if (!ok) throw failed(`Policy Condition failed: ["${c.op}", "$${c.field}", ${JSON.stringify(c.value)}]`);
  }
  for (const name of fields.keys()) {
    if (EXEMPT.has(name) || name.startsWith('x-ignore-') || named.has(name)) continue;
    throw failed(`Extra input fields: ${name}`);
  }
  return range;
}
