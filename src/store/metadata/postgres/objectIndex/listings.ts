import type { ObjectSummary } from '../../../../domain/ports/objectRecords.js';
import type {
  ListObjectsPage,
  ListObjectsQuery,
  ListVersionsPage,
  ListVersionsQuery,
} from '../../../../domain/ports/ObjectIndexRepo.js';
import { keyBytes, startBound, successor, type Bound } from '../../keyWalk.js';
import { SUMMARY_COLUMNS, toSummary, toVersionSummary, type SummaryRow } from '../../objectRows.js';
import { one, rows, stmt, type Conn } from '../sql.js';
import { walkWithMarkersAsync } from './walk.js';

const LIVE_COLUMNS = 'key, size, etag, last_modified, storage_class, checksum_algorithm, checksum_type';
const liveRange = (op: '>=' | '>') =>
  stmt(`SELECT ${LIVE_COLUMNS} FROM object_versions WHERE bucket_id = $1 AND is_latest = 1 AND is_delete_marker = 0
    AND key ${op} $2 AND key < $3 ORDER BY key LIMIT $4`);
const historyRange = (op: '>=' | '>') =>
  stmt(`SELECT ${SUMMARY_COLUMNS} FROM object_versions WHERE bucket_id = $1 AND key ${op} $2 AND key < $3
    ORDER BY key, seq DESC LIMIT $4`);

const S = {
  liveGe: liveRange('>='),
  liveGt: liveRange('>'),
  historyGe: historyRange('>='),
  historyGt: historyRange('>'),
  versionSeq: stmt('SELECT seq FROM object_versions WHERE bucket_id = $1 AND key = $2 AND version_id = $3'),
  olderOfKey: stmt(`SELECT ${SUMMARY_COLUMNS} FROM object_versions
    WHERE bucket_id = $1 AND key = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4`),
};

type LiveRow = Pick<
  SummaryRow,
  'key' | 'size' | 'etag' | 'last_modified' | 'storage_class' | 'checksum_algorithm' | 'checksum_type'
>;

/** ListObjects(V2) and ListObjectVersions as index range scans (the SQLite store's algorithm). */
export class PgListings {
  constructor(private readonly c: Conn) {}

  private live(bucketId: string, from: Bound, upper: Buffer, limit: number): Promise<LiveRow[]> {
    return rows<LiveRow>(this.c, from.inclusive ? S.liveGe : S.liveGt, [bucketId, from.key, upper, limit]);
  }

  async listObjects(bucketId: string, q: ListObjectsQuery): Promise<ListObjectsPage> {
    const page: ListObjectsPage = { contents: [], commonPrefixes: [], isTruncated: false, rowsRead: 0 };
    const max = q.maxKeys;
    if (max === 0) return page;
    const upper = successor(keyBytes(q.prefix));
    let from = startBound(q.prefix, q.after);
    const delimiter = q.delimiter || undefined;
    if (delimiter === undefined) {
      const found = await this.live(bucketId, from, upper, max + 1);
      page.rowsRead = found.length;
      page.contents = found.slice(0, max).map((r) => toSummary(r as SummaryRow));
      if (found.length > max) {
        page.isTruncated = true;
        page.next = { key: page.contents[max - 1].key, skipPrefix: false };
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
      const found = await this.live(bucketId, from, upper, limit);
      page.rowsRead += found.length;
      let seeked = false;
      for (const row of found) {
        if (entries >= max) {
          page.isTruncated = true;
          break;
        }
        const o: ObjectSummary = toSummary(row as SummaryRow);
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
      if (page.isTruncated || (!seeked && found.length < limit)) break;
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

  async listObjectVersions(bucketId: string, q: ListVersionsQuery): Promise<ListVersionsPage> {
    const w = await walkWithMarkersAsync<SummaryRow>({
      prefix: q.prefix,
      ...(q.delimiter ? { delimiter: q.delimiter } : {}),
      max: q.maxKeys,
      ...(q.keyMarker !== undefined ? { keyMarker: q.keyMarker } : {}),
      ...(q.versionIdMarker !== undefined ? { secondMarker: q.versionIdMarker } : {}),
      restOfMarkerKey: async (key, versionId, limit) => {
        const k = keyBytes(key);
        const r = await one<{ seq: number }>(this.c, S.versionSeq, [bucketId, k, versionId]);
        return r === undefined ? undefined : rows<SummaryRow>(this.c, S.olderOfKey, [bucketId, k, r.seq, limit]);
      },
      fetch: (from, upper, limit) =>
        rows<SummaryRow>(this.c, from.inclusive ? S.historyGe : S.historyGt, [bucketId, from.key, upper, limit]),
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
