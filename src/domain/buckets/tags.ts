import { invalidInput } from '../errors.js';
import type { Tag } from '../ports/records.js';

export const MAX_TAGS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;

/** Validates tags from one request: key 1..128 characters, value 0..256, no key twice. */
export function assertTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.key.length < 1 || t.key.length > MAX_KEY) {
      throw invalidInput(
        `Tag key '${t.key}' must be 1 to ${MAX_KEY} characters long (it has ${t.key.length}).`,
        'invalid_tag',
      );
    }
    if (t.value.length > MAX_VALUE) {
      throw invalidInput(
        `Tag value for key '${t.key}' must be at most ${MAX_VALUE} characters long (it has ${t.value.length}).`,
        'invalid_tag',
      );
    }
    if (seen.has(t.key)) throw invalidInput(`Tag key '${t.key}' appears more than once in the request.`, 'invalid_tag');
    seen.add(t.key);
  }
  if (tags.length > MAX_TAGS)
    throw invalidInput(
      `A resource can have at most ${MAX_TAGS} tags; the request has ${tags.length}.`,
      'too_many_tags',
    );
}

/** The tags after adding `add` (same key: the new value wins), keeping the order of first use. */
export function mergeTags(current: readonly Tag[], add: readonly Tag[], resourceName: string): Tag[] {
  const merged = new Map(current.map((t) => [t.key, t.value]));
  for (const t of add) merged.set(t.key, t.value);
  if (merged.size > MAX_TAGS) {
    throw invalidInput(
      `Resource '${resourceName}' would have ${merged.size} tags; the limit is ${MAX_TAGS}.`,
      'too_many_tags',
    );
  }
  return [...merged].map(([key, value]) => ({ key, value }));
}

export function removeTags(current: readonly Tag[], keys: readonly string[]): Tag[] {
  const drop = new Set(keys);
  return current.filter((t) => !drop.has(t.key));
}
