/**
 * `sailbucket metadata copy --from DATA_DIR --to postgres://…`: moves a stopped embedded
 * installation's metadata (buckets, keys, operations, metric samples, every object version and
 * delete marker with its segments or inline body, uploads in progress and their parts) into an
 * empty PostgreSQL database. Blobs stay where they are: the data directory becomes the shared one.
 * Everything is read and written through the store ports, so what is copied is what the stores
 * keep, and counts are verified on both sides at the end.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Io } from './cli/io.js';
import { checkMetadataUrl, ConfigError } from './config.js';
import type { MetadataStore } from './domain/ports/MetadataStore.js';
import type { AccountRecord } from './domain/ports/records.js';
import type { ObjectRecord } from './domain/ports/objectRecords.js';
import { listRegions } from './domain/regions.js';
import { DataDirLocked, lockDataDir } from './store/dataDirLock.js';
import { openMetadataStore } from './store/factory.js';

export const METADATA_COPY_USAGE = `Usage: sailbucket metadata copy --from DATA_DIR --to postgres://USER@HOST:5432/DATABASE

Copies the metadata of a stopped embedded installation (DATA_DIR/metadata.db) into an empty
PostgreSQL database, verifies the counts, and says what to do next. Object bytes stay in
DATA_DIR/blobs, which the nodes then share (--data-dir DATA_DIR --metadata-url …).
`;

const PAGE = 500;
/** Operations and samples of all time. */
const FOREVER = Number.MAX_SAFE_INTEGER;

interface Counts {
  accounts: number;
  accountKeys: number;
  buckets: number;
  accessKeys: number;
  operations: number;
  metricSamples: number;
  objectVersions: number;
  uploads: number;
  parts: number;
}

export async function runMetadataCopy(argv: string[], io: Io): Promise<number> {
  if (argv[0] !== 'copy' || argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(METADATA_COPY_USAGE);
    return argv[0] === 'copy' || argv.includes('--help') || argv.includes('-h') ? 0 : 1;
  }
  const fail = (message: string): number => {
    io.stderr.write(`sailbucket metadata copy: ${message}\n`);
    return 1;
  };
  let from: string | undefined;
  let to: string | undefined;
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--from') from = args[++i];
    else if (a === '--to') to = args[++i];
    else return fail(`unexpected argument '${a}' (see sailbucket metadata copy --help)`);
  }
  if (!from || !to) return fail('give both --from DATA_DIR and --to postgres://USER@HOST:5432/DATABASE');
  try {
    checkMetadataUrl(to);
  } catch (err) {
    return fail((err as ConfigError).message);
  }
  const dataDir = resolve(from);
  const dbPath = join(dataDir, 'metadata.db');
  if (!existsSync(dbPath)) return fail(`'${dbPath}' does not exist: --from must be an embedded data directory`);
  let lock;
  try {
    lock = lockDataDir(dataDir);
  } catch (err) {
    if (err instanceof DataDirLocked) return fail(`${err.message}: stop the server first`);
    throw err;
  }
  const source = openMetadataStore({ kind: 'sqlite', path: dbPath });
  const target = openMetadataStore({ kind: 'postgres', url: to });
  try {
    await target.read(async () => undefined);
    if ((await target.read((tx) => tx.control.listAllBucketIds())).length > 0)
      return fail('the target database already holds buckets: copy only into an empty database');
    if ((await target.read((tx) => tx.accounts.listAccounts(undefined, 1))).length > 0)
      return fail('the target database already holds accounts: copy only into an empty database');
    const accountId = accountOf(dataDir);
    const copied = await copyAll(source, target, accountId, (line) => io.stdout.write(line + '\n'));
    const [a, b] = [await count(source, accountId), await count(target, accountId)];
    const diff = (Object.keys(a) as (keyof Counts)[]).filter((k) => a[k] !== b[k]);
    if (diff.length > 0)
      return fail(`counts differ after the copy: ${diff.map((k) => `${k} ${a[k]} → ${b[k]}`).join(', ')}`);
    io.stdout.write(
      `verified: ${(Object.keys(a) as (keyof Counts)[]).map((k) => `${a[k]} ${k}`).join(', ')} (copied ${copied.objectVersions} object versions)\n` +
        `next: keep ${dataDir} as the shared --data-dir (its blobs/ stay where they are), move or remove\n` +
        `  ${dbPath} so nobody starts the embedded server on it again, and start each node with\n` +
        `  sailbucket serve --data-dir ${dataDir} --metadata-url <URL> --node-id <ID> ${keyHint(dataDir)}\n` +
        `  (the same master key as before on every node: the access-key secrets are sealed with it).\n`,
    );
    return 0;
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  } finally {
    await target.close().catch(() => undefined);
    await source.close().catch(() => undefined);
    lock.release();
  }
}

