import { Worker } from 'node:worker_threads';

/**
 * Copies the SQLite database at `source` into the new file `destination` as one consistent snapshot
 * (SQLite's online backup API, in a worker thread: see snapshotWorker.ts). Resolves with the number
 * of database pages copied. Bounded: a worker that answers nothing within `timeoutMs` is stopped.
 */
export function snapshotDatabase(
  source: string,
  destination: string,
  timeoutMs = 60 * 60_000,
): Promise<{ pages: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./snapshotWorker.js', import.meta.url), { workerData: { source, destination } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the metadata snapshot did not finish within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    worker.once('message', (m: { pages?: number; error?: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (m.error !== undefined) reject(new Error(`metadata snapshot failed: ${m.error}`));
      else resolve({ pages: m.pages ?? 0 });
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
