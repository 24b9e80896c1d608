import type Database from 'better-sqlite3';
import type { Bound } from '../../keyWalk.js';

/**
 * A pair of prepared range statements over one index: `key >= ?` and `key > ?`, both `key < ?`,
 * in index order, `LIMIT ?`. `where` and `order` name the rest; `cols` the selected columns.
 * Rows are read lazily (iterate), so a caller that stops early reads no further.
 */
export class RangeScan<R> {
  private readonly ge: Database.Statement;
  private readonly gt: Database.Statement;

  constructor(db: Database.Database, cols: string, table: string, where: string, order: string) {
    const sql = (op: string) =>
      `SELECT ${cols} FROM ${table} WHERE ${where} AND key ${op} ? AND key < ? ORDER BY ${order} LIMIT ?`;
    this.ge = db.prepare(sql('>='));
    this.gt = db.prepare(sql('>'));
  }

  rows(bucketId: string, from: Bound, upper: Buffer, limit: number): Iterable<R> {
    return (from.inclusive ? this.ge : this.gt).iterate(bucketId, from.key, upper, limit) as Iterable<R>;
  }
}
