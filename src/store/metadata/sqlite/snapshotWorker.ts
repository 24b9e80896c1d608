/**
 * Worker thread of snapshotDatabase (snapshot.ts): copies a live SQLite database with the backup API
 * in one step, i.e. under one read transaction, so the copy is one consistent snapshot while the
 * server's own connection keeps committing (WAL readers never block writers). Runs off the main
 * thread so the server's event loop is not blocked while pages are copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { source, destination } = workerData as { source: string; destination: string };
const db = new Database(source, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
// The first step only learns the page count; the progress answer makes the second step copy every page.
db.backup(destination, { progress: () => 0x7fffffff })
  .then((p) => {
    db.close();
    parentPort?.postMessage({ pages: p.totalPages });
  })
  .catch((err: unknown) => {
    db.close();
    parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
  });
