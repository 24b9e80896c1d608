import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { mkdir, opendir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { newOpaqueId } from '../../../crypto/ids.js';
import { BlobTooLarge, type BlobPutOptions, type BlobPutResult, type BlobStore } from '../BlobStore.js';
import { blobIdPattern, fanOut } from './blobPaths.js';
import { DirSyncer } from './dirSync.js';
import { closeFile, fsyncFile, openFile, renameFile, syncDir, unlinkFile, writeFully, writevFully } from './fsCalls.js';

/** Blob files removed at the same time by one delete() (bounded: the thread pool has 4 threads by default). */
const DELETE_CONCURRENCY = 16;

export interface FsBlobStoreOptions {
  /** Directory that holds `blobs/` and `tmp/` (created if missing). */
  root: string;
  /** Bytes gathered before one write to disk and the read buffer size (default 256 KiB). */
  highWaterMark?: number;
  /** fsync files and directories (default true). Only tests of throughput may turn it off. */
  fsync?: boolean;
}

/**
 * Blobs as files: `blobs/<h>/<h>/<id>` (see blobPaths), written as `tmp/<id>` -> fsync -> rename -> fsync dir
 * (kept-open directory descriptors, group commit).
 * Bodies stream through in bounded batches; nothing is ever read whole into memory.
 */
export class FsBlobStore implements BlobStore {
  private readonly blobsDir: string;
  private readonly tmpDir: string;
  private readonly hwm: number;
  private readonly fsync: boolean;
  /** Fan-out directories known to exist (created once, then only fsynced). */
  private readonly knownDirs = new Set<string>();
  private readonly dirSync = new DirSyncer();
  private closed = false;

  constructor(opts: FsBlobStoreOptions) {
    this.blobsDir = join(opts.root, 'blobs');
    this.tmpDir = join(opts.root, 'tmp');
    this.hwm = opts.highWaterMark ?? 256 * 1024;
    this.fsync = opts.fsync ?? true;
    mkdirSync(this.blobsDir, { recursive: true });
    mkdirSync(this.tmpDir, { recursive: true });
  }

  async put(source: Readable, opts: BlobPutOptions = {}): Promise<BlobPutResult> {
    if (this.closed) throw new Error('blob store is closed');
    const blobId = newOpaqueId();
    const tmpPath = join(this.tmpDir, blobId);
    const hash = opts.md5 ? createHash('md5') : undefined;
    const max = opts.maxBytes ?? Number.POSITIVE_INFINITY;
    let size = 0;
    let fd: number | undefined = await openFile(tmpPath, 'wx');
    try {
      let batch: Buffer[] = [];
      let batchBytes = 0;
      for await (const chunk of source) {
        const buf: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        size += buf.length;
        if (size > max) throw new BlobTooLarge(max);
        hash?.update(buf);
        batch.push(buf);
        batchBytes += buf.length;
        if (batchBytes >= this.hwm) {
          await (batch.length === 1 ? writeFully(fd, batch[0]!) : writevFully(fd, batch));
          batch = [];
          batchBytes = 0;
        }
      }
      if (batchBytes > 0) await (batch.length === 1 ? writeFully(fd, batch[0]!) : writevFully(fd, batch));
      if (this.fsync) await fsyncFile(fd);
      const closing = fd;
      fd = undefined;
      await closeFile(closing);
      const [dir, finalPath] = this.pathsOf(blobId);
      await this.ensureDir(dir);
      await renameFile(tmpPath, finalPath);
      if (this.fsync) await this.dirSync.sync(dir);
    } catch (err) {
      if (fd !== undefined) await closeFile(fd).catch(() => undefined);
      await unlinkFile(tmpPath).catch(() => undefined);
      if (!source.destroyed) source.destroy();
      throw err;
    }
    return { blobId, size, ...(hash ? { md5: hash.digest() } : {}) };
  }

  get(blobId: string, range?: { start: number; end: number }): Readable {
    const [, path] = this.pathsOf(blobId);
    if (range && (range.start < 0 || range.end < range.start)) {
      throw new RangeError(`invalid blob range ${range.start}-${range.end} for blob ${blobId}`);
    }
    return createReadStream(path, { highWaterMark: this.hwm, ...(range ? { start: range.start, end: range.end } : {}) });
  }

  /**
   * Up to DELETE_CONCURRENCY unlinks in flight (a DeleteObjects of 1000 keys is not 1000 pool round
   * trips one after another). Every id is checked before any file is removed; a failure does not
   * stop the other removals, and the first one is thrown once they are all done.
   */
  async delete(blobIds: readonly string[]): Promise<void> {
    const paths = blobIds.map((id) => this.pathsOf(id)[1]);
    let next = 0;
    let failure: unknown;
    const worker = async (): Promise<void> => {
      while (next < paths.length) {
        const path = paths[next++]!;
        try {
          await unlinkFile(path);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') failure ??= err;
        }
      }
    };
    const workers: Promise<void>[] = [];
    for (let i = 0; i < Math.min(DELETE_CONCURRENCY, paths.length); i++) workers.push(worker());
    await Promise.all(workers);
    if (failure !== undefined) throw failure;
  }

  async *list(): AsyncIterable<{ blobId: string; mtimeMs: number }> {
    for await (const a of await opendir(this.blobsDir)) {
      if (!a.isDirectory()) continue;
      for await (const b of await opendir(join(this.blobsDir, a.name))) {
        if (!b.isDirectory()) continue;
        const dir = join(this.blobsDir, a.name, b.name);
        for await (const f of await opendir(dir)) {
          if (!f.isFile() || !blobIdPattern.test(f.name)) continue;
          const st = await stat(join(dir, f.name)).catch(() => undefined);
          if (st) yield { blobId: f.name, mtimeMs: st.mtimeMs };
        }
      }
    }
  }

  async removeStaleTemp(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for await (const f of await opendir(this.tmpDir)) {
      const path = join(this.tmpDir, f.name);
      const st = await stat(path).catch(() => undefined);
      if (!st || st.mtimeMs > cutoff) continue;
      await rm(path, { force: true, recursive: true });
      removed++;
    }
    return removed;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.dirSync.close();
  }

  private pathsOf(blobId: string): [dir: string, path: string] {
    if (!blobIdPattern.test(blobId)) throw new Error(`not a blob id: ${JSON.stringify(blobId)}`);
    const dir = join(this.blobsDir, ...fanOut(blobId));
    return [dir, join(dir, blobId)];
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.knownDirs.has(dir)) return;
    const created = await mkdir(dir, { recursive: true });
    if (created !== undefined && this.fsync) {
      // New directories must themselves be durable entries of their parents.
      await syncDir(join(dir, '..'));
      await syncDir(join(dir, '..', '..'));
    }
    this.knownDirs.add(dir);
  }
}
