import Database from 'better-sqlite3';
import { closeSync, openSync, readFileSync, writeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';

/** Raised when another process holds the data directory. */
export class DataDirLocked extends Error {
  override readonly name = 'DataDirLocked';
}

export interface DataDirLock {
  release(): void;
}

/**
 * Takes an exclusive OS-level lock on an embedded data directory: the SQLite database `<dir>/lock`
 * opened with `locking_mode=EXCLUSIVE` and one write transaction, so SQLite holds an fcntl write lock
 * on it until this process closes it or dies (kill -9 included: the kernel drops the lock). The PID of
 * the holder is written to `<dir>/lock.pid` for the message a second server prints.
 */
export function lockDataDir(dir: string): DataDirLock {
  const path = join(dir, 'lock');
  const db = new Database(path, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = DELETE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER)');
    db.exec('COMMIT');
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      let pid = 'unknown';
      try {
        pid = readFileSync(join(dir, 'lock.pid'), 'utf8').trim() || pid;
      } catch {
        /* no PID file yet */
      }
      throw new DataDirLocked(
        `data directory '${dir}' is in use by another sailbucket server (PID ${pid}); stop it or use another --data-dir`,
      );
    }
    throw err;
  }
  try {
    const pidFd = openSync(join(dir, 'lock.pid'), 'w', 0o600);
    try {
      ftruncateSync(pidFd);
      writeSync(pidFd, `${process.pid}\n`);
    } finally {
      closeSync(pidFd);
    }
  } catch {
    // Best effort (e.g. a full disk): the lock itself is held; only the message loses the PID.
  }
  return {
    release() {
      if (db.open) db.close();
    },
  };
}
