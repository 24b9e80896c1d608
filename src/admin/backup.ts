/**
 * `sailbucket backup --to DIR`: a consistent copy of a data directory, taken while the server runs.
 *
 * 1. Blob deletion is held off (DeletionHold) — before the snapshot, so every blob the snapshot
 *    references still exists until the copy is done (a row is committed only after its blob is
 *    durable, so a referenced blob exists when the snapshot is taken).
 * 2. The metadata is copied with SQLite's online backup API as one snapshot (in a worker thread).
 * 3. Every blob the snapshot references is copied (8 at a time, each file fsynced), then the
 *    master key, the account file and the credentials file.
 * 4. The hold is released; deletions that waited are done then.
 * The result is itself a data directory: `sailbucket serve --data-dir DIR` serves it.
 */
import { copyFile, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { constants, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BlobInventory } from '../store/metadata/sqlite/blobInventory.js';
import { snapshotDatabase } from '../store/metadata/sqlite/snapshot.js';
import { ACCOUNT_FILE, MASTER_KEY_FILE, MASTER_KEY_NEXT } from '../identity.js';
import { blobFile } from './blobFiles.js';
import { throttled, type AdminContext, type TaskOutput, type TaskResult } from './context.js';

const COPY_CONCURRENCY = 8;
const MiB = 1024 * 1024;

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Refuses a target that exists and is not empty, or that lies inside the data directory. */
async function prepareTarget(ctx: AdminContext, to: string): Promise<void> {
  const inside = to === ctx.dataDir || to.startsWith(ctx.dataDir + '/');
  if (inside) throw new Error(`the backup directory '${to}' is inside the data directory '${ctx.dataDir}'`);
  if (existsSync(to)) {
    const st = await stat(to);
    if (!st.isDirectory()) throw new Error(`the backup target '${to}' exists and is not a directory`);
    if ((await readdir(to)).length > 0) throw new Error(`the backup directory '${to}' is not empty`);
  }
  await mkdir(to, { recursive: true, mode: 0o700 });
}

export async function runBackup(ctx: AdminContext, target: string, out: TaskOutput): Promise<TaskResult> {
  const to = resolve(target);
  await prepareTarget(ctx, to);
  const started = Date.now();
  const release = ctx.blobs.hold();
  let inventory: BlobInventory | undefined;
  try {
    out.progress(`backup: metadata snapshot of ${ctx.metadataPath}`);
    const dbCopy = join(to, 'metadata.db');
    const { pages } = await snapshotDatabase(ctx.metadataPath, dbCopy);
    await fsyncPath(dbCopy);
    out.progress(`backup: metadata snapshot done (${pages} pages)`);
    inventory = new BlobInventory(dbCopy, { writable: true });
    const total = inventory.countBlobs();
    let copied = 0;
    let bytes = 0;
    const say = throttled(out);
    const report = (force = false) =>
      say(
        () =>
          `backup: ${copied}/${total} blobs (${(bytes / MiB).toFixed(1)} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        force,
      );
    const ids = inventory.blobIds();
    const made = new Set<string>();
    const worker = async (): Promise<void> => {
      for (let n = ids.next(); !n.done; n = ids.next()) {
        const from = blobFile(ctx.blobRoot, n.value);
        const dest = blobFile(join(to, 'blobs'), n.value);
        const dir = dirname(dest);
        if (!made.has(dir)) {
          await mkdir(dir, { recursive: true, mode: 0o700 });
          made.add(dir);
        }
        try {
          await copyFile(from, dest, constants.COPYFILE_FICLONE);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT')
            throw new Error(`blob ${n.value} that the metadata references is missing from ${from}`, { cause: err });
          throw err;
        }
        await fsyncPath(dest);
        bytes += (await stat(dest)).size;
        copied++;
        report();
      }
    };
    await Promise.all(Array.from({ length: COPY_CONCURRENCY }, worker));
    report(true);
    for (const dir of made) await fsyncPath(dir);
    const files: string[] = [];
    for (const name of [MASTER_KEY_FILE, MASTER_KEY_NEXT, ACCOUNT_FILE, 'credentials']) {
      if (!existsSync(join(ctx.dataDir, name))) continue;
      await copyFile(join(ctx.dataDir, name), join(to, name));
      await fsyncPath(join(to, name));
      files.push(name);
    }
    await fsyncPath(to);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return {
      problems: false,
      summary: [
        `backup of ${ctx.dataDir} written to ${to}: metadata snapshot (${pages} pages), ${copied} blobs (${(bytes / MiB).toFixed(1)} MiB), ${files.join(', ') || 'no key or account files'} in ${seconds} s`,
        ...(ctx.masterKeyFromEnv
          ? ['the master key comes from SAILBUCKET_MASTER_KEY: serve the backup with the same environment']
          : []),
        `serve it with: sailbucket serve --data-dir ${to}`,
      ],
    };
  } catch (err) {
    inventory?.close();
    inventory = undefined;
    await rm(to, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  } finally {
    inventory?.close();
    await release();
  }
}
