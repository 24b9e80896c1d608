import type Database from 'better-sqlite3';
import type { ListObjectsPage, ListObjectsQuery, ListVersionsPage, ListVersionsQuery } from '../../ObjectIndexRepo.js';
import { isCommonPrefix, keyBytes, ownsKey, startBound, successor, walkKeys } from './keyWalk.js';
import { SUMMARY_COLUMNS, toSummary, toVersionSummary, type SummaryRow } from './rows.js';
import { RangeScan } from './scan.js';

/**
 * ListObjects(V2) and ListObjectVersions as index range scans. ListObjects reads only the partial
 * index of live latest rows; ListObjectVersions reads the (bucket, key, seq DESC) history index.
 */
export class SqliteListings {
  private readonly live: RangeScan<SummaryRow>;
  private readonly history: RangeScan<SummaryRow>;
  private readonly versionSeq: Database.Statement;
  private readonly olderOfKey: Database.Statement;

  constructor(db: Database.Database) {
    this.live = new RangeScan<SummaryRow>(db, SUMMARY_COLUMNS, 'object_versions',
      'bucket_id = ? AND is_latest = 1 AND is_delete_marker = 0', 'key');
    this.history = new RangeScan<SummaryRow>(db, SUMMARY_COLUMNS, 'object_versions', 'bucket_id = ?', 'key, seq DESC');
    this.versionSeq = db.prepare('SELECT seq FROM object_versions WHERE bucket_id = ? AND key = ? AND version_id = ?').pluck();
    this.olderOfKey = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM object_versions
      WHERE bucket_id = ? AND key = ? AND seq < ? ORDER BY seq DESC LIMIT ?`);
  }

  listObjects(bucketId: string, q: ListObjectsQuery): ListObjectsPage {
    const upper = successor(keyBytes(q.prefix));
    const w = walkKeys<SummaryRow>({
      prefix: q.prefix, ...(q.delimiter ? { delimiter: q.delimiter } : {}), max: q.maxKeys, used: 0,
      start: startBound(q.prefix, q.after),
      fetch: (from, limit) => this.live.rows(bucketId, from, upper, limit),
      keyOf: (r) => r.key,
    });
    const page: ListObjectsPage = {
      contents: w.items.map(toSummary), commonPrefixes: w.prefixes, isTruncated: w.truncated, rowsRead: w.rowsRead,
    };
    if (w.truncated && w.last) {
      page.next = 'prefix' in w.last
        ? { key: w.last.prefix, skipPrefix: true }
        : { key: w.last.row.key.toString('utf8'), skipPrefix: false };
    }
    return page;
  }

  listObjectVersions(bucketId: string, q: ListVersionsQuery): ListVersionsPage {
    const page: ListVersionsPage = { versions: [], commonPrefixes: [], isTruncated: false, rowsRead: 0 };
    if (q.maxKeys === 0) return page;
    const rows: SummaryRow[] = [];
    const markerRolls = q.keyMarker !== undefined && isCommonPrefix(q.keyMarker, q.prefix, q.delimiter);
    if (q.keyMarker !== undefined && q.versionIdMarker !== undefined && !markerRolls && ownsKey(q.keyMarker, q.prefix, q.delimiter)) {
      const k = keyBytes(q.keyMarker);
      const seq = this.versionSeq.get(bucketId, k, q.versionIdMarker) as number | undefined;
      if (seq !== undefined) {
        const older = this.olderOfKey.all(bucketId, k, seq, q.maxKeys + 1) as SummaryRow[];
        page.rowsRead += older.length;
        if (older.length > q.maxKeys) {
          page.versions = older.slice(0, q.maxKeys).map(toVersionSummary);
          page.isTruncated = true;
          const last = page.versions[page.versions.length - 1]!;
          page.nextKeyMarker = last.key;
          page.nextVersionIdMarker = last.versionId;
          return page;
        }
        rows.push(...older);
      }
    }
    const upper = successor(keyBytes(q.prefix));
    const w = walkKeys<SummaryRow>({
      prefix: q.prefix, ...(q.delimiter ? { delimiter: q.delimiter } : {}), max: q.maxKeys, used: rows.length,
      start: startBound(q.prefix, q.keyMarker === undefined ? undefined : { key: q.keyMarker, skipPrefix: markerRolls }),
      fetch: (from, limit) => this.history.rows(bucketId, from, upper, limit),
      keyOf: (r) => r.key,
    });
    page.rowsRead += w.rowsRead;
    page.versions = [...rows, ...w.items].map(toVersionSummary);
    page.commonPrefixes = w.prefixes;
    page.isTruncated = w.truncated;
    if (w.truncated) {
      const last = w.last ?? (rows.length > 0 ? { row: rows[rows.length - 1]! } : undefined);
      if (last && 'prefix' in last) page.nextKeyMarker = last.prefix;
      else if (last) {
        page.nextKeyMarker = last.row.key.toString('utf8');
        page.nextVersionIdMarker = last.row.version_id;
      }
    }
    return page;
  }
}
