import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { migrate } from '../../src/store/metadata/sqlite/migrations.js';
import { sqliteMigrations } from '../../src/store/metadata/sqlite/schema.js';
import { SqliteMetadataStore } from '../../src/store/metadata/sqlite/SqliteMetadataStore.js';
import { testBucket } from '../domain/objectsFixture.js';
import { objectIndexContract } from './objectIndexContract.js';

objectIndexContract('SQLite', async () => ({
  store: new SqliteMetadataStore({ path: ':memory:' }),
  cleanup: async () => undefined,
  createBucket: (tx, id) => tx.control.insertBucket(testBucket(id)),
}));

describe('SQLite object index plans', () => {
  it('ListObjects and the sweep read indexes, never the whole table', () => {
    const db = new Database(':memory:');
    try {
      migrate(db, sqliteMigrations);
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
      const list = plan(`SELECT key FROM object_versions WHERE bucket_id = 'b' AND is_latest = 1 AND is_delete_marker = 0
        AND key >= x'61' AND key < x'62' ORDER BY key LIMIT 5`);
      assert.match(list, /USING (COVERING )?INDEX object_versions_live/);
      assert.doesNotMatch(list, /TEMP B-TREE/);
      const versions = plan(`SELECT key FROM object_versions WHERE bucket_id = 'b' AND key >= x'61' AND key < x'62' ORDER BY key, seq DESC LIMIT 5`);
      assert.match(versions, /INDEX object_versions_history/);
      assert.doesNotMatch(versions, /TEMP B-TREE/);
      const sweep = plan(`SELECT blob_id FROM object_versions WHERE blob_id IN (SELECT value FROM json_each('["a"]'))`);
      assert.match(sweep, /INDEX object_versions_blob/);
    } finally {
      db.close();
    }
  });
});
