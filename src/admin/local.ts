import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretBox } from '../crypto/secretBox.js';
import { MASTER_KEY_FILE, decodeMasterKey, loadPendingMasterKeys } from '../identity.js';
import { DeletionHold } from '../store/blob/deletionHold.js';
import { lockDataDir } from '../store/dataDirLock.js';
import { dataDirBackends, openBlobStore, openMetadataStore } from '../store/factory.js';
import type { AdminContext, TaskOutput, TaskResult } from './context.js';
import { runTask, type TaskRequest } from './tasks.js';

function secretBoxFor(dataDir: string, fromEnv: string | undefined): SecretBox | undefined {
  if (fromEnv) return new SecretBox(decodeMasterKey(fromEnv, 'SAILBUCKET_MASTER_KEY'));
  const path = join(dataDir, MASTER_KEY_FILE);
  if (!existsSync(path)) return undefined;
  return new SecretBox(decodeMasterKey(readFileSync(path, 'utf8'), path), loadPendingMasterKeys(dataDir));
}

/**
 * Runs a task with no server running: takes the data-directory lock itself (DataDirLocked when a
 * server holds it), opens the stores as the server would, runs the task, and closes everything.
 */
export async function runLocally(
  dataDir: string,
  env: Record<string, string | undefined>,
  req: TaskRequest,
  out: TaskOutput,
): Promise<TaskResult> {
  if (!existsSync(join(dataDir, 'metadata.db')))
    throw new Error(`'${dataDir}' is not a sailbucket data directory (it has no metadata.db)`);
  const lock = lockDataDir(dataDir);
  try {
    const backends = dataDirBackends(dataDir);
    const store = openMetadataStore(backends.metadata);
    const blobs = new DeletionHold(openBlobStore(backends.blobs));
    const masterKey = env.SAILBUCKET_MASTER_KEY || undefined;
    const ctx: AdminContext = {
      dataDir,
      metadataPath: backends.metadata.path,
      blobRoot: backends.blobs.root,
      store,
      blobs,
      secretBox: secretBoxFor(dataDir, masterKey),
      masterKeyFromEnv: masterKey !== undefined,
    };
    try {
      return await runTask(ctx, req, out);
    } finally {
      await blobs.close();
      await store.close();
    }
  } finally {
    lock.release();
  }
}
