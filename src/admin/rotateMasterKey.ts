/**
 * `sailbucket rotate-master-key`: re-seals every stored secret under a new master key, while the
 * server keeps serving. Crash-safe by construction:
 *
 * 1. The new key is written to `<data-dir>/master.key.next` (atomically, fsynced) — or, after a
 *    rotation cut short, the key already there is reused. From here on a starting server opens
 *    secrets with either key (src/identity.ts), and the running server's box seals under the new key.
 * 2. One metadata transaction re-seals every bucket key secret; then `account.json` (the sealed
 *    generated root secret) is rewritten atomically.
 * 3. `master.key.next` is renamed over `master.key` (atomic) and the old key is forgotten.
 *
 * A crash at any point leaves every secret sealed under master.key or master.key.next, both on disk,
 * so every secret stays readable; running the command again finishes the rotation.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACCOUNT_FILE,
  MASTER_KEY_FILE,
  MASTER_KEY_NEXT,
  decodeMasterKey,
  readAccountFile,
  writeAtomic,
} from '../identity.js';
import type { AdminContext, TaskOutput, TaskResult } from './context.js';

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export async function runRotateMasterKey(ctx: AdminContext, out: TaskOutput): Promise<TaskResult> {
  if (ctx.masterKeyFromEnv)
    throw new Error(
      'the master key comes from SAILBUCKET_MASTER_KEY: rotating it means changing that variable, which this command cannot do (see docs/operations.md, "The master key")',
    );
  const box = ctx.secretBox;
  if (!box) throw new Error(`no master key in '${join(ctx.dataDir, MASTER_KEY_FILE)}'`);
  const nextPath = join(ctx.dataDir, MASTER_KEY_NEXT);
  let next: Buffer;
  if (existsSync(nextPath)) {
    next = decodeMasterKey(readFileSync(nextPath, 'utf8'), nextPath);
    out.progress(`rotate-master-key: finishing the rotation left in ${nextPath}`);
  } else {
    next = randomBytes(32);
    writeAtomic(nextPath, next.toString('base64') + '\n', 0o600);
    syncDir(ctx.dataDir);
    out.progress(`rotate-master-key: new key written to ${nextPath}`);
  }
  box.useKey(next);

  const resealed = await ctx.store.transaction(async (tx) => {
    const rows = await tx.control.listSealedSecrets();
    for (const r of rows)
      await tx.control.setSealedSecret(r.accessKeyId, box.seal(box.open(r.sealedSecret, r.accessKeyId), r.accessKeyId));
    return rows.length;
  });
  out.progress(`rotate-master-key: ${resealed} bucket key secrets re-sealed`);

  const accountPath = join(ctx.dataDir, ACCOUNT_FILE);
  const account = readAccountFile(accountPath);
  let root = false;
  if (account?.rootAccessKeyId && account.sealedRootSecret) {
    const secret = box.open(account.sealedRootSecret, account.rootAccessKeyId);
    writeAtomic(
      accountPath,
      JSON.stringify({ ...account, sealedRootSecret: box.seal(secret, account.rootAccessKeyId) }) + '\n',
      0o600,
    );
    root = true;
  }
  renameSync(nextPath, join(ctx.dataDir, MASTER_KEY_FILE));
  syncDir(ctx.dataDir);
  box.forgetOthers();
  return {
    problems: false,
    summary: [
      `master key rotated: ${resealed} bucket key secrets${root ? ' and the root secret' : ''} re-sealed; ${join(ctx.dataDir, MASTER_KEY_FILE)} holds the new key`,
      'back up the new master.key (backups taken before now need the old one)',
    ],
  };
}
