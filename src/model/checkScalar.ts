import type { SailbucketConstraints, ShapeModel } from './types.js';
import { constraintMessage, type ValidationIssue } from './issues.js';

/** Full-string match, as botocore's (Java) patterns are meant. */
export function patternMatches(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`).test(value);
}

function lengthOf(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** Length/count, pattern, enum and substring rules of one source of constraints (botocore's or Sailbucket's). */
export function checkBounds(
  value: unknown, size: number, isNumber: boolean, path: string, c: SailbucketConstraints | ShapeModel, sensitive: boolean, issues: ValidationIssue[],
): void {
  const kind = isNumber ? 'range' : 'length';
  const what = isNumber ? 'value' : 'length';
  if (c.min !== undefined && size < c.min) {
    issues.push({ path, kind, message: constraintMessage(value, path, `Member must have ${what} greater than or equal to ${c.min}`, sensitive) });
  }
  if (c.max !== undefined && size > c.max) {
    issues.push({ path, kind, message: constraintMessage(value, path, `Member must have ${what} less than or equal to ${c.max}`, sensitive) });
  }
}

/** Pattern, enum and forbidden-substring rules for a string value. */
export function checkStringRules(
  value: string, path: string, c: SailbucketConstraints | ShapeModel, sensitive: boolean, issues: ValidationIssue[],
): void {
  checkBounds(value, lengthOf(value), false, path, c, sensitive, issues);
  if (c.pattern !== undefined && !patternMatches(c.pattern, value)) {
    issues.push({ path, kind: 'pattern', message: constraintMessage(value, path, `Member must satisfy regular expression pattern: ${c.pattern}`, sensitive) });
  }
  if (c.enum !== undefined && !c.enum.includes(value)) {
    issues.push({ path, kind: 'enum', message: constraintMessage(value, path, `Member must satisfy enum value set: [${c.enum.join(', ')}]`, sensitive) });
  }
  const forbidden = 'forbiddenSubstrings' in c ? c.forbiddenSubstrings : undefined;
  for (const bad of forbidden ?? []) {
    if (value.includes(bad)) {
      issues.push({ path, kind: 'forbidden', message: constraintMessage(value, path, `Member must not contain '${bad}'`, sensitive) });
    }
  }
}

const TYPE_RULE: Readonly<Record<string, string>> = {
  string: 'Member must be a string', enum: 'Member must be a string', blob: 'Member must be a base64 string',
  boolean: 'Member must be a boolean', integer: 'Member must be an integer', long: 'Member must be an integer',
  float: 'Member must be a number', double: 'Member must be a number',
  timestamp: 'Member must be a number of seconds since the epoch',
  structure: 'Member must be a JSON object', map: 'Member must be a JSON object', list: 'Member must be a JSON array',
};

export function typeIssue(value: unknown, path: string, type: string, sensitive: boolean): ValidationIssue {
  return { path, kind: 'type', message: constraintMessage(value, path, TYPE_RULE[type] ?? `Member must be of type ${type}`, sensitive) };
}

/** Checks a non-container value against its shape and the member's Sailbucket constraints. */
export function checkScalar(
  value: unknown, path: string, shape: ShapeModel, extra: SailbucketConstraints | undefined, issues: ValidationIssue[],
): void {
  const sensitive = shape.sensitive === true || extra?.secret === true;
  switch (shape.type) {
    case 'string': case 'enum': case 'blob': {
      if (typeof value !== 'string') { issues.push(typeIssue(value, path, shape.type, sensitive)); return; }
      checkStringRules(value, path, shape, sensitive, issues);
      if (shape.sailbucket) checkStringRules(value, path, shape.sailbucket, sensitive, issues);
      if (extra) checkStringRules(value, path, extra, sensitive, issues);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') issues.push(typeIssue(value, path, shape.type, sensitive));
      return;
    case 'integer': case 'long': case 'float': case 'double': case 'timestamp': {
      const whole = shape.type === 'integer' || shape.type === 'long';
      if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isSafeInteger(value))) {
        issues.push(typeIssue(value, path, shape.type, sensitive));
        return;
      }
      if (shape.type === 'timestamp') return;
      checkBounds(value, value, true, path, shape, sensitive, issues);
      if (shape.sailbucket) checkBounds(value, value, true, path, shape.sailbucket, sensitive, issues);
      if (extra) checkBounds(value, value, true, path, extra, sensitive, issues);
      return;
    }
    default:
      throw new Error(`checkScalar: shape type '${shape.type}' at '${path}' is not a scalar`);
  }
}
