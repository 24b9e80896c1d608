import { invalidInput } from '../errors.js';
import type { AccessLogConfig, AccessRules, CorsRule, Versioning } from '../ports/records.js';

/** Rules for the settings UpdateBucket changes (each throws InvalidInput naming the value). */

export const MAX_READONLY_ACCOUNTS = 10;
export const MAX_CORS_RULES = 20;
const CORS_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);
const ACCOUNT_ID = /^[0-9]{12}$/;
const LOG_PREFIX = /^[A-Za-z0-9/!\-_.*'()]{1,100}$/;

export const DEFAULT_ACCESS_RULES: AccessRules = Object.freeze({ getObject: 'private', allowPublicOverrides: false });

export function assertVersioningChange(v: string): asserts v is Exclude<Versioning, 'NeverEnabled'> {
  if (v !== 'Enabled' && v !== 'Suspended') {
    throw invalidInput(`versioning '${v}' is not valid: use 'Enabled' or 'Suspended'.`, 'invalid_versioning');
  }
}

export function mergeAccessRules(current: AccessRules, patch: Partial<AccessRules>): AccessRules {
  const getObject = patch.getObject ?? current.getObject;
  if (getObject !== 'public' && getObject !== 'private') {
    throw invalidInput(`accessRules.getObject '${String(getObject)}' is not valid: use 'public' or 'private'.`);
  }
  return { getObject, allowPublicOverrides: patch.allowPublicOverrides ?? current.allowPublicOverrides };
}

export function checkReadonlyAccounts(accounts: readonly string[]): string[] {
  if (accounts.length > MAX_READONLY_ACCOUNTS) {
    throw invalidInput(
      `readonlyAccessAccounts has ${accounts.length} accounts; the limit is ${MAX_READONLY_ACCOUNTS}.`,
    );
  }
  for (const a of accounts) {
    if (!ACCOUNT_ID.test(a)) throw invalidInput(`readonlyAccessAccounts entry '${a}' is not a 12-digit account id.`);
  }
  return [...new Set(accounts)];
}

/** Shape of an access log configuration; whether the destination bucket exists is checked by the caller. */
export function checkAccessLogConfig(c: AccessLogConfig): AccessLogConfig {
  if (!c.enabled) return { enabled: false };
  if (!c.destination)
    throw invalidInput('accessLogConfig.destination is required when accessLogConfig.enabled is true.');
  if (c.prefix !== undefined && c.prefix !== '' && !LOG_PREFIX.test(c.prefix)) {
    throw invalidInput(
      `accessLogConfig.prefix '${c.prefix}' is not valid: use up to 100 letters, digits and / ! - _ . * ' ( ).`,
    );
  }
  const out: AccessLogConfig = { enabled: true, destination: c.destination };
  if (c.prefix) out.prefix = c.prefix;
  return out;
}

export function checkCorsRules(rules: readonly CorsRule[]): CorsRule[] {
  if (rules.length > MAX_CORS_RULES)
    throw invalidInput(`cors has ${rules.length} rules; the limit is ${MAX_CORS_RULES}.`);
  return rules.map((r, i) => {
    const where = `cors rule ${i + 1}${r.id ? ` ('${r.id}')` : ''}`;
    if (r.id !== undefined && r.id.length > 255) throw invalidInput(`${where}: id is longer than 255 characters.`);
    if (r.allowedMethods.length === 0) throw invalidInput(`${where}: allowedMethods must not be empty.`);
    for (const m of r.allowedMethods) {
      if (!CORS_METHODS.has(m))
        throw invalidInput(`${where}: allowedMethods value '${m}' is not one of GET, PUT, POST, DELETE, HEAD.`);
    }
    if (r.allowedOrigins.length === 0) throw invalidInput(`${where}: allowedOrigins must not be empty.`);
    for (const o of [...r.allowedOrigins, ...(r.allowedHeaders ?? [])]) {
      if (o.split('*').length > 2) throw invalidInput(`${where}: '${o}' has more than one '*' wildcard.`);
    }
    if (r.maxAgeSeconds !== undefined && (!Number.isInteger(r.maxAgeSeconds) || r.maxAgeSeconds < 0)) {
      throw invalidInput(`${where}: maxAgeSeconds ${r.maxAgeSeconds} must be a whole number of seconds, 0 or more.`);
    }
    const rule: CorsRule = { allowedMethods: [...r.allowedMethods], allowedOrigins: [...r.allowedOrigins] };
    if (r.id !== undefined) rule.id = r.id;
    if (r.allowedHeaders !== undefined) rule.allowedHeaders = [...r.allowedHeaders];
    if (r.exposeHeaders !== undefined) rule.exposeHeaders = [...r.exposeHeaders];
    if (r.maxAgeSeconds !== undefined) rule.maxAgeSeconds = r.maxAgeSeconds;
    return rule;
  });
}
