import { closeSync, existsSync, fsyncSync, openSync, renameSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Default size of the reserve file kept in the data directory. */
export const DEFAULT_RESERVE_BYTES = 4 * 1024 * 1024;

interface WarnLog {
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
}

/** The error new writes get while the disk is full (a Node-style ENOSPC error). */
function storageFullError(dir: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`the disk holding '${dir}' is full`);
  err.code = 'ENOSPC';
  return err;
}

/**
 * Keeps a preallocated file `<data-dir>/reserve` so that deletes can always commit on a full disk.
 * The first ENOSPC/SQLITE_FULL (or a start on a disk with less free space than twice the reserve)
 * releases the file and enters full mode: new blob writes fail fast with ENOSPC while the released
 * space stays for SQLite (WAL frames of deletes). Once deletes free at least twice the reserve,
 * the next write re-creates the reserve and leaves full mode. One warn line per full period.
 */
export class DiskReserve {
  private full = false;
  private readonly path: string;

  constructor(
    private readonly dir: string,
    private readonly log: WarnLog,
    private readonly bytes = DEFAULT_RESERVE_BYTES,
  ) {
    this.path = join(dir, 'reserve');
  }

  /** At start: create the reserve when there is room, else release it and start in full mode. */
  init(): void {
    if (existsSync(this.path) || this.create()) return;
    this.enterFull('at start-up');
  }

  get isFull(): boolean {
    return this.full;
  }

  /** Call before a new write: throws ENOSPC while the disk is still full. */
  checkWritable(): void {
    if (!this.full) return;
    if (this.freeBytes() >= 2 * this.bytes && this.create()) {
      this.full = false;
      this.log.info('disk space recovered: writes accepted again', { dataDir: this.dir });
      return;
    }
    throw storageFullError(this.dir);
  }

  /** Call with any error from a write: a disk-full error releases the reserve. */
  noteError(err: unknown): void {
    const code = (err as { code?: unknown } | undefined)?.code;
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') this.enterFull('write failed');
  }

  private enterFull(when: string): void {
    if (this.full) return;
    this.full = true;
    try {
      unlinkSync(this.path);
    } catch {
      /* not there */
    }
    this.log.warn('disk full: new writes get 507 StorageFull until deletes free space', {
      dataDir: this.dir,
      when,
      reserveBytes: this.bytes,
    });
  }

  private freeBytes(): number {
    try {
      const s = statfsSync(this.dir);
      return Number(s.bavail) * Number(s.bsize);
    } catch {
      return 0;
    }
  }

  /** Writes the reserve file (zeros, fsynced); false (and no file left) when there is no room. */
  private create(): boolean {
    if (this.freeBytes() < 2 * this.bytes) return false;
    const tmp = `${this.path}.tmp`;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        const chunk = Buffer.alloc(Math.min(this.bytes, 1024 * 1024));
        for (let written = 0; written < this.bytes;) {
          written += writeSync(fd, chunk, 0, Math.min(chunk.length, this.bytes - written));
        }
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      // rename only after the whole size is allocated
      renameSync(tmp, this.path);
      return true;
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        /* never created */
      }
      return false;
    }
  }
}
