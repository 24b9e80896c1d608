/**
 * The store contract suites, run against every backend the factory (src/store/factory.ts) can
 * build, each opened through the factory as the server opens it. A new backend kind fails tsc here
 * until it has a test instance, so no backend ships without its contracts.
 */
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BLOB_BACKEND_KINDS,
  METADATA_BACKEND_KINDS,
  openBlobStore,
  openMetadataStore,
  type BlobBackend,
  type MetadataBackend,
} from '../../src/store/factory.js';
import { testBucket } from '../domain/objectsFixture.js';
import { accessLogSpoolContract } from './accessLogSpoolContract.js';
import { accountContract } from './accountContract.js';
import { testPostgres } from '../helpers/postgres.js';
import { blobStoreContract } from './blobContract.js';
import { controlPlaneContract } from './controlPlaneContract.js';
import { objectIndexContract } from './objectIndexContract.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-contracts-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A fresh, empty test instance of a metadata backend kind. */
async function metadataTestBackend(kind: MetadataBackend['kind']): Promise<MetadataBackend> {
  switch (kind) {
    case 'sqlite':
      return { kind, path: join(dir, `meta-${++n}.db`), synchronous: 'NORMAL' };
    case 'postgres': {
      const pg = await testPostgres();
      return { kind, url: pg.url, schema: pg.freshSchema(), poolSize: 4 };
    }
  }
}

async function blobTestBackend(kind: BlobBackend['kind']): Promise<BlobBackend> {
  switch (kind) {
    case 'fs':
      return { kind, root: await mkdtemp(join(dir, 'blobs-')) };
  }
}

for (const kind of METADATA_BACKEND_KINDS) {
  controlPlaneContract(kind, async () => openMetadataStore(await metadataTestBackend(kind)));
  accountContract(kind, async () => openMetadataStore(await metadataTestBackend(kind)));
  accessLogSpoolContract(kind, async () => openMetadataStore(await metadataTestBackend(kind)));
  objectIndexContract(kind, async () => ({
    store: openMetadataStore(await metadataTestBackend(kind)),
    cleanup: async () => undefined,
    createBucket: (tx, id) => tx.control.insertBucket(testBucket(id)),
  }));
}

for (const kind of BLOB_BACKEND_KINDS) {
  blobStoreContract(kind, async () => {
    const b = await blobTestBackend(kind);
    return { store: openBlobStore(b), cleanup: () => rm(b.root, { recursive: true, force: true }) };
  });
}
