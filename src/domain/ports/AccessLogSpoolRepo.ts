/**
 * The spool of S3 server access-log records waiting for delivery: each node appends the records
 * of its requests in batches; the delivering node (the leader with several nodes) reads the oldest,
 * writes them as log objects into their destination buckets and deletes them by sequence number.
 */
export interface AccessLogRecordInput {
  /** The source bucket's account: delivered only into a destination that account owns. */
  accountId: string;
  /** The destination bucket's name (the source bucket's accessLogConfig.destination). */
  destination: string;
  /** The object-name prefix (accessLogConfig.prefix; '' for none). */
  prefix: string;
  /** One formatted log line, without its line feed. */
  line: string;
}

export interface SpooledAccessLogRecord extends AccessLogRecordInput {
  /** Increasing in append order (within one store). */
  seq: number;
}

export interface AccessLogSpoolRepo {
  /** Appends the records in their order. */
  append(records: readonly AccessLogRecordInput[]): Promise<void>;
  /** The `limit` oldest records (lowest seq first). */
  oldest(limit: number): Promise<SpooledAccessLogRecord[]>;
  /** Deletes the records with these sequence numbers (unknown ones are ignored); returns how many went. */
  delete(seqs: readonly number[]): Promise<number>;
  /** How many records the spool holds. */
  count(): Promise<number>;
}
