import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, opendir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { newOpaqueId } from '../../../crypto/ids.js';
import {
  BlobTooLarge,
  type BlobPutOptions,
  type BlobPutResult,
  type BlobStore,
} from '../../../domain/ports/BlobStore.js';
import { blobIdPattern, fanOut } from './blobPaths.js';
import { BlobReader } from './blobReader.js';
import { ReadBufferPool } from './readBufferPool.js';
import { DirSyncer } from '../../fs/dirSync.js';
import { closeFile, fsyncFile, openFile, renameFile, syncDir, unlinkFile } from '../../fs/fsPromised.js';
import { writeBody } from './writeBody.js';

/** Idle read buffers kept for reuse (16 × 1 MiB by default). */
const IDLE_READ_BUFFERS = 16;

/** Blob files removed at the same time by one delete() (bounded: the thread pool has 4 threads by default). */
const DELETE_CONCURRENCY = 16;

/** Age past which another node's temporary file is removed (see removeStaleTemp). */
const OTHER_NODE_TEMP_GRACE_MS = 10 * 60_000;

/** Removes the entries of `dir` last modified before `cutoff` (ms since the epoch); a missing `dir` has none. */
async function removeOlderThan(dir: string, cutoff: number): Promise<number> {
  let removed = 0;
  const entries = await opendir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!entries) return 0;
  for await (const f of entries) {
    const path = join(dir, f.name);
    const st = await stat(path).catch(() => undefined);
    // mtimeMs has sub-millisecond digits, Date.now() none: a file written in the cutoff's millisecond is old enough.
    if (!st || Math.floor(st.mtimeMs) > cutoff) continue;
    await rm(path, { force: true, recursive: true });
    removed++;
  }
  return removed;
}

export interface FsBlobStoreOptions {
  /** Directory that holds `blobs/` and `tmp/` (created if missing). */
  root: string;
  /** Full-disk guard: checked before each new blob, told of each failed write. */
  reserve?: { checkWritable(): void; noteError(err: unknown): void };
  /**
   * Bytes gathered before one write to disk, and the largest read (default 1 MiB): a body up to
   * this size is written with one writev and read back with one read. Bounds the memory of one
   * request's body in the store.
   */
  highWaterMark?: number;
  /** fsync files and directories (default true). Only tests of throughput may turn it off. */
  fsync?: boolean;
  /**
   * Several nodes sharing `root`: this node's temporary files go to `tmp/<nodeId>/`, and its
   * start-up and sweep clean only those. Absent (one node): `tmp/` itself.
   */
  nodeId?: string;
  /** Told of every blob made durable and of every blob file removed (the server's metrics). */
  observer?: BlobObserver;
}

export interface BlobObserver {
  written(bytes: number): void;
  deleted(count: number): void;
}

/**
 * Blobs as files: `blobs/<h>/<h>/<id>` (see blobPaths), written as `tmp/<id>` -> fsync -> rename -> fsync dir
 * (kept-open directory descriptors, group commit).
 * Bodies stream through in bounded batches; nothing is ever read whole into memory.
 */
export class FsBlobStore implements BlobStore {
  private readonly blobsDir: string;
  private readonly tmpDir: string;
  /** `tmp/`: this node's directory, or the parent of every node's directory. */
  private readonly tmpRoot: string;
  private readonly hwm: number;
  private readonly fsync: boolean;
  /** Fan-out directories known to exist (created once, then only fsynced). */
  private readonly knownDirs = new Set<string>();
  private readonly dirSync = new DirSyncer();
  private readonly readBuffers: ReadBufferPool;
  private closed = false;
  private readonly reserve: FsBlobStoreOptions['reserve'];
  private readonly observer: BlobObserver | undefined;

  constructor(opts: FsBlobStoreOptions) {
    this.blobsDir = join(opts.root, 'blobs');
    this.tmpRoot = join(opts.root, 'tmp');
    this.tmpDir = opts.nodeId === undefined ? this.tmpRoot : join(this.tmpRoot, opts.nodeId);
    this.hwm = opts.highWaterMark ?? 1024 * 1024;
    this.fsync = opts.fsync ?? true;
    this.readBuffers = new ReadBufferPool(this.hwm, IDLE_READ_BUFFERS);
    this.reserve = opts.reserve;
    this.observer = opts.observer;
    mkdirSync(this.blobsDir, { recursive: true, mode: 0o700 });
    mkdirSync(this.tmpDir, { recursive: true, mode: 0o700 });
  }

