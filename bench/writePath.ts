/**
 * The storage layer alone (no HTTP, no SigV4): process CPU per ObjectService PUT and GET, 16 at a
 * time, over a file database (synchronous FULL) and a filesystem blob store in a temp dir.
 * Cases: 4 KiB with a declared length (inline), 4 KiB without (blob path), 1 MiB.
 *   node dist/bench/writePath.js [--ops 4000] [--big-ops 200] [--only 'PUT 4 KiB inline']
 * Prints one line per case: ops, wall ms, CPU µs/op (user + system of this process, all threads).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ObjectService } from '../src/domain/objects/objects.js';
import { FsBlobStore } from '../src/store/blob/fs/FsBlobStore.js';
import { SqliteMetadataStore } from '../src/store/metadata/sqlite/SqliteMetadataStore.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const OPS = arg('--ops', 4000);
const BIG_OPS = arg('--big-ops', 200);
const CONCURRENCY = 16;
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

const root = mkdtempSync(join(tmpdir(), 'sb-writepath-'));
const store = new SqliteMetadataStore({ path: join(root, 'meta.db') });
const blobs = new FsBlobStore({ root: join(root, 'blobs') });
const objects = new ObjectService({ store, blobs, clock: Date.now });
const bucket = { id: 'bench-bucket', objectVersioning: 'NeverEnabled' as const };

async function run(name: string, ops: number, op: (i: number) => Promise<void>): Promise<void> {
  if (ONLY !== undefined && !name.includes(ONLY)) return;
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ops) await op(next++);
    }),
  );
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const perOp = (cpu.user + cpu.system) / ops;
  console.log(
    `${name.padEnd(24)} ops ${String(ops).padStart(6)}  wall ${wallMs.toFixed(0).padStart(6)} ms  ${Math.round(
      (ops / wallMs) * 1000,
    )
      .toString()
      .padStart(
        6,
      )} ops/s  CPU ${perOp.toFixed(0).padStart(6)} µs/op (user ${(cpu.user / ops).toFixed(0)}, system ${(cpu.system / ops).toFixed(0)})`,
  );
}

async function drain(r: Readable): Promise<number> {
  let n = 0;
  for await (const c of r) n += (c as Buffer).length;
  return n;
}

try {
  await store.transaction((tx) =>
    tx.control.insertBucket({
      id: bucket.id,
      accountId: '111122223333',
      region: 'us-east-1',
      name: 'bench-bucket',
      bundleId: 'small_1_0',
      createdAt: Date.now(),
      objectVersioning: 'NeverEnabled',
      accessRules: { getObject: 'private', allowPublicOverrides: false },
      readonlyAccessAccounts: [],
      accessLogConfig: { enabled: false },
      cors: [],
      lifecycle: [],
      bundleChangedAt: null,
      tags: [],
    }),
  );
  const small = randomBytes(4096);
  const big = randomBytes(1024 * 1024);
  const put = (key: string, b: Buffer, declared: boolean) =>
    objects
      .putObject(bucket, key, Readable.from([b]), declared ? { declaredLength: b.length } : {})
      .then(() => undefined);
  const get = async (key: string, size: number) => {
    const r = await objects.getObject(bucket, key);
    // inlineBody?.(): the script also runs against builds from before inline bodies existed.
    const n = r.inlineBody?.()?.length ?? (await drain(r.open()));
    if (n !== size) throw new Error(`GET ${key} returned ${n} bytes, expected ${size}`);
  };
  await run('PUT 4 KiB inline', OPS, (i) => put(`inline/${i % 1000}`, small, true));
  await run('GET 4 KiB inline', OPS * 4, (i) => get(`inline/${i % 1000}`, 4096));
  await run('PUT 4 KiB blob', OPS, (i) => put(`blob/${i % 1000}`, small, false));
  await run('GET 4 KiB blob', OPS * 4, (i) => get(`blob/${i % 1000}`, 4096));
  await run('PUT 1 MiB', BIG_OPS, (i) => put(`big/${i % 64}`, big, true));
  await run('GET 1 MiB', BIG_OPS * 4, (i) => get(`big/${i % 64}`, big.length));
} finally {
  await store.close();
  await blobs.close();
  rmSync(root, { recursive: true, force: true });
}
