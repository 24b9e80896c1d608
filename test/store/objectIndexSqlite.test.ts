import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { migrate } from '../../src/store/metadata/sqlite/migrations.js';
import { sqliteMigrations } from '../../src/store/metadata/sqlite/schema.js';
import { liveRangeSql, SqliteListings } from '../../src/store/metadata/sqlite/objectIndex/listings.js';

describe('SQLite object index plans', () => {
  it('ListObjects and the sweep read indexes, never the whole table', () => {
    const db = new Database(':memory:');
    try {
      migrate(db, sqliteMigrations);
      const plan = (sql: string) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
      for (const sql of [
        liveRangeSql('>=', '?'),
        liveRangeSql('>', '?'),
        liveRangeSql('>=', '1'),
        liveRangeSql('>', '1'),
      ]) {
        const list = plan(sql.replace(/\?/g, "'b'"));
        assert.match(list, /USING INDEX object_versions_listing_rows/, sql);
        assert.doesNotMatch(list, /TEMP B-TREE/);
        // The row text is read from the index (one concatenation: the key), never from the table.
        const ops = (
          db
            .prepare(`EXPLAIN ${sql}`)
            .all(...['b', Buffer.from('a'), Buffer.from('b'), 2].slice(0, sql.split('?').length - 1)) as {
            opcode: string;
          }[]
        ).map((r) => r.opcode);
        assert.equal(ops.filter((op) => op === 'Concat').length, 1, `${sql}: ${ops.join(' ')}`);
        assert.ok(!ops.includes('SeekRowid') && !ops.includes('Seek'), `${sql}: ${ops.join(' ')}`);
      }
      const versions = plan(
        `SELECT key FROM object_versions WHERE bucket_id = 'b' AND key >= x'61' AND key < x'62' ORDER BY key, seq DESC LIMIT 5`,
      );
      assert.match(versions, /INDEX object_versions_history/);
      assert.doesNotMatch(versions, /TEMP B-TREE/);
      const sweep = plan(`SELECT blob_id FROM object_versions WHERE blob_id IN (SELECT value FROM json_each('["a"]'))`);
      assert.match(sweep, /INDEX object_versions_blob/);
    } finally {
      db.close();
    }
  });
});

describe('SQLite listing index (migrations 104, 105)', () => {
  const insert = (
    db: Database.Database,
    key: string,
    algorithm: string | null,
    type: string | null,
    storageClass = 'STANDARD',
    size = 3,
    lastModified = 5,
  ) =>
    db
      .prepare(
        `INSERT INTO object_versions (bucket_id, key, version_id, is_latest, is_delete_marker, size, etag, last_modified,
      checksum_algorithm, checksum_type, storage_class, acl, parts_count) VALUES ('b', ?, 'null', 1, 0, ?, 'etag', ?, ?, ?, ?, 'private', 0)`,
      )
      .run(Buffer.from(key), size, lastModified, algorithm, type, storageClass);

  for (const before of [[104, 105], [105]]) {
    it(`is built on a database created before migration${before.length > 1 ? 's' : ''} ${before.join(', ')}, over the rows already there`, () => {
      const db = new Database(':memory:');
      try {
        migrate(
          db,
          sqliteMigrations.filter((m) => !before.includes(m.version)),
        );
        insert(db, 'old', null, null);
        insert(db, 'sum', 'CRC64NVME', 'FULL_OBJECT');
        migrate(db, sqliteMigrations);
        const n = db
          .prepare(
            "SELECT count(*) FROM object_versions INDEXED BY object_versions_listing_rows WHERE bucket_id = 'b' AND is_latest = 1 AND is_delete_marker = 0",
          )
          .pluck()
          .get();
        assert.equal(n, 2);
        const indexes = db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%listing%'")
          .pluck()
          .all();
        assert.deepEqual(indexes, ['object_versions_listing_rows']);
        const page = new SqliteListings(db).listObjects('b', { prefix: '', maxKeys: 10 });
        assert.deepEqual(page.contents, [
          { key: 'old', size: 3, etag: 'etag', lastModified: 5, storageClass: 'STANDARD' },
          {
            key: 'sum',
            size: 3,
            etag: 'etag',
            lastModified: 5,
            storageClass: 'STANDARD',
            checksumAlgorithm: 'CRC64NVME',
            checksumType: 'FULL_OBJECT',
          },
        ]);
      } finally {
        db.close();
      }
    });
  }

  it('follows updates of a row in place (the stored row text is recomputed)', () => {
    const db = new Database(':memory:');
    try {
      migrate(db, sqliteMigrations);
      insert(db, 'k', null, null);
      db.prepare(
        "UPDATE object_versions SET size = 42, etag = 'e2', last_modified = 99, checksum_algorithm = 'CRC32', checksum_type = 'FULL_OBJECT' WHERE key = ?",
      ).run(Buffer.from('k'));
      assert.deepEqual(new SqliteListings(db).listObjects('b', { prefix: '', maxKeys: 10 }).contents, [
        {
          key: 'k',
          size: 42,
          etag: 'e2',
          lastModified: 99,
          storageClass: 'STANDARD',
          checksumAlgorithm: 'CRC32',
          checksumType: 'FULL_OBJECT',
        },
      ]);
    } finally {
      db.close();
    }
  });

  it('lists a row with only a checksum algorithm, only a checksum type or another storage class, keys with commas, spaces, NUL, and edge sizes and dates, as stored', () => {
    const db = new Database(':memory:');
    try {
      migrate(db, sqliteMigrations);
      insert(db, 'a', 'CRC32', null);
      insert(db, 'b', null, 'COMPOSITE');
      insert(db, 'c', 'SHA256', 'FULL_OBJECT');
      insert(db, 'd', null, null, 'GLACIER');
      insert(db, 'e', 'CRC32', 'COMPOSITE', 'REDUCED_REDUNDANCY');
      insert(db, 'f,1, 2 ,\u0000,x', null, null);
      insert(db, 'g \u{1F600},', 'CRC32', 'FULL_OBJECT');
      insert(db, 'h', null, null, 'STANDARD', 5 * 2 ** 40, 1_764_430_000_123);
      insert(db, 'i', null, null, 'STANDARD', 0, -1_000);
      insert(db, 'j', null, null, 'STANDARD', 2 ** 53 - 1, 0);
      const base = { size: 3, etag: 'etag', lastModified: 5, storageClass: 'STANDARD' };
      assert.deepEqual(new SqliteListings(db).listObjects('b', { prefix: '', maxKeys: 10 }).contents, [
        { ...base, key: 'a', checksumAlgorithm: 'CRC32' },
        { ...base, key: 'b', checksumType: 'COMPOSITE' },
        { ...base, key: 'c', checksumAlgorithm: 'SHA256', checksumType: 'FULL_OBJECT' },
        { ...base, key: 'd', storageClass: 'GLACIER' },
        {
          ...base,
          key: 'e',
          storageClass: 'REDUCED_REDUNDANCY',
          checksumAlgorithm: 'CRC32',
          checksumType: 'COMPOSITE',
        },
        { ...base, key: 'f,1, 2 ,\u0000,x' },
        { ...base, key: 'g \u{1F600},', checksumAlgorithm: 'CRC32', checksumType: 'FULL_OBJECT' },
        { ...base, key: 'h', size: 5 * 2 ** 40, lastModified: 1_764_430_000_123 },
        { ...base, key: 'i', size: 0, lastModified: -1_000 },
        { ...base, key: 'j', size: 2 ** 53 - 1, lastModified: 0 },
      ]);
    } finally {
      db.close();
    }
  });
});
