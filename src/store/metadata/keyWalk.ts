/**
 * Listing over a key-ordered index with S3's prefix/delimiter roll-up, doing bounded work:
 * every row read becomes one entry (an item or a common prefix), and after a common prefix the
 * scan seeks past every key under it (to the byte successor of the prefix) instead of reading them.
 * Keys are compared as UTF-8 bytes; UTF-8 never contains 0xFF, so successor() never overflows.
 */

/** The smallest byte string greater than every string that starts with `b`. */
export function successor(b: Buffer): Buffer {
  if (b.length === 0) return Buffer.from([0xff]);
  const s = Buffer.from(b);
  s[s.length - 1] = s[s.length - 1] + 1;
  return s;
}

export const keyBytes = (key: string): Buffer => Buffer.from(key, 'utf8');

/** Lower bound of a scan. */
export interface Bound {
  key: Buffer;
  inclusive: boolean;
}

export interface WalkInput<R> {
  prefix: string;
  delimiter?: string;
  /** Entries wanted (items + common prefixes), already counting `used`. */
  max: number;
  /** Entries already produced before this walk (e.g. the rest of a marker key's versions). */
  used: number;
  start: Bound;
  /** Rows with start <= key (or <) and key < upper bound, in order, at most `limit`. Closed on break. */
  fetch(from: Bound, limit: number): Iterable<R>;
  keyOf(row: R): Buffer;
}

export interface WalkOutput<R> {
  items: R[];
  prefixes: string[];
  truncated: boolean;
  /** The last entry produced (what the next page resumes after). */
  last?: { row: R } | { prefix: string };
  rowsRead: number;
}

export function walkKeys<R>(w: WalkInput<R>): WalkOutput<R> {
  const out: WalkOutput<R> = { items: [], prefixes: [], truncated: false, rowsRead: 0 };
  let entries = w.used;
  let from = w.start;
  if (w.max === 0) return out;
  for (;;) {
    let seeked = false;
    for (const row of w.fetch(from, w.max - entries + 1)) {
      out.rowsRead++;
      if (entries >= w.max) {
        out.truncated = true;
        return out;
      }
      if (w.delimiter) {
        const key = w.keyOf(row).toString('utf8');
        const at = key.indexOf(w.delimiter, w.prefix.length);
        if (at >= 0) {
          const cp = key.slice(0, at + w.delimiter.length);
          out.prefixes.push(cp);
          out.last = { prefix: cp };
          entries++;
          from = { key: successor(keyBytes(cp)), inclusive: true };
          seeked = true;
          break;
        }
      }
      out.items.push(row);
      out.last = { row };
      entries++;
    }
    if (!seeked) return out;
  }
}

/**
 * Where a scan starts for a prefix and an optional "after" marker. A marker that is itself a
 * common prefix (under `prefix`, ending at the first delimiter) resumes past every key under it.
 */
export function startBound(prefix: string, after: { key: string; skipPrefix: boolean } | undefined): Bound {
  const p: Bound = { key: keyBytes(prefix), inclusive: true };
  if (after === undefined) return p;
  const a: Bound = after.skipPrefix
    ? { key: successor(keyBytes(after.key)), inclusive: true }
    : { key: keyBytes(after.key), inclusive: false };
  return Buffer.compare(a.key, p.key) >= 0 ? a : p;
}

/** True when `marker` has the shape of a common prefix for this prefix/delimiter. */
export function isCommonPrefix(marker: string, prefix: string, delimiter: string | undefined): boolean {
  if (!delimiter || !marker.startsWith(prefix) || !marker.endsWith(delimiter)) return false;
  return marker.indexOf(delimiter, prefix.length) === marker.length - delimiter.length;
}

/** True when `key` is listed as itself (under `prefix`, not rolled into a common prefix). */
export function ownsKey(key: string, prefix: string, delimiter: string | undefined): boolean {
  return key.startsWith(prefix) && !(delimiter && key.indexOf(delimiter, prefix.length) >= 0);
}
