import type {
  AccessLogRecordInput,
  AccessLogSpoolRepo,
  SpooledAccessLogRecord,
} from '../../../domain/ports/AccessLogSpoolRepo.js';
import { one, rows, run, stmt, type Conn } from './sql.js';

const S = {
  insert: stmt(`INSERT INTO access_log_spool (account_id, destination, prefix, line)
    SELECT a, d, p, l FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS r(a, d, p, l, o)
    ORDER BY o`),
  oldest: stmt('SELECT seq, account_id, destination, prefix, line FROM access_log_spool ORDER BY seq LIMIT $1'),
  delete: stmt('DELETE FROM access_log_spool WHERE seq = ANY($1::bigint[])'),
  count: stmt('SELECT COUNT(*) AS n FROM access_log_spool'),
};

/** The access-log spool on PostgreSQL: one statement per batch (arrays), whatever its size. */
export class PgAccessLogSpoolRepo implements AccessLogSpoolRepo {
  constructor(private readonly c: Conn) {}

  async append(records: readonly AccessLogRecordInput[]): Promise<void> {
    if (records.length === 0) return;
    await run(this.c, S.insert, [
      records.map((r) => r.accountId),
      records.map((r) => r.destination),
      records.map((r) => r.prefix),
      records.map((r) => r.line),
    ]);
  }

  async oldest(limit: number): Promise<SpooledAccessLogRecord[]> {
    const r = await rows<{ seq: string; account_id: string; destination: string; prefix: string; line: string }>(
      this.c,
      S.oldest,
      [limit],
    );
    return r.map((x) => ({
      seq: Number(x.seq),
      accountId: x.account_id,
      destination: x.destination,
      prefix: x.prefix,
      line: x.line,
    }));
  }

  async delete(seqs: readonly number[]): Promise<number> {
    if (seqs.length === 0) return 0;
    return run(this.c, S.delete, [seqs.map(String)]);
  }

  async count(): Promise<number> {
    return Number((await one<{ n: string }>(this.c, S.count, []))?.n ?? 0);
  }
}
