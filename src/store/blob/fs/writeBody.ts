import type { Readable } from 'node:stream';
import { writeFully, writevFully } from '../../fs/fsPromised.js';

/** Writes and streams fail with Errors; anything else thrown by `onChunk` is wrapped so callers always get one. */
const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * Writes every chunk of `source` to `fd`, in order, in batches of at least `batchBytes` (one
 * writev each, the last one smaller). Chunks arrive as 'data' events, so each one is seen once
 * and never concatenated (a Readable's read() would copy everything buffered into one buffer).
 * One batch is written while the next one gathers; the source is paused only when that next
 * batch is full too, so memory stays within about two batches. `onChunk` sees each chunk first
 * (counting, hashing) and may throw to stop. Resolves after the last write; rejects on the first
 * failure (source error, premature close, onChunk, write) with the listeners removed, and never
 * while a write is still in flight (the caller closes `fd` next).
 */
export function writeBody(
  source: Readable,
  fd: number,
  batchBytes: number,
  onChunk: (chunk: Buffer) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let batch: Buffer[] = [];
    let bytes = 0;
    let writing = false;
    let paused = false;
    let ended = false;
    let settled = false;
    let failure: { err: Error } | undefined;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', finish);
      source.off('close', onClose);
      if (err === undefined) resolve();
      else if (writing)
        failure = { err }; // rejected once the write returns
      else reject(err);
    };
    const flush = () => {
      if (writing || settled) return;
      if (bytes === 0 || (!ended && bytes < batchBytes)) {
        if (ended && bytes === 0) finish();
        return;
      }
      const list = batch;
      batch = [];
      bytes = 0;
      writing = true;
      if (paused) {
        paused = false;
        source.resume();
      }
      (list.length === 1 ? writeFully(fd, list[0]) : writevFully(fd, list)).then(
        () => {
          writing = false;
          if (failure) reject(failure.err);
          else flush();
        },
        (err: unknown) => {
          writing = false;
          if (failure) reject(failure.err);
          else finish(asError(err));
        },
      );
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      try {
        onChunk(buf);
      } catch (err) {
        finish(asError(err));
        return;
      }
      batch.push(buf);
      bytes += buf.length;
      if (bytes < batchBytes) return;
      if (!writing) flush();
      else if (!paused) {
        paused = true;
        source.pause();
      }
    };
    const onEnd = () => {
      ended = true;
      flush();
    };
    const premature = () =>
      Object.assign(new Error('the body stream closed before its end'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
    const onClose = () => {
      if (!ended) finish(source.errored ?? premature());
    };
    if (source.destroyed) {
      reject(source.errored ?? premature());
      return;
    }
    source.on('error', finish);
    source.on('end', onEnd);
    source.on('close', onClose);
    source.on('data', onData);
  });
}
