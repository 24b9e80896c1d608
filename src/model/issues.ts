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
  | 'forbidden'; // string contains a substring Sailbucket forbids

export interface ValidationIssue {
  /** Member path from the input root: `bucketName`, `accessRules.getObject`, `cors.rules[0].allowedMethods[1]`; '' for the root. */
  readonly path: string;
  readonly kind: ValidationIssueKind;
  /** Names the member path and, where there is one, the bad value. */
  readonly message: string;
}

const MAX_SHOWN = 100;

/** A value as shown in messages: strings quoted raw, others as JSON, cut at 100 characters. */
export function showValue(value: unknown, sensitive = false): string {
  if (sensitive) return '***';
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try { text = JSON.stringify(value) ?? String(value); } catch { text = String(value); }
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text;
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
