import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  fsyncSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, type ServeOptions } from './config.js';
import { SecretBox } from './crypto/secretBox.js';
import { newAccountId, newRootAccessKeyId, newSecretAccessKey } from './crypto/ids.js';

/** The account this server serves and the secrets it needs, resolved from the data directory. */
export interface Identity {
  dataDir: string;
  accountId: string;
  rootAccessKeyId: string;
  rootSecretAccessKey: string;
  masterKey: Buffer;
  /**
   * Keys that also open sealed secrets: `<data-dir>/master.key.next` while a master-key rotation is
   * under way (or was cut short by a crash), see src/admin/rotateMasterKey.ts.
   */
  pendingMasterKeys: Buffer[];
  /** The master key comes from SAILBUCKET_MASTER_KEY (it cannot be rotated by rewriting a file). */
  masterKeyFromEnv: boolean;
  /** Set when this start generated the root credentials and wrote the credentials file. */
  generatedCredentialsFile?: string;
  /**
   * Writes what this start generated (master key, account file, credentials file). Called once the
   * server knows it can listen, so a start that fails leaves no new secrets behind.
   */
  persist(): void;
}

type PendingWrite = [path: string, content: string, mode: number];

const persistAll = (pending: PendingWrite[]) => (): void => {
  for (const [path, content, mode] of pending.splice(0)) writeAtomic(path, content, mode);
};

/** Writes a small file atomically (temp → fsync → rename) with the given mode. */
export function writeAtomic(path: string, content: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w', mode);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw err;
  }
}

/**
 * Creates the data directory (0700) or tightens an existing one to 0700, and checks that this
 * process can write in it. A full disk is not a reason to refuse: the server starts and lets
 * clients delete to recover (see docs/operations.md).
 */
export function prepareDataDir(dir: string): void {
  try {
    // A non-recursive mkdir when the parent exists: recursive mkdir can spin on special
    // file systems (e.g. under /proc) that answer ENOENT for a parent that exists.
    if (!existsSync(dir)) mkdirSync(dir, { recursive: !existsSync(dirname(dir)), mode: 0o700 });
  } catch (err) {
    throw new ConfigError(
      `data directory '${dir}' is not writable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const st = statSync(dir);
  if (!st.isDirectory()) throw new ConfigError(`data directory '${dir}' is not a directory`);
  if ((st.mode & 0o077) !== 0) {
    try {
      chmodSync(dir, 0o700);
    } catch (err) {
      throw new ConfigError(
        `data directory '${dir}' is readable by other users (mode ${(st.mode & 0o777).toString(8)}) and cannot be changed to 0700: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    writeAtomic(probe, 'ok', 0o600);
    unlinkSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return;
    throw new ConfigError(`data directory '${dir}' is not writable: ${code ?? (err as Error).message}`);
  }
}

export function decodeMasterKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32)
    throw new ConfigError(`malformed master key in ${where}: expected 32 bytes as base64 or 64 hex characters`);
  return key;
}

