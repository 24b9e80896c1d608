/**
 * JSON columns read back: the text this store wrote, parsed into `unknown` and checked against the
 * record type it holds, so a damaged row fails loudly instead of travelling on mistyped.
 */
import type { AccessLogConfig, AccessRules, CorsRule, LifecycleRule, Tag } from '../../domain/ports/records.js';

type Guard<T> = (v: unknown) => v is T;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const arrayOf =
  <T>(is: Guard<T>): Guard<T[]> =>
  (v): v is T[] =>
    Array.isArray(v) && v.every((x) => is(x));
const optional = <T>(v: unknown, is: Guard<T>): boolean => v === undefined || is(v);

export const isStringList = arrayOf(isString);
export const isStringMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every(isString);
export const isTagList = arrayOf((v): v is Tag => isObject(v) && isString(v.key) && isString(v.value));
export const isAccessRules = (v: unknown): v is AccessRules =>
  isObject(v) && (v.getObject === 'public' || v.getObject === 'private') && typeof v.allowPublicOverrides === 'boolean';
export const isAccessLogConfig = (v: unknown): v is AccessLogConfig =>
  isObject(v) && typeof v.enabled === 'boolean' && optional(v.destination, isString) && optional(v.prefix, isString);
export const isCorsRuleList = arrayOf(
  (v): v is CorsRule =>
    isObject(v) &&
    optional(v.id, isString) &&
    isStringList(v.allowedMethods) &&
    isStringList(v.allowedOrigins) &&
    optional(v.allowedHeaders, isStringList) &&
    optional(v.exposeHeaders, isStringList) &&
    optional(v.maxAgeSeconds, isNumber),
);

/** Lifecycle rules: the id, the switch and objects for the parts (their fields are the domain's). */
export const isLifecycleRuleList = arrayOf(
  (v): v is LifecycleRule =>
    isObject(v) &&
    isString(v.id) &&
    typeof v.enabled === 'boolean' &&
    optional(v.prefix, isString) &&
    optional(v.filter, isObject) &&
    optional(v.expiration, isObject) &&
    optional(v.noncurrentVersionExpiration, isObject) &&
    optional(v.abortIncompleteMultipartUpload, isObject),
);

/** The JSON in `column`, parsed; throws naming the column when it does not hold what `is` expects. */
export function parseColumn<T>(text: string, column: string, is: Guard<T>): T {
  const v: unknown = JSON.parse(text);
  if (!is(v)) throw new Error(`metadata column ${column} does not hold the expected JSON`);
  return v;
}