  async put(source: Readable, opts: BlobPutOptions = {}): Promise<BlobPutResult> {
    if (this.closed) throw new Error('blob store is closed');
    const blobId = newOpaqueId();
    const tmpPath = join(this.tmpDir, blobId);
    const hash = opts.md5 ? createHash('md5') : undefined;
    const max = opts.maxBytes ?? Number.POSITIVE_INFINITY;
    let size = 0;
    this.reserve?.checkWritable();
    let fd: number | undefined;
    try {
      fd = await openFile(tmpPath, 'wx');
      await writeBody(source, fd, this.hwm, (buf) => {
        size += buf.length;
        if (size > max) throw new BlobTooLarge(max);
        hash?.update(buf);
      });
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
      this.reserve?.noteError(err);
      if (!source.destroyed) source.destroy();
      throw err;
    }
    this.observer?.written(size);
    return { blobId, size, ...(hash ? { md5: hash.digest() } : {}) };
  }

  assertWritable(): void {
    this.reserve?.checkWritable();
  }

  get(blobId: string, range?: { start: number; end: number }): Readable {
    const [, path] = this.pathsOf(blobId);
    if (range && (range.start < 0 || range.end < range.start)) {
      throw new RangeError(`invalid blob range ${range.start}-${range.end} for blob ${blobId}`);
    }
    return range
      ? new BlobReader(path, range.start, range.end + 1, this.readBuffers)
      : new BlobReader(path, 0, Number.POSITIVE_INFINITY, this.readBuffers);
  }

  /**
   * Up to DELETE_CONCURRENCY unlinks in flight (a DeleteObjects of 1000 keys is not 1000 pool round
   * trips one after another). Every id is checked before any file is removed; a failure does not
   * stop the other removals, and the first one is thrown once they are all done.
   */
  async delete(blobIds: readonly string[]): Promise<void> {
    const paths = blobIds.map((id) => this.pathsOf(id)[1]);
    let next = 0;
    let failure: NodeJS.ErrnoException | undefined;
    let removed = 0;
    const worker = async (): Promise<void> => {
      while (next < paths.length) {
        const path = paths[next++];
        try {
          await unlinkFile(path);
          removed++;
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          if (e.code !== 'ENOENT') failure ??= e;
        }
      }
    };
    const workers: Promise<void>[] = [];
    for (let i = 0; i < Math.min(DELETE_CONCURRENCY, paths.length); i++) workers.push(worker());
    await Promise.all(workers);
    if (removed > 0) this.observer?.deleted(removed);
    if (failure !== undefined) throw failure;
  }

  async *list(): AsyncIterable<{ blobId: string; mtimeMs: number; size: number }> {
    for await (const a of await opendir(this.blobsDir)) {
      if (!a.isDirectory()) continue;
      for await (const b of await opendir(join(this.blobsDir, a.name))) {
        if (!b.isDirectory()) continue;
        const dir = join(this.blobsDir, a.name, b.name);
        for await (const f of await opendir(dir)) {
          if (!f.isFile() || !blobIdPattern.test(f.name)) continue;
          const st = await stat(join(dir, f.name)).catch(() => undefined);
          if (st) yield { blobId: f.name, mtimeMs: st.mtimeMs, size: st.size };
        }
      }
    }
  }

  /**
   * With a node id, the temporary files of the other nodes (`tmp/<other>/`) are removed too once they
   * are older than OTHER_NODE_TEMP_GRACE_MS (or `olderThanMs`, if longer): a node that died is never
   * the one to clean its own directory. A live node's write touches its file with every batch, and a
   * stalled body is cut by the idle timeout long before, so such a file belongs to no write in flight.
   * The directories themselves stay: their nodes create them once, at start-up.
   */
  async removeStaleTemp(olderThanMs: number): Promise<number> {
    let removed = await removeOlderThan(this.tmpDir, Date.now() - olderThanMs);
    if (this.tmpRoot === this.tmpDir) return removed;
    const cutoff = Date.now() - Math.max(olderThanMs, OTHER_NODE_TEMP_GRACE_MS);
    for await (const d of await opendir(this.tmpRoot)) {
      const dir = join(this.tmpRoot, d.name);
      if (!d.isDirectory() || dir === this.tmpDir) continue;
      removed += await removeOlderThan(dir, cutoff);
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
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    if (created !== undefined && this.fsync) {
      // New directories must themselves be durable entries of their parents.
      await syncDir(join(dir, '..'));
      await syncDir(join(dir, '..', '..'));
    }
    this.knownDirs.add(dir);
  }
}
