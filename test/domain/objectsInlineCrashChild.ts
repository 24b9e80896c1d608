/**
 * Child process of objectsInline.test.ts: PUTs small objects (inline) through ObjectService over
 * a file database (synchronous FULL, group commit), 16 at a time, each key once, and prints
 * `ack <key> <md5>` only after its putObject resolved. The parent kills it with SIGKILL and checks
 * every acknowledged object. Bounded: at most `limit` objects.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { ObjectService } from '../../src/domain/objects/objects.js';
import { FsBlobStore } from '../../src/store/blob/fs/FsBlobStore.js';
import { SqliteMetadataStore } from '../../src/store/metadata/sqlite/SqliteMetadataStore.js';
import { body } from './objectsFixture.js';

const [blobRoot, metaPath, bucketId, limitArg] = process.argv.slice(2);
if (!blobRoot || !metaPath || !bucketId)
  throw new Error('usage: objectsInlineCrashChild <blob root> <db path> <bucket id> [limit]');
const limit = Number(limitArg ?? 20_000);
const store = new SqliteMetadataStore({ path: metaPath });
const objects = new ObjectService({ store, blobs: new FsBlobStore({ root: blobRoot }), clock: Date.now });
const bucket = { id: bucketId, objectVersioning: 'NeverEnabled' as const };
let started = 0;

async function worker(): Promise<void> {
  while (started < limit) {
    const key = `k${started++}`;
    const b = randomBytes(randomInt(1, 4097));
    await objects.putObject(bucket, key, body(b), { declaredLength: b.length });
    process.stdout.write(`ack ${key} ${createHash('md5').update(b).digest('hex')}\n`);
  }
}

await Promise.all(Array.from({ length: 16 }, worker));
await store.close();
