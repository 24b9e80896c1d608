import type Database from 'better-sqlite3';
import type { ChecksumAlgorithm, ChecksumType, ObjectSummary } from '../../../../domain/ports/objectRecords.js';
import type {
  ListObjectsPage,
  ListObjectsQuery,
  ListVersionsPage,
  ListVersionsQuery,
} from '../../../../domain/ports/ObjectIndexRepo.js';
import { keyBytes, startBound, successor, type Bound } from '../../keyWalk.js';
import { walkWithMarkers } from './markerWalk.js';
import { SUMMARY_COLUMNS, toVersionSummary, type SummaryRow } from '../../objectRows.js';
import { RangeScan } from './scan.js';
import { CHECKSUM_ALGORITHMS } from '../../../../crypto/checksums.js';

/**
 * A live row as one text value (`pluck()`): `size,lastModified,etagAndMore,key`. better-sqlite3
 * spends more on each row array and each value than SQLite spends joining them, so a row comes as
 * one string, split here. `etagAndMore` is the ETag followed, only where the row is not STANDARD
 * or has a checksum, by ' class algorithm type' (either checksum part may be empty); none of these
 * holds a comma. The key comes last, whole (keys may hold any character); its bytes are the UTF-8
 * it was stored as, so the text equals Buffer#toString('utf8') without a Buffer per row.
 * Everything before the key is `LIVE_ROW_HEAD`, the expression the listing index (migration 105)
 * stores: written exactly as there, SQLite reads its value from the index instead of evaluating
 * it for each row (the plan test checks this).
 */
type LiveRow = string;
const LIVE_ROW_HEAD = `(size || ',' || last_modified || ',' ||
  CASE WHEN storage_class = 'STANDARD' AND checksum_algorithm IS NULL AND checksum_type IS NULL THEN etag
  ELSE etag || ' ' || storage_class || ' ' || ifnull(checksum_algorithm, '') || ' ' || ifnull(checksum_type, '') END || ',')`;
const LIVE_COLUMNS = `${LIVE_ROW_HEAD} || CAST(key AS TEXT)`;
const LIVE_WHERE = 'bucket_id = ? AND is_latest = 1 AND is_delete_marker = 0';

/**
 * The statement text of a live-row range read (`op` is '>=' or '>'; exported for the plan test).
 * The index is named: left to itself the planner takes the smaller `live` index and reads each
 * row from the table.
 */
export const liveRangeSql = (op: '>=' | '>', limit: string): string =>
  `SELECT ${LIVE_COLUMNS} FROM object_versions INDEXED BY object_versions_listing_rows WHERE ${LIVE_WHERE} AND key ${op} ? AND key < ? ORDER BY key LIMIT ${limit}`;

const COMMA = 0x2c;
const ZERO = 0x30;
const NINE = 0x39;

/** Storage classes, checksum algorithms and types as constants (a row's own text only when unknown). */
const STORAGE_CLASSES: readonly string[] = ['STANDARD'];
const ALGORITHMS: readonly string[] = CHECKSUM_ALGORITHMS;
const TYPES: readonly string[] = ['FULL_OBJECT', 'COMPOSITE'] satisfies ChecksumType[];

/** The text of `r` from `start` to `end`: one of `known` when it equals it (no new string), else a slice. */
function word(r: string, start: number, end: number, known: readonly string[]): string {
  for (const k of known) if (k.length === end - start && r.startsWith(k, start)) return k;
  return r.slice(start, end);
}

/**
 * Splits a live row. Size and date are read digit by digit (no substring, no Number()): both are
 * non-negative integers below 2^53 as this server writes them; anything else (a sign, more than
 * 15 digits) takes the general path. The parts after the ETag are matched in place against their
 * known values, and a row with both checksum parts is made as one object literal (one shape).
 */
