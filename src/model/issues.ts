/** What kind of rule a value broke. */
export type ValidationIssueKind =
  | 'notObject'  // the input document itself is not a JSON object
  | 'type'       // wrong JSON type for the shape (string, number, boolean, object, array)
  | 'required'   // a required member is missing (or null)
  | 'unknown'    // a member the shape does not have
  | 'enum'       // not one of the allowed values
  | 'length'     // string length, or list/map element count, out of bounds
  | 'range'      // number out of min/max
  | 'pattern'    // string does not match the shape's pattern
  | 'forbidden'  // string contains a substring Sailbucket forbids
  | 'depth';     // JSON nested deeper than any input of the model needs

export interface ValidationIssue {
  /** Member path from the input root: `bucketName`, `accessRules.getObject`, `cors.rules[0].allowedMethods[1]`; '' for the root. */
  readonly path: string;
  readonly kind: ValidationIssueKind;
  /** Names the member path and, where there is one, the bad value. */
  readonly message: string;
}

const MAX_SHOWN = 100;

/**
 * JSON of `value` until about `room.left` characters are written. Every level writes at least one
 * character, so however deep the value nests, the recursion stops within MAX_SHOWN levels.
 */
function boundedJson(value: unknown, out: string[], room: { left: number }): void {
  const put = (text: string) => {
    out.push(text);
    room.left -= text.length;
  };
  if (room.left <= 0) return;
  if (Array.isArray(value)) {
    put('[');
    for (let i = 0; i < value.length && room.left > 0; i++) {
      if (i > 0) put(',');
      boundedJson(value[i], out, room);
    }
    put(']');
  } else if (typeof value === 'object' && value !== null) {
    put('{');
    let first = true;
    for (const k in value) {
      if (room.left <= 0) break;
      if (!Object.hasOwn(value, k)) continue;
      put((first ? '' : ',') + JSON.stringify(k.slice(0, room.left + 1)) + ':');
      first = false;
      boundedJson((value as Record<string, unknown>)[k], out, room);
    }
    put('}');
  } else if (typeof value === 'string') put(JSON.stringify(value.slice(0, room.left + 1)));
  else put(JSON.stringify(value) ?? String(value));
}

/** Text cut at MAX_SHOWN characters. */
export const cutText = (text: string): string => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text);

/** A value as shown in messages: strings quoted raw, others as JSON, cut at 100 characters (any depth). */
export function showValue(value: unknown, sensitive = false): string {
  if (sensitive) return '***';
  if (typeof value === 'string') return cutText(value);
  const out: string[] = [];
  boundedJson(value, out, { left: MAX_SHOWN + 1 });
  return cutText(out.join(''));
}

/** AWS's wording: `Value 'x' at 'path' failed to satisfy constraint: <rule>`. */
export function constraintMessage(value: unknown, path: string, rule: string, sensitive = false): string {
  return `Value '${showValue(value, sensitive)}' at '${path}' failed to satisfy constraint: ${rule}`;
}

/** One message for all issues, as an InvalidInputException would carry it. */
export function formatValidationIssues(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return 'no validation errors';
  const n = issues.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${issues.map((i) => i.message).join('; ')}`;
}

/** The issues a single error message shows; the rest are counted. */
const MAX_ISSUES_SHOWN = 10;

/** The messages of the first issues joined by '; ', then how many more there were: bounded however many. */
export function summarizeIssues(issues: readonly ValidationIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_SHOWN).map((i) => i.message).join('; ');
  const more = issues.length - MAX_ISSUES_SHOWN;
  return more > 0 ? `${shown}; and ${more} more validation error${more === 1 ? '' : 's'}` : shown;
}