/** Every record of `source` into `target`, bucket by bucket, in batches of about PAGE rows. */
async function copyAll(
  source: MetadataStore,
  target: MetadataStore,
  accountId: string | undefined,
  say: (line: string) => void,
): Promise<Counts> {
  const n: Counts = {
    accounts: 0,
    accountKeys: 0,
    buckets: 0,
    accessKeys: 0,
    operations: 0,
    metricSamples: 0,
    objectVersions: 0,
    uploads: 0,
    parts: 0,
  };
  const accounts = await allAccounts(source);
  for (const account of accounts) {
    const keys = await source.read((tx) => tx.accounts.listAccountKeys(account.accountId));
    await target.transaction(async (tx) => {
      await tx.accounts.insertAccount(account);
      for (const k of keys) await tx.accounts.insertAccountKey(k, 2);
    });
    n.accounts++;
    n.accountKeys += keys.length;
  }
  if (accounts.length > 0) say(`${accounts.length} accounts and ${n.accountKeys} account root keys copied`);
  const scopes = accountScopes(accountId, accounts);
  for (const id of await source.read((tx) => tx.control.listAllBucketIds())) {
    const bucket = (await source.read((tx) => tx.control.getBucketById(id)))!;
    const keys = await source.read((tx) => tx.control.listAccessKeys(id));
    const samples = await source.read((tx) => tx.control.listMetricSamples(id, 0, FOREVER));
    await target.transaction(async (tx) => {
      await tx.control.insertBucket(bucket);
      for (const k of keys) await tx.control.insertAccessKey(k, 2);
      for (const s of samples) await tx.control.insertMetricSample(s);
    });
    scopes.add(JSON.stringify([bucket.accountId, bucket.region]));
    n.buckets++;
    n.accessKeys += keys.length;
    n.metricSamples += samples.length;
    n.objectVersions += await copyObjects(source, target, id);
    const up = await copyUploads(source, target, id);
    n.uploads += up.uploads;
    n.parts += up.parts;
    say(`bucket ${bucket.name}: ${keys.length} keys, objects and uploads copied`);
  }
  for (const scope of scopes) {
    const [accountId, region] = JSON.parse(scope) as [string, string];
    for (let offset = 0; ; offset += PAGE) {
      const ops = await source.read((tx) => tx.control.listOperations(accountId, region, offset, PAGE));
      if (ops.length === 0) break;
      await target.transaction(async (tx) => {
        for (const op of ops) await tx.control.insertOperation(op);
      });
      n.operations += ops.length;
    }
  }
  return n;
}

/** Every version of every key, oldest first per key, so the newest ends up latest as it was. */
async function copyObjects(source: MetadataStore, target: MetadataStore, bucketId: string): Promise<number> {
  let copied = 0;
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  let pending: ObjectRecord[] = [];
  let pendingKey: string | undefined;
  const flush = async () => {
    const rows = pending.reverse();
    pending = [];
    await target.transaction(async (tx) => {
      for (const o of rows) await tx.objects.putObject(o);
    });
    copied += rows.length;
  };
  for (;;) {
    const page = await source.read((tx) =>
      tx.objects.listObjectVersions(bucketId, {
        prefix: '',
        maxKeys: PAGE,
        ...(keyMarker !== undefined ? { keyMarker } : {}),
        ...(versionIdMarker !== undefined ? { versionIdMarker } : {}),
      }),
    );
    for (const v of page.versions) {
      if (pendingKey !== undefined && v.key !== pendingKey) await flush();
      pendingKey = v.key;
      const full = await source.read((tx) => tx.objects.getObject(bucketId, v.key, v.versionId, true));
      if (full) pending.push(full);
    }
    if (!page.isTruncated) break;
    keyMarker = page.nextKeyMarker;
    versionIdMarker = page.nextVersionIdMarker;
  }
  if (pending.length > 0) await flush();
  return copied;
}

async function copyUploads(
  source: MetadataStore,
  target: MetadataStore,
  bucketId: string,
): Promise<{ uploads: number; parts: number }> {
  const out = { uploads: 0, parts: 0 };
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await source.read((tx) =>
      tx.objects.listUploads(bucketId, {
        prefix: '',
        maxUploads: PAGE,
        ...(keyMarker !== undefined ? { keyMarker } : {}),
        ...(uploadIdMarker !== undefined ? { uploadIdMarker } : {}),
      }),
    );
    for (const u of page.uploads) {
      const parts = await source.read((tx) => tx.objects.getParts(u.uploadId));
      await target.transaction(async (tx) => {
        await tx.objects.insertUpload(u);
        for (const p of parts) await tx.objects.putPart(p);
      });
      out.uploads++;
      out.parts += parts.length;
    }
    if (!page.isTruncated) break;
    keyMarker = page.nextKeyMarker;
    uploadIdMarker = page.nextUploadIdMarker;
  }
  return out;
}

