import fs from 'node:fs';

/**
 * The callback fs API wrapped in promises: one thread-pool hop per call and far less overhead per
 * call than fs/promises FileHandle, which matters for small objects (several calls per PUT).
 */
const call = <T>(f: (cb: (err: NodeJS.ErrnoException | null, r: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => f((err, r) => (err ? reject(err) : resolve(r))));

export const openFile = (path: string, flags: string): Promise<number> =>
  call<number>((cb) => fs.open(path, flags, 0o600, cb));
export const closeFile = (fd: number): Promise<void> => call<void>((cb) => fs.close(fd, (e) => cb(e, undefined)));
export const fsyncFile = (fd: number): Promise<void> => call<void>((cb) => fs.fsync(fd, (e) => cb(e, undefined)));
export const renameFile = (from: string, to: string): Promise<void> =>
  call<void>((cb) => fs.rename(from, to, (e) => cb(e, undefined)));
export const unlinkFile = (path: string): Promise<void> => call<void>((cb) => fs.unlink(path, (e) => cb(e, undefined)));

export async function writeFully(fd: number, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    off += await call<number>((cb) => fs.write(fd, buf, off, buf.length - off, null, cb));
  }
}

/** Writes every buffer, in order, with one writev per pool hop (no concatenation copy); retries short writes. */
export async function writevFully(fd: number, bufs: Buffer[]): Promise<void> {
  let rest = bufs;
  while (rest.length > 0) {
    const list = rest;
    let n = await call<number>((cb) => fs.writev(fd, list, null, cb));
    let i = 0;
    while (i < list.length && n >= list[i].length) n -= list[i++].length;
    rest = list.slice(i);
    if (n > 0) rest[0] = rest[0].subarray(n);
  }
}

/** fsync of a directory, so a rename or a new entry in it is durable. */
export async function syncDir(dir: string): Promise<void> {
  const fd = await openFile(dir, 'r');
  try {
    await fsyncFile(fd);
  } finally {
    await closeFile(fd);
  }
}
