import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * A statement prepared once per connection: `pg` prepares a named query on its first use on a
 * connection and reuses the plan afterwards. The name is derived from the text, so equal texts
 * share one name and different texts never collide.
 */
export interface Stmt {
  readonly name: string;
  readonly text: string;
}

export const stmt = (text: string): Stmt => ({
  name: 'sb_' + createHash('sha256').update(text).digest('hex').slice(0, 24),
  text,
});

/** What a repo runs its statements on: one connection inside one transaction. */
export interface Conn {
  query<R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>>;
  query<R extends unknown[]>(config: pg.QueryArrayConfig): Promise<pg.QueryArrayResult<R>>;
}

export async function rows<R extends pg.QueryResultRow>(c: Conn, s: Stmt, values: unknown[]): Promise<R[]> {
  return (await c.query<R>({ name: s.name, text: s.text, values })).rows;
}

export async function one<R extends pg.QueryResultRow>(c: Conn, s: Stmt, values: unknown[]): Promise<R | undefined> {
  return (await c.query<R>({ name: s.name, text: s.text, values })).rows[0];
}

export async function arrays(c: Conn, s: Stmt, values: unknown[]): Promise<unknown[][]> {
  return (await c.query<unknown[]>({ name: s.name, text: s.text, values, rowMode: 'array' })).rows;
}

export async function run(c: Conn, s: Stmt, values: unknown[]): Promise<number> {
  return (await c.query({ name: s.name, text: s.text, values })).rowCount ?? 0;
}

const INT8 = 20;
const NUMERIC = 1700;

/**
 * Type parsers of this store's pools: BIGINT and NUMERIC (SUM of BIGINT) as JavaScript numbers.
 * Every such value here (times in ms, byte counts, row counts) stays far below 2^53.
 */
const toNumber = (v: string): number => Number(v);
const defaultParser = pg.types.getTypeParser.bind(pg.types) as (oid: number, format: 'text' | 'binary') => unknown;
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8 || oid === NUMERIC
      ? toNumber
      : defaultParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** SQLSTATE of an error from the server, if it is one. */
export const sqlState = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/** A transaction that failed only because of concurrent ones: run it again. */
export const isRetryable = (err: unknown): boolean => {
  const s = sqlState(err);
  return s === '40001' || s === '40P01';
};

/**
 * The database cannot be reached or went away (connection refused or reset, server shutting down,
 * too many connections, connect timeout): the request is answered 503 and the node keeps trying.
 */
export const isUnavailable = (err: unknown): boolean => {
  const s = sqlState(err);
  if (s !== undefined) return s.startsWith('08') || s.startsWith('57P') || s === '53300' || s === '53100';
  const code = (err as { code?: unknown } | null)?.code;
  if (
    typeof code === 'string' &&
    /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code)
  )
    return true;
  const msg = err instanceof Error ? err.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(
    msg,
  );
};

/** A quoted SQL identifier (schema names given by configuration). */
export const ident = (name: string): string => '"' + name.replace(/"/g, '""') + '"';

/** A signed 64-bit advisory-lock key (as a decimal string) for `what`. */
export const lockKey = (what: string): string =>
  createHash('sha256').update(what).digest().readBigInt64BE(0).toString();

/**
 * Connection settings of a pool or dedicated client of this store (schema via search_path;
 * `asyncCommit`: synchronous_commit off, for `--durability relaxed`).
 */
export const connectionConfig = (url: string, schema: string | undefined, asyncCommit = false): pg.ClientConfig => {
  const options = [
    ...(schema !== undefined ? [`-c search_path=${ident(schema)}`] : []),
    ...(asyncCommit ? ['-c synchronous_commit=off'] : []),
  ];
  return {
    connectionString: url,
    connectionTimeoutMillis: 5_000,
    types: pgTypes,
    ...(options.length > 0 ? { options: options.join(' ') } : {}),
  };
};
