import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { migrate, type Migration } from '../../src/store/metadata/sqlite/migrations.js';

const m = (version: number, table: string): Migration => ({
  version,
  name: `create ${table}`,
  sql: `CREATE TABLE ${table} (id INTEGER)`,
});
const tables = (db: Database.Database): string[] =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't%' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

test('a migration added later in a lower number range still runs', () => {
  const db = new Database(':memory:');
  migrate(db, [m(1, 't1'), m(100, 't100')]);
  assert.deepEqual(tables(db), ['t1', 't100']);
  migrate(db, [m(1, 't1'), m(2, 't2'), m(100, 't100')]);
  assert.deepEqual(tables(db), ['t1', 't100', 't2']);
  migrate(db, [m(1, 't1'), m(2, 't2'), m(100, 't100')]);
  assert.equal((db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n, 3);
  db.close();
});

test('a failing migration leaves nothing of itself and is retried next time', () => {
  const db = new Database(':memory:');
  assert.throws(
    () => migrate(db, [m(1, 't1'), { version: 2, name: 'bad', sql: 'CREATE TABLE t2 (id INTEGER); NOT SQL' }]),
    /syntax error/,
  );
  assert.deepEqual(tables(db), ['t1']);
  migrate(db, [m(1, 't1'), m(2, 't2')]);
  assert.deepEqual(tables(db), ['t1', 't2']);
  assert.throws(() => migrate(db, [m(3, 't3'), m(3, 't3b')]), /duplicate migration version 3/);
  db.close();
});
