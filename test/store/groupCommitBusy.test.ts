/**
 * The group committer when another process holds the database's write lock (the workers of
 * `serve --workers N` share one SQLite file): a second connection to the same file stands in for
 * the other process. The batch waits on timers — the event loop keeps running — and commits once
 * the lock is free; past WRITE_LOCK_WAIT_MS it fails with SQLITE_BUSY.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GroupCommitter, WRITE_LOCK_WAIT_MS } from '../../src/store/metadata/sqlite/groupCommit.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-busy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function open(name: string): { db: Database.Database; other: Database.Database } {
  const path = join(dir, name);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (v INTEGER)');
  db.pragma('busy_timeout = 0');
  const other = new Database(path);
  other.pragma('busy_timeout = 0');
  return { db, other };
}

test('a batch waits for another connection’s write transaction without blocking the event loop', async () => {
  const { db, other } = open('wait.db');
  try {
    const committer = new GroupCommitter(db, db);
    other.exec('BEGIN IMMEDIATE');
    other.exec('INSERT INTO t VALUES (1)');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    const release = setTimeout(() => other.exec('COMMIT'), 300);
    const t0 = Date.now();
    try {
      await committer.write(async (d) => d.prepare('INSERT INTO t VALUES (2)').run());
    } finally {
      clearInterval(ticker);
      clearTimeout(release);
    }
    const waited = Date.now() - t0;
    assert.ok(waited >= 250, `it waited for the other transaction (${waited} ms)`);
    assert.ok(ticks >= 5, `timers ran while it waited (${ticks} ticks of 20 ms)`);
    assert.deepEqual(
      db
        .prepare('SELECT v FROM t ORDER BY v')
        .all()
        .map((r) => (r as { v: number }).v),
      [1, 2],
    );
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    db.close();
  }
});

test(`a batch gives up with SQLITE_BUSY after ${WRITE_LOCK_WAIT_MS} ms; the next one commits once the lock is free`, async () => {
  const { db, other } = open('give-up.db');
  try {
    const committer = new GroupCommitter(db, db);
    other.exec('BEGIN IMMEDIATE');
    const t0 = Date.now();
    await assert.rejects(
      committer.write(async (d) => d.prepare('INSERT INTO t VALUES (1)').run()),
      (err: unknown) => String((err as { code?: unknown }).code).startsWith('SQLITE_BUSY'),
    );
    const waited = Date.now() - t0;
    assert.ok(waited >= WRITE_LOCK_WAIT_MS && waited < WRITE_LOCK_WAIT_MS + 2_000, `gave up after ${waited} ms`);
    other.exec('ROLLBACK');
    await committer.write(async (d) => d.prepare('INSERT INTO t VALUES (3)').run());
    assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 1);
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    db.close();
  }
});
