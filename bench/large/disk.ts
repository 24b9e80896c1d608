/**
 * The disk under the temp directory, measured with dd: a write of the same size in 8 MiB blocks
 * ended by fdatasync (what a durable server must at least pay), and a read of that file after the
 * page cache is dropped (`echo 3 > /proc/sys/vm/drop_caches`, root only; otherwise the read is from
 * the page cache and says so).
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DiskResult {
  writeMBps: number;
  writeSeconds: number;
  readMBps: number;
  readSeconds: number;
  /** True when the page cache was dropped before the read (a read from the device). */
  readCold: boolean;
  /** Why the cache could not be dropped, when it could not. */
  readNote?: string;
}

const MiB = 1024 * 1024;

function dd(args: string[], timeoutMs: number): { bytes: number; seconds: number } {
  const r = spawnSync('dd', args, { encoding: 'utf8', timeout: timeoutMs });
  if (r.error) throw new Error(`dd ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`dd ${args.join(' ')} exited with ${r.status}: ${(r.stderr ?? '').trim()}`);
  // "1073741824 bytes (1.1 GB, 1.0 GiB) copied, 2.34 s, 458 MB/s"
  const m = /^(\d+) bytes .* copied, ([\d.,e+-]+) s/m.exec(r.stderr ?? '');
  if (!m) throw new Error(`cannot read dd's summary line: '${(r.stderr ?? '').trim()}'`);
  return { bytes: Number(m[1]), seconds: Number(m[2].replace(',', '.')) };
}

function dropCaches(): string | undefined {
  spawnSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return undefined;
  } catch (err) {
    return `page cache not dropped (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): the read is from memory`;
  }
}

export function measureDisk(dir: string, mib: number, timeoutMs: number): DiskResult {
  const file = join(dir, 'dd.bin');
  const blocks = Math.max(1, Math.ceil(mib / 8));
  try {
    const w = dd(['if=/dev/zero', `of=${file}`, 'bs=8M', `count=${blocks}`, 'conv=fdatasync'], timeoutMs);
    const readNote = dropCaches();
    const r = dd([`if=${file}`, 'of=/dev/null', 'bs=8M'], timeoutMs);
    if (r.bytes !== blocks * 8 * MiB)
      throw new Error(`dd read ${r.bytes} bytes of ${file}, expected ${blocks * 8 * MiB}`);
    return {
      writeMBps: w.bytes / 1e6 / w.seconds,
      writeSeconds: w.seconds,
      readMBps: r.bytes / 1e6 / r.seconds,
      readSeconds: r.seconds,
      readCold: readNote === undefined,
      ...(readNote !== undefined ? { readNote } : {}),
    };
  } finally {
    rmSync(file, { force: true });
  }
}
