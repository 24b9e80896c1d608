import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { RecyclingReadable } from '../../../domain/ports/BlobStore.js';
import type { ReadBufferPool } from './readBufferPool.js';

/** Reads shorter than this get their own small buffer instead of a pooled one. */
const MIN_POOLED_READ = 64 * 1024;

/**
 * A Readable of the bytes [start, end) of a blob file: one `open`, then `read`s of up to the pool's
 * buffer size (a body up to that size is one read and one chunk), then `close`. Chunks are views
 * of pooled buffers; a consumer that calls `release(chunk)` once it is done with the bytes lets
 * the next read reuse the memory. Unlike fs.ReadStream it fails — instead of ending short — when
 * the file ends before `end`. Backpressure bounds memory: one buffer ahead of the consumer.
 */
export class BlobReader extends Readable implements RecyclingReadable {
  private fd: number | undefined;
  private pos: number;
  /** A read is in flight: the descriptor is closed only after it returns. */
  private reading = false;
  private pendingDestroy: (() => void) | undefined;

  /** `end` is exclusive; Infinity reads to the end of the file. */
  constructor(
    private readonly path: string,
    start: number,
    private readonly end: number,
    private readonly pool: ReadBufferPool,
  ) {
    super({ highWaterMark: pool.size });
    this.pos = start;
  }

  override _construct(callback: (err?: Error | null) => void): void {
    fs.open(this.path, 'r', (err, fd) => {
      if (err) return callback(err);
      this.fd = fd;
      callback();
    });
  }

  override _read(): void {
    const want = Math.min(this.pool.size, this.end - this.pos);
    if (want <= 0) {
      this.push(null);
      return;
    }
    const buf = want >= MIN_POOLED_READ ? this.pool.take() : Buffer.allocUnsafe(want);
    this.reading = true;
    fs.read(this.fd!, buf, 0, want, this.pos, (err, n) => {
      this.reading = false;
      if (this.pendingDestroy) return this.pendingDestroy();
      if (err) return this.destroy(err);
      if (n === 0) {
        if (this.end === Number.POSITIVE_INFINITY) this.push(null);
        else this.destroy(new Error(`blob file ${this.path} ended at byte ${this.pos}, before byte ${this.end}`));
        return;
      }
      this.pos += n;
      this.push(n === buf.length ? buf : buf.subarray(0, n));
      if (this.pos >= this.end) this.push(null);
    });
  }

  release(chunk: Buffer): void {
    this.pool.release(chunk);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    const close = () => {
      const fd = this.fd;
      this.fd = undefined;
      if (fd === undefined) return callback(err);
      fs.close(fd, (closeErr) => callback(err ?? closeErr));
    };
    if (this.reading) this.pendingDestroy = close;
    else close();
  }
}