/**
 * Where operation records may live: the installation's account in every Lightsail region (the
 * control plane serves them all), plus the account and region of every bucket.
 */
function accountScopes(accountId: string | undefined, accounts: readonly AccountRecord[]): Set<string> {
  const scopes = new Set<string>();
  const ids = new Set(accounts.map((a) => a.accountId));
  if (accountId !== undefined) ids.add(accountId);
  for (const id of ids) for (const r of listRegions()) scopes.add(JSON.stringify([id, r.name]));
  return scopes;
}

/** Every account of a store (the operator and the tenants), in account id order. */
async function allAccounts(store: MetadataStore): Promise<AccountRecord[]> {
  const all: AccountRecord[] = [];
  for (;;) {
    const page = await store.read((tx) => tx.accounts.listAccounts(all.at(-1)?.accountId, PAGE));
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

/** How the nodes get the master key the embedded server used. */
const keyHint = (dataDir: string): string =>
  existsSync(join(dataDir, 'master.key'))
    ? `--master-key-file ${join(dataDir, 'master.key')}`
    : '(with the SAILBUCKET_MASTER_KEY the embedded server used)';

/** The account id in DATA_DIR/account.json, if readable. */
function accountOf(dataDir: string): string | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, 'account.json'), 'utf8')) as { accountId?: unknown };
    return typeof parsed.accountId === 'string' ? parsed.accountId : undefined;
  } catch {
    return undefined;
  }
}

/** What a store holds, counted through the ports. */
async function count(store: MetadataStore, accountId: string | undefined): Promise<Counts> {
  const n: Counts = {
    accounts: 0,
    accountKeys: 0,
    buckets: 0,
    accessKeys: 0,
    operations: 0,
    metricSamples: 0,
    objectVersions: 0,
    uploads: 0,
    parts: 0,
  };
  const accounts = await allAccounts(store);
  n.accounts = accounts.length;
  for (const a of accounts)
    n.accountKeys += (await store.read((tx) => tx.accounts.listAccountKeys(a.accountId))).length;
  const scopes = accountScopes(accountId, accounts);
  for (const id of await store.read((tx) => tx.control.listAllBucketIds())) {
    const b = (await store.read((tx) => tx.control.getBucketById(id)))!;
    scopes.add(JSON.stringify([b.accountId, b.region]));
    n.buckets++;
    n.accessKeys += (await store.read((tx) => tx.control.listAccessKeys(id))).length;
    n.metricSamples += (await store.read((tx) => tx.control.listMetricSamples(id, 0, FOREVER))).length;
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
      const page = await store.read((tx) =>
        tx.objects.listObjectVersions(id, {
          prefix: '',
          maxKeys: 1000,
          ...(keyMarker !== undefined ? { keyMarker } : {}),
          ...(versionIdMarker !== undefined ? { versionIdMarker } : {}),
        }),
      );
      n.objectVersions += page.versions.length;
      if (!page.isTruncated) break;
      keyMarker = page.nextKeyMarker;
      versionIdMarker = page.nextVersionIdMarker;
    }
    let uploadKey: string | undefined;
    let uploadId: string | undefined;
    for (;;) {
      const page = await store.read((tx) =>
        tx.objects.listUploads(id, {
          prefix: '',
          maxUploads: 1000,
          ...(uploadKey !== undefined ? { keyMarker: uploadKey } : {}),
          ...(uploadId !== undefined ? { uploadIdMarker: uploadId } : {}),
        }),
      );
      n.uploads += page.uploads.length;
      for (const u of page.uploads) n.parts += (await store.read((tx) => tx.objects.getParts(u.uploadId))).length;
      if (!page.isTruncated) break;
      uploadKey = page.nextKeyMarker;
      uploadId = page.nextUploadIdMarker;
    }
  }
  for (const scope of scopes) {
    const [accountId, region] = JSON.parse(scope) as [string, string];
    for (let offset = 0; ; offset += PAGE) {
      const ops = await store.read((tx) => tx.control.listOperations(accountId, region, offset, PAGE));
      n.operations += ops.length;
      if (ops.length < PAGE) break;
    }
  }
  return n;
}
