/** Counts blob files (and unfinished temp files) in a data directory, by the blob id pattern. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const BLOB_ID = /^[A-Za-z0-9_-]{32}$/;

export function countBlobFiles(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += countBlobFiles(join(dir, entry.name));
    else if (BLOB_ID.test(entry.name)) n++;
  }
  return n;
}
