import type Database from 'better-sqlite3';
import type {
  AccessLogRecordInput,
  AccessLogSpoolRepo,
  SpooledAccessLogRecord,
} from '../../../domain/ports/AccessLogSpoolRepo.js';

/** The access-log spool on better-sqlite3 (table of schema/accessLogs.ts). */
export class SqliteAccessLogSpoolRepo implements AccessLogSpoolRepo {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insert: db.prepare<[string, string, string, string]>(
        'INSERT INTO access_log_spool (account_id, destination, prefix, line) VALUES (?, ?, ?, ?)',
      ),
      oldest: db.prepare<[number], SpooledAccessLogRecord>(
        'SELECT seq, account_id AS accountId, destination, prefix, line FROM access_log_spool ORDER BY seq LIMIT ?',
      ),
      delete: db.prepare<[number]>('DELETE FROM access_log_spool WHERE seq = ?'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM access_log_spool'),
    };
  }

  async append(records: readonly AccessLogRecordInput[]): Promise<void> {
    for (const r of records) this.s.insert.run(r.accountId, r.destination, r.prefix, r.line);
  }

  async oldest(limit: number): Promise<SpooledAccessLogRecord[]> {
    return this.s.oldest.all(limit);
  }

  async delete(seqs: readonly number[]): Promise<number> {
    let n = 0;
    for (const seq of seqs) n += this.s.delete.run(seq).changes;
    return n;
  }

  async count(): Promise<number> {
    return this.s.count.get()!.n;
  }
}