function summaryOf(r: LiveRow): ObjectSummary {
  let i = 0;
  let size = 0;
  let c = r.charCodeAt(0);
  while (c >= ZERO && c <= NINE) {
    size = size * 10 + (c - ZERO);
    c = r.charCodeAt(++i);
  }
  if (c !== COMMA || i === 0 || i > 15) return parsedSummary(r);
  const d0 = ++i;
  let lastModified = 0;
  c = r.charCodeAt(i);
  while (c >= ZERO && c <= NINE) {
    lastModified = lastModified * 10 + (c - ZERO);
    c = r.charCodeAt(++i);
  }
  if (c !== COMMA || i === d0 || i - d0 > 15) return parsedSummary(r);
  return withEtag(r, i + 1, size, lastModified);
}

function parsedSummary(r: LiveRow): ObjectSummary {
  const a = r.indexOf(',');
  const b = r.indexOf(',', a + 1);
  return withEtag(r, b + 1, Number(r.slice(0, a)), Number(r.slice(a + 1, b)));
}

/** The row from the ETag on: `etag[ class algorithm type],key` starting at `at`. */
function withEtag(r: LiveRow, at: number, size: number, lastModified: number): ObjectSummary {
  const end = r.indexOf(',', at);
  const key = r.slice(end + 1);
  const s1 = r.indexOf(' ', at);
  if (s1 < 0 || s1 > end) return { key, size, etag: r.slice(at, end), lastModified, storageClass: 'STANDARD' };
  const s2 = r.indexOf(' ', s1 + 1);
  const s3 = r.indexOf(' ', s2 + 1);
  const etag = r.slice(at, s1);
  const storageClass = word(r, s1 + 1, s2, STORAGE_CLASSES);
  const algorithm = s3 === s2 + 1 ? undefined : (word(r, s2 + 1, s3, ALGORITHMS) as ChecksumAlgorithm);
  const type = end === s3 + 1 ? undefined : (word(r, s3 + 1, end, TYPES) as ChecksumType);
  if (algorithm !== undefined && type !== undefined)
    return { key, size, etag, lastModified, storageClass, checksumAlgorithm: algorithm, checksumType: type };
  const s: ObjectSummary = { key, size, etag, lastModified, storageClass };
  if (algorithm !== undefined) s.checksumAlgorithm = algorithm;
  if (type !== undefined) s.checksumType = type;
  return s;
}

/**
 * Range reads of live rows in key (byte) order: `all()` for a batch, and a `LIMIT 1` statement for
 * the single row after a seek (better-sqlite3 runs it several times faster than `LIMIT ?`).
 */
class LiveScan {
  private readonly many: { ge: Database.Statement; gt: Database.Statement };
  private readonly one: { ge: Database.Statement; gt: Database.Statement };

  constructor(db: Database.Database) {
    const prepare = (op: '>=' | '>', limit: string) => db.prepare(liveRangeSql(op, limit)).pluck();
    this.many = { ge: prepare('>=', '?'), gt: prepare('>', '?') };
    this.one = { ge: prepare('>=', '1'), gt: prepare('>', '1') };
  }

  rows(bucketId: string, from: Bound, upper: Buffer, limit: number): LiveRow[] {
    if (limit === 1) {
      const row = (from.inclusive ? this.one.ge : this.one.gt).get(bucketId, from.key, upper) as LiveRow | undefined;
      return row === undefined ? [] : [row];
    }
    return (from.inclusive ? this.many.ge : this.many.gt).all(bucketId, from.key, upper, limit) as LiveRow[];
  }
}

/**
 * ListObjects(V2) and ListObjectVersions as index range scans. ListObjects reads only the partial
 * index of live latest rows; ListObjectVersions reads the (bucket, key, seq DESC) history index.
 */
export class SqliteListings {
  private readonly live: LiveScan;
  private readonly history: RangeScan<SummaryRow>;
  private readonly versionSeq: Database.Statement;
  private readonly olderOfKey: Database.Statement;