function loadMasterKey(dataDir: string, pending: PendingWrite[], fromEnv?: string, fromFile?: string): Buffer {
  if (fromEnv) return decodeMasterKey(fromEnv, 'SAILBUCKET_MASTER_KEY');
  if (fromFile) {
    let text: string;
    try {
      text = readFileSync(fromFile, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `cannot read the master key file '${fromFile}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    return decodeMasterKey(text, fromFile);
  }
  const path = join(dataDir, 'master.key');
  if (existsSync(path)) return decodeMasterKey(readFileSync(path, 'utf8'), path);
  const key = randomBytes(32);
  pending.push([path, key.toString('base64') + '\n', 0o600]);
  return key;
}

/** The key a rotation in progress seals under (`<data-dir>/master.key.next`), if any. */
export function loadPendingMasterKeys(dataDir: string): Buffer[] {
  const path = join(dataDir, MASTER_KEY_NEXT);
  return existsSync(path) ? [decodeMasterKey(readFileSync(path, 'utf8'), path)] : [];
}

export const MASTER_KEY_FILE = 'master.key';
export const MASTER_KEY_NEXT = 'master.key.next';
export const ACCOUNT_FILE = 'account.json';

export interface AccountFile {
  accountId: string;
  rootAccessKeyId?: string;
  sealedRootSecret?: string;
}

export function readAccountFile(path: string): AccountFile | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as AccountFile;
    if (!/^\d{12}$/.test(parsed.accountId)) throw new Error('bad account id');
    return parsed;
  } catch {
    throw new ConfigError(`malformed account file '${path}': remove it only if you mean to start a new account`);
  }
}

export function credentialsFileText(accessKeyId: string, secret: string): string {
  return `[sailbucket]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secret}\n`;
}

/**
 * Resolves the data directory, master key, account id and root credentials. Root credentials
 * given in the environment win; otherwise they are generated once, kept sealed in
 * `<data-dir>/account.json` and written once to `<data-dir>/credentials` (profile `sailbucket`).
 */
export function loadIdentity(opts: ServeOptions): Identity {
  const dataDir = resolve(opts.dataDir);
  const pending: PendingWrite[] = [];
  const persist = persistAll(pending);
  const masterKey = loadMasterKey(dataDir, pending, opts.masterKey, opts.masterKeyFile);
  const pendingMasterKeys = opts.masterKey || opts.masterKeyFile ? [] : loadPendingMasterKeys(dataDir);
  // Not kept in the data directory (the environment or --master-key-file): rotation cannot rewrite it.
  const masterKeyFromEnv = opts.masterKey !== undefined || opts.masterKeyFile !== undefined;
  const box = new SecretBox(masterKey, pendingMasterKeys);
  const accountPath = join(dataDir, 'account.json');
  const existing = readAccountFile(accountPath);
  if (existing && opts.accountId && existing.accountId !== opts.accountId) {
    throw new ConfigError(
      `--account-id ${opts.accountId} differs from the account ${existing.accountId} this data directory belongs to`,
    );
  }
  const accountId = existing?.accountId ?? opts.accountId ?? newAccountId();

  if (opts.rootAccessKeyId && opts.rootSecretAccessKey) {
    if (!existing) pending.push([accountPath, JSON.stringify({ accountId }) + '\n', 0o600]);
    return {
      dataDir,
      accountId,
      rootAccessKeyId: opts.rootAccessKeyId,
      rootSecretAccessKey: opts.rootSecretAccessKey,
      masterKey,
      pendingMasterKeys,
      masterKeyFromEnv,
      persist,
    };
  }
  if (existing?.rootAccessKeyId && existing.sealedRootSecret) {
    let secret: string;
    try {
      secret = box.open(existing.sealedRootSecret, existing.rootAccessKeyId);
    } catch {
      throw new ConfigError(
        `cannot open the sealed root credentials in '${accountPath}': the master key does not match this data directory`,
      );
    }
    return {
      dataDir,
      accountId,
      rootAccessKeyId: existing.rootAccessKeyId,
      rootSecretAccessKey: secret,
      masterKey,
      pendingMasterKeys,
      masterKeyFromEnv,
      persist,
    };
  }
  const rootAccessKeyId = newRootAccessKeyId();
  const rootSecretAccessKey = newSecretAccessKey();
  const file: AccountFile = {
    accountId,
    rootAccessKeyId,
    sealedRootSecret: box.seal(rootSecretAccessKey, rootAccessKeyId),
  };
  pending.push([accountPath, JSON.stringify(file) + '\n', 0o600]);
  const credentialsPath = join(dataDir, 'credentials');
  pending.push([credentialsPath, credentialsFileText(rootAccessKeyId, rootSecretAccessKey), 0o600]);
  return {
    dataDir,
    accountId,
    rootAccessKeyId,
    rootSecretAccessKey,
    masterKey,
    pendingMasterKeys,
    masterKeyFromEnv,
    generatedCredentialsFile: credentialsPath,
    persist,
  };
}
