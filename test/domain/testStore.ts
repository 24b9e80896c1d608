/**
 * The metadata store the domain suites run on: SQLite by default, PostgreSQL when
 * SAILBUCKET_TEST_DOMAIN_STORE=postgres (test/domain/onPostgres.test.ts runs the suites that way),
 * so the same domain tests hold on both backends.
 */
import type { MetadataStore } from '../../src/domain/ports/MetadataStore.js';
import { openMetadataStore } from '../../src/store/factory.js';
import { SqliteMetadataStore } from '../../src/store/metadata/sqlite/SqliteMetadataStore.js';
import { testPostgres } from '../helpers/postgres.js';

export const onPostgres = process.env.SAILBUCKET_TEST_DOMAIN_STORE === 'postgres';

/** A fresh, empty store: SQLite at `sqlitePath` (':memory:' allowed), or a new PostgreSQL schema. */
export async function openDomainTestStore(sqlitePath: string, synchronous?: 'FULL' | 'NORMAL'): Promise<MetadataStore> {
  if (!onPostgres) return new SqliteMetadataStore({ path: sqlitePath, ...(synchronous ? { synchronous } : {}) });
  const pg = await testPostgres();
  const store = openMetadataStore({ kind: 'postgres', url: pg.url, schema: pg.freshSchema(), poolSize: 4 });
  await store.read(async () => undefined);
  return store;
}