  constructor(db: Database.Database) {
    this.live = new LiveScan(db);
    this.history = new RangeScan<SummaryRow>(db, SUMMARY_COLUMNS, 'object_versions', 'bucket_id = ?', 'key, seq DESC');
    this.versionSeq = db
      .prepare('SELECT seq FROM object_versions WHERE bucket_id = ? AND key = ? AND version_id = ?')
      .pluck();
    this.olderOfKey = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM object_versions
      WHERE bucket_id = ? AND key = ? AND seq < ? ORDER BY seq DESC LIMIT ?`);
  }

  /**
   * Without a delimiter: one batch of maxKeys + 1 rows (the extra one only tells truncation).
   * With one: rows in batches that start at one row after every seek and double while no key rolls
   * up, so a page still reads about one row per entry (at most twice that) however many keys hide
   * under its common prefixes, and after a common prefix the scan seeks past all of them.
   */
  listObjects(bucketId: string, q: ListObjectsQuery): ListObjectsPage {
    const page: ListObjectsPage = { contents: [], commonPrefixes: [], isTruncated: false, rowsRead: 0 };
    const max = q.maxKeys;
    if (max === 0) return page;
    const upper = successor(keyBytes(q.prefix));
    let from = startBound(q.prefix, q.after);
    const delimiter = q.delimiter || undefined;
    if (delimiter === undefined) {
      const rows = this.live.rows(bucketId, from, upper, max + 1);
      page.rowsRead = rows.length;
      const n = Math.min(rows.length, max);
      const contents = new Array<ObjectSummary>(n);
      for (let i = 0; i < n; i++) contents[i] = summaryOf(rows[i]);
      page.contents = contents;
      if (rows.length > max) {
        page.isTruncated = true;
        page.next = { key: contents[n - 1].key, skipPrefix: false };
      }
      return page;
    }
    const from0 = q.prefix.length;
    let entries = 0;
    let batch = 1;
    let last: string | undefined;
    let lastIsPrefix = false;
    for (;;) {
      const limit = Math.min(batch, max - entries + 1);
      const rows = this.live.rows(bucketId, from, upper, limit);
      page.rowsRead += rows.length;
      let seeked = false;
      for (const row of rows) {
        if (entries >= max) {
          page.isTruncated = true;
          break;
        }
        const o = summaryOf(row);
        const key = o.key;
        const at = key.indexOf(delimiter, from0);
        entries++;
        if (at >= 0) {
          const cp = key.slice(0, at + delimiter.length);
          page.commonPrefixes.push(cp);
          last = cp;
          lastIsPrefix = true;
          from = { key: successor(keyBytes(cp)), inclusive: true };
          seeked = true;
          break;
        }
        page.contents.push(o);
        last = key;
        lastIsPrefix = false;
      }
      if (page.isTruncated || (!seeked && rows.length < limit)) break;
      if (seeked) {
        batch = 1;
      } else {
        from = { key: keyBytes(last!), inclusive: false };
        batch *= 2;
      }
    }
    if (page.isTruncated && last !== undefined) page.next = { key: last, skipPrefix: lastIsPrefix };
    return page;
  }

  listObjectVersions(bucketId: string, q: ListVersionsQuery): ListVersionsPage {
    const w = walkWithMarkers<SummaryRow>({
      prefix: q.prefix,
      ...(q.delimiter ? { delimiter: q.delimiter } : {}),
      max: q.maxKeys,
      ...(q.keyMarker !== undefined ? { keyMarker: q.keyMarker } : {}),
      ...(q.versionIdMarker !== undefined ? { secondMarker: q.versionIdMarker } : {}),
      restOfMarkerKey: (key, versionId, limit) => {
        const k = keyBytes(key);
        const seq = this.versionSeq.get(bucketId, k, versionId) as number | undefined;
        return seq === undefined ? undefined : (this.olderOfKey.all(bucketId, k, seq, limit) as SummaryRow[]);
      },
      fetch: (from, upper, limit) => this.history.rows(bucketId, from, upper, limit),
      keyOf: (r) => r.key,
      secondOf: (r) => r.version_id,
    });
    const page: ListVersionsPage = {
      versions: w.rows.map(toVersionSummary),
      commonPrefixes: w.prefixes,
      isTruncated: w.truncated,
      rowsRead: w.rowsRead,
    };
    if (w.nextKeyMarker !== undefined) page.nextKeyMarker = w.nextKeyMarker;
    if (w.nextSecondMarker !== undefined) page.nextVersionIdMarker = w.nextSecondMarker;
    return page;
  }
}
