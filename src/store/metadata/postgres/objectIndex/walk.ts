import { isCommonPrefix, keyBytes, ownsKey, startBound, successor, type Bound } from '../../keyWalk.js';

/**
 * The prefix/delimiter walks of the SQLite store (keyWalk.ts, sqlite/objectIndex/markerWalk.ts)
 * over asynchronous range reads: each `fetch` is one query returning at most `limit` rows, and
 * after a common prefix the walk seeks past every key under it. Same bounds on rows read.
 */
export interface AsyncMarkerWalkInput<R> {
  prefix: string;
  delimiter?: string;
  max: number;
  keyMarker?: string;
  secondMarker?: string;
  restOfMarkerKey(key: string, secondMarker: string, limit: number): Promise<R[] | undefined>;
  fetch(from: Bound, upper: Buffer, limit: number): Promise<R[]>;
  keyOf(row: R): Buffer;
  secondOf(row: R): string;
}

export interface AsyncMarkerWalkOutput<R> {
  rows: R[];
  prefixes: string[];
  truncated: boolean;
  nextKeyMarker?: string;
  nextSecondMarker?: string;
  rowsRead: number;
}

interface KeyWalk<R> {
  items: R[];
  prefixes: string[];
  truncated: boolean;
  last?: { row: R } | { prefix: string };
  rowsRead: number;
}

async function walkKeys<R>(w: AsyncMarkerWalkInput<R>, used: number, start: Bound, upper: Buffer): Promise<KeyWalk<R>> {
  const out: KeyWalk<R> = { items: [], prefixes: [], truncated: false, rowsRead: 0 };
  let entries = used;
  let from = start;
  if (w.max === 0) return out;
  for (;;) {
    let seeked = false;
    for (const row of await w.fetch(from, upper, w.max - entries + 1)) {
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

export async function walkWithMarkersAsync<R>(w: AsyncMarkerWalkInput<R>): Promise<AsyncMarkerWalkOutput<R>> {
  const out: AsyncMarkerWalkOutput<R> = { rows: [], prefixes: [], truncated: false, rowsRead: 0 };
  if (w.max === 0) return out;
  const markerRolls = w.keyMarker !== undefined && isCommonPrefix(w.keyMarker, w.prefix, w.delimiter);
  if (
    w.keyMarker !== undefined &&
    w.secondMarker !== undefined &&
    !markerRolls &&
    ownsKey(w.keyMarker, w.prefix, w.delimiter)
  ) {
    const rest = await w.restOfMarkerKey(w.keyMarker, w.secondMarker, w.max + 1);
    if (rest !== undefined) {
      out.rowsRead += rest.length;
      if (rest.length > w.max) {
        out.rows = rest.slice(0, w.max);
        out.truncated = true;
        const last = out.rows[out.rows.length - 1];
        out.nextKeyMarker = w.keyOf(last).toString('utf8');
        out.nextSecondMarker = w.secondOf(last);
        return out;
      }
      out.rows.push(...rest);
    }
  }
  const upper = successor(keyBytes(w.prefix));
  const start = startBound(
    w.prefix,
    w.keyMarker === undefined ? undefined : { key: w.keyMarker, skipPrefix: markerRolls },
  );
  const walk = await walkKeys(w, out.rows.length, start, upper);
  out.rowsRead += walk.rowsRead;
  const fromMarkerKey = out.rows.length;
  out.rows.push(...walk.items);
  out.prefixes = walk.prefixes;
  out.truncated = walk.truncated;
  if (walk.truncated) {
    const last = walk.last ?? (fromMarkerKey > 0 ? { row: out.rows[fromMarkerKey - 1] } : undefined);
    if (last && 'prefix' in last) out.nextKeyMarker = last.prefix;
    else if (last) {
      out.nextKeyMarker = w.keyOf(last.row).toString('utf8');
      out.nextSecondMarker = w.secondOf(last.row);
    }
  }
  return out;
}
