/**
 * PostgreSQL for tests: SAILBUCKET_TEST_POSTGRES_URL when set (scripts/run-tests.js sets it to the
 * cluster it started for the run), else a throwaway cluster this process starts (pgCluster.ts).
 * Each test process gets its own database (created here, dropped at exit); each store gets its own
 * schema in it, so every contract test starts empty. When no server can be had this FAILS with a
 * message saying how to provide one: PostgreSQL tests never skip.
 */
import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { HOW_TO_PROVIDE, startPgCluster, type PgCluster } from './pgCluster.js';

export interface TestPostgres {
  /** A database of this test process's own. */
  url: string;
  /** A fresh schema name (the store creates it on open). */
  freshSchema(): string;
}

let shared: Promise<TestPostgres> | undefined;
let cleanup: (() => Promise<void>) | undefined;

// Registered when this module loads (at the top level of the importing test file's run).
after(async () => {
  await cleanup?.();
});

export function testPostgres(): Promise<TestPostgres> {
  shared ??= open();
  return shared;
}

async function open(): Promise<TestPostgres> {
  let cluster: PgCluster | undefined;
  let admin = process.env.SAILBUCKET_TEST_POSTGRES_URL;
  if (!admin) {
    cluster = await startPgCluster();
    admin = cluster.url;
  }
  const db = `sbtest_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${db}`);
  } catch (err) {
    cluster?.stop();
    throw new Error(`PostgreSQL at ${redact(admin)} cannot be used (${(err as Error).message}). ${HOW_TO_PROVIDE}`, {
      cause: err,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = new URL(admin);
  url.pathname = `/${db}`;
  const adminUrl = admin;
  cleanup = async () => {
    if (cluster) {
      cluster.stop();
      return;
    }
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    await c.end();
  };
  // A throwaway cluster never outlives this process, even when a test hangs and the runner kills it.
  if (cluster) process.on('exit', () => cluster.stop());
  let n = 0;
  return { url: url.toString(), freshSchema: () => `t${++n}_${randomBytes(3).toString('hex')}` };
}

const redact = (u: string): string => u.replace(/:[^:@/]*@/, ':***@');
