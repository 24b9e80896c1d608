/**
 * Child process of groupCommit.test.ts: writes buckets through SqliteMetadataStore (synchronous
 * FULL, group commit), 16 at a time, and prints `ack <name>` for each one only after its
 * transaction resolved. The parent kills it with SIGKILL at some point and checks that every
 * acknowledged bucket is in the database. Bounded: at most `limit` writes, then it exits.
 */
import { SqliteMetadataStore } from '../../src/store/metadata/sqlite/SqliteMetadataStore.js';
import { bucketFixture } from './controlPlaneContract.js';

const [path, limitArg] = process.argv.slice(2);
if (!path) throw new Error('usage: groupCommitCrashChild <db path> [limit]');
const limit = Number(limitArg ?? 20_000);
const store = new SqliteMetadataStore({ path });
let started = 0;

async function worker(): Promise<void> {
  while (started < limit) {
    started++;
    const b = bucketFixture();
    await store.transaction((tx) => tx.control.insertBucket(b));
    process.stdout.write(`ack ${b.name}\n`);
  }
}

await Promise.all(Array.from({ length: 16 }, worker));
await store.close();
