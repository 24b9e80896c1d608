/**
 * S3 lifecycle rules: which objects a rule applies to, and when its actions fall due.
 *
 * Due times follow S3: an action "N days after" a moment falls due at the first midnight UTC at or
 * after that moment plus N days (S3 "rounds the resulting time to the next day midnight UTC"); a
 * `Date` falls due at that date's midnight. `dayMs` is the length of a day — 86 400 000 except when
 * an operator shortens it to test rules (SAILBUCKET_LIFECYCLE_DAY_SECONDS, as RGW's
 * rgw_lc_debug_interval): then "midnight" is a multiple of the shortened day since the epoch.
 */
import { invalidInput } from '../errors.js';
import type { LifecycleFilterTerms, LifecycleRule, Tag } from '../ports/records.js';

export const MAX_LIFECYCLE_RULES = 1000;
export const DAY_MS = 86_400_000;

/** The rules, checked for what the store relies on (the S3 plane's parser checks the rest). */
export function checkLifecycleRules(rules: LifecycleRule[]): LifecycleRule[] {
  if (rules.length > MAX_LIFECYCLE_RULES)
    throw invalidInput(`lifecycle has ${rules.length} rules; the limit is ${MAX_LIFECYCLE_RULES}.`);
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) throw invalidInput(`lifecycle rule id '${r.id}' is used by more than one rule.`);
    ids.add(r.id);
  }
  return rules;
}

/** The conditions of a rule's filter (or legacy prefix), flattened. */
export function filterTerms(rule: LifecycleRule): LifecycleFilterTerms {
  if (rule.filter !== undefined) {
    const { prefix, tags, objectSizeGreaterThan, objectSizeLessThan } = rule.filter;
    return { prefix, tags, objectSizeGreaterThan, objectSizeLessThan };
  }
  return rule.prefix !== undefined ? { prefix: rule.prefix } : {};
}

/** What a rule's filter looks at. `tags` undefined: not loaded (only needed when the rule filters by tag). */
export interface Candidate {
  key: string;
  size: number;
  tags?: readonly Tag[];
}

export const needsTags = (rule: LifecycleRule): boolean => (filterTerms(rule).tags?.length ?? 0) > 0;

/** Whether the rule applies to the object (prefix, every tag, size bounds). */
export function matches(rule: LifecycleRule, o: Candidate): boolean {
  const f = filterTerms(rule);
  if (f.prefix !== undefined && !o.key.startsWith(f.prefix)) return false;
  if (f.objectSizeGreaterThan !== undefined && !(o.size > f.objectSizeGreaterThan)) return false;
  if (f.objectSizeLessThan !== undefined && !(o.size < f.objectSizeLessThan)) return false;
  for (const t of f.tags ?? []) {
    if (!(o.tags ?? []).some((x) => x.key === t.key && x.value === t.value)) return false;
  }
  return true;
}

/** The first "midnight" (a multiple of `dayMs`) at or after `from + days` days. */
export function dueAfterDays(from: number, days: number, dayMs: number = DAY_MS): number {
  return Math.ceil((from + days * dayMs) / dayMs) * dayMs;
}

/** When `Expiration` falls due for a current version written at `lastModified` (undefined: never). */
export function expirationDue(rule: LifecycleRule, lastModified: number, dayMs: number): number | undefined {
  const e = rule.expiration;
  if (e?.date !== undefined) return e.date;
  if (e?.days !== undefined) return dueAfterDays(lastModified, e.days, dayMs);
  return undefined;
}

/** A current version's expiration under a bucket's rules: when, and by which rule. */
export interface CurrentExpiration {
  at: number;
  ruleId: string;
}

/**
 * The earliest `Expiration` (Days or Date) of the enabled rules that apply to a current version
 * written at `lastModified` (S3's `x-amz-expiration`); undefined when none does. `o.tags` must be
 * given when a rule filters by tag.
 */
export function currentExpiration(
  rules: readonly LifecycleRule[],
  o: Candidate & { lastModified: number },
  dayMs: number = DAY_MS,
): CurrentExpiration | undefined {
  let best: CurrentExpiration | undefined;
  for (const r of rules) {
    if (!r.enabled) continue;
    const at = expirationDue(r, o.lastModified, dayMs);
    if (at === undefined || (best !== undefined && at >= best.at) || !matches(r, o)) continue;
    best = { at, ruleId: r.id };
  }
  return best;
}

/** The longest prefix every enabled rule shares ('' when they share none): where a scan may start. */
export function commonPrefix(rules: readonly LifecycleRule[]): string {
  let p: string | undefined;
  for (const r of rules) {
    const own = filterTerms(r).prefix ?? '';
    if (p === undefined) p = own;
    else {
      let i = 0;
      while (i < p.length && i < own.length && p[i] === own[i]) i++;
      // Never end inside a surrogate pair.
      if (i > 0 && /[\uD800-\uDBFF]/.test(p[i - 1])) i--;
      p = p.slice(0, i);
    }
  }
  return p ?? '';
}
