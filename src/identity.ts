import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  fsyncSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, type ServeOptions } from './config.js';
import { SecretBox } from './crypto/secretBox.js';
import { newAccountId, newSecretAccessKey } from './crypto/ids.js';

/** The account this server serves and the secrets it needs, resolved from the data directory. */
export interface Identity {
  dataDir: string;
  accountId: string;
  rootAccessKeyId: string;
  rootSecretAccessKey: string;
  masterKey: Buffer;
  /** Set when this start generated the root credentials and wrote the credentials file. */
  generatedCredentialsFile?: string;
}

/** Writes a small file atomically (temp → fsync → rename) with the given mode. */
function writeAtomic(path: string, content: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

function ensureWritableDir(dir: string): void {
  try {
    // A non-recursive mkdir when the parent exists: recursive mkdir can spin on special
    // file systems (e.g. under /proc) that answer ENOENT for a parent that exists.
    if (!existsSync(dir)) mkdirSync(dir, { recursive: !existsSync(dirname(dir)), mode: 0o700 });
    const probe = join(dir, `.write-probe-${process.pid}`);
    writeAtomic(probe, 'ok', 0o600);
    unlinkSync(probe);
  } catch (err) {
    throw new ConfigError(
      `data directory '${dir}' is not writable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

function decodeMasterKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32)
    throw new ConfigError(`malformed master key in ${where}: expected 32 bytes as base64 or 64 hex characters`);
  return key;
}

function loadMasterKey(dataDir: string, fromEnv?: string): Buffer {
  if (fromEnv) return decodeMasterKey(fromEnv, 'SAILBUCKET_MASTER_KEY');
  const path = join(dataDir, 'master.key');
  if (existsSync(path)) return decodeMasterKey(readFileSync(path, 'utf8'), path);
  const key = randomBytes(32);
  writeAtomic(path, key.toString('base64') + '\n', 0o600);
  return key;
}

interface AccountFile {
  accountId: string;
  rootAccessKeyId?: string;
  sealedRootSecret?: string;
}

function readAccountFile(path: string): AccountFile | undefined {
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
  ensureWritableDir(dataDir);
  const masterKey = loadMasterKey(dataDir, opts.masterKey);
  const box = new SecretBox(masterKey);
  const accountPath = join(dataDir, 'account.json');
  const existing = readAccountFile(accountPath);
  if (existing && opts.accountId && existing.accountId !== opts.accountId) {
    throw new ConfigError(
      `--account-id ${opts.accountId} differs from the account ${existing.accountId} this data directory belongs to`,
    );
  }
  const accountId = existing?.accountId ?? opts.accountId ?? newAccountId();

  if (opts.rootAccessKeyId && opts.rootSecretAccessKey) {
    if (!existing) writeAtomic(accountPath, JSON.stringify({ accountId }) + '\n', 0o600);
    return {
      dataDir,
      accountId,
      rootAccessKeyId: opts.rootAccessKeyId,
      rootSecretAccessKey: opts.rootSecretAccessKey,
      masterKey,
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
    return { dataDir, accountId, rootAccessKeyId: existing.rootAccessKeyId, rootSecretAccessKey: secret, masterKey };
  }
  const rootAccessKeyId = 'SBRT' + randomBytes(10).toString('hex').toUpperCase().slice(0, 16);
  const rootSecretAccessKey = newSecretAccessKey();
  const file: AccountFile = {
    accountId,
    rootAccessKeyId,
    sealedRootSecret: box.seal(rootSecretAccessKey, rootAccessKeyId),
  };
  writeAtomic(accountPath, JSON.stringify(file) + '\n', 0o600);
  const credentialsPath = join(dataDir, 'credentials');
  writeAtomic(credentialsPath, credentialsFileText(rootAccessKeyId, rootSecretAccessKey), 0o600);
  return {
    dataDir,
    accountId,
    rootAccessKeyId,
    rootSecretAccessKey,
    masterKey,
    generatedCredentialsFile: credentialsPath,
  };
}
