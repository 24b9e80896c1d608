import { isCommonPrefix, keyBytes, ownsKey, startBound, successor, walkKeys, type Bound } from '../../keyWalk.js';

/**
 * S3 listings with two markers — ListObjectVersions (key-marker + version-id-marker) and
 * ListMultipartUploads (key-marker + upload-id-marker): first the rest of the marker key's rows
 * after the second marker, then a prefix/delimiter walk past the marker key.
 */
export interface MarkerWalkInput<R> {
  prefix: string;
  delimiter?: string;
  max: number;
  keyMarker?: string;
  secondMarker?: string;
  /** Rows of `key` after the row named by `secondMarker` (at most `limit`), or undefined when no such row. */
  restOfMarkerKey(key: string, secondMarker: string, limit: number): R[] | undefined;
  /** Rows with from <= key (or <) and key < upper, in order, at most `limit`. */
  fetch(from: Bound, upper: Buffer, limit: number): Iterable<R>;
  keyOf(row: R): Buffer;
  secondOf(row: R): string;
}

export interface MarkerWalkOutput<R> {
  rows: R[];
  prefixes: string[];
  truncated: boolean;
  nextKeyMarker?: string;
  nextSecondMarker?: string;
  rowsRead: number;
}

export function walkWithMarkers<R>(w: MarkerWalkInput<R>): MarkerWalkOutput<R> {
  const out: MarkerWalkOutput<R> = { rows: [], prefixes: [], truncated: false, rowsRead: 0 };
  if (w.max === 0) return out;
  const markerRolls = w.keyMarker !== undefined && isCommonPrefix(w.keyMarker, w.prefix, w.delimiter);
  if (
    w.keyMarker !== undefined &&
    w.secondMarker !== undefined &&
    !markerRolls &&
    ownsKey(w.keyMarker, w.prefix, w.delimiter)
  ) {
    const rest = w.restOfMarkerKey(w.keyMarker, w.secondMarker, w.max + 1);
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
  const walk = walkKeys<R>({
    prefix: w.prefix,
    ...(w.delimiter ? { delimiter: w.delimiter } : {}),
    max: w.max,
    used: out.rows.length,
    start: startBound(w.prefix, w.keyMarker === undefined ? undefined : { key: w.keyMarker, skipPrefix: markerRolls }),
    fetch: (from, limit) => w.fetch(from, upper, limit),
    keyOf: (row) => w.keyOf(row),
  });
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
