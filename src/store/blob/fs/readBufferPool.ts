/**
 * Reusable read buffers of one size for blob reads: a GET of a 1 MiB object no longer allocates
 * (and makes the garbage collector reclaim) a fresh 1 MiB buffer per request. A buffer goes back
 * to the pool only when its consumer releases a chunk of it (e.g. once the socket wrote it); one
 * never released is garbage collected like any other. At most `maxFree` buffers are kept idle.
 */
export class ReadBufferPool {
  private readonly free: Buffer[] = [];
  /** Memory currently handed out by take(), so a release of anything else is ignored. */
  private readonly lent = new WeakSet<ArrayBufferLike>();

  constructor(
    readonly size: number,
    private readonly maxFree: number,
  ) {}

  take(): Buffer {
    const buf = this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
    this.lent.add(buf.buffer);
    return buf;
  }

  /** `chunk` (the buffer take() gave, or a view of it) is no longer read by anyone. */
  release(chunk: Uint8Array): void {
    const memory = chunk.buffer;
    if (!this.lent.delete(memory) || this.free.length >= this.maxFree) return;
    this.free.push(Buffer.from(memory, 0, this.size));
  }
}
