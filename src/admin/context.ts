import type { SecretBox } from '../crypto/secretBox.js';
import type { MetadataStore } from '../domain/ports/MetadataStore.js';
import type { DeletionHold } from '../store/blob/deletionHold.js';

/**
 * What an operator task (backup, verify, rotate-master-key) works with. Inside a running server it is
 * the server's own stores and secret box (the task is asked for over the admin socket, admin/socket.ts);
 * with no server, `sailbucket <task>` takes the data-directory lock and builds one (admin/local.ts).
 */
export interface AdminContext {
  dataDir: string;
  /** `<data-dir>/metadata.db`, read by snapshots on their own connections. */
  metadataPath: string;
  /** `<data-dir>/blobs`: the file-system blob store's root. */
  blobRoot: string;
  store: MetadataStore;
  blobs: DeletionHold;
  /** The box the server opens bucket key secrets with (undefined: no master key is available). */
  secretBox: SecretBox | undefined;
  masterKeyFromEnv: boolean;
}

/** Progress lines and the final answer of a task. */
export interface TaskOutput {
  progress(line: string): void;
}

export interface TaskResult {
  /** Lines for stdout (the summary). */
  summary: string[];
  /** true: the task found problems (verify) — the command exits 1. */
  problems: boolean;
}

/** A progress reporter that says something at most every `everyMs` (and always when `force`). */
export function throttled(out: TaskOutput, everyMs = 1000): (line: () => string, force?: boolean) => void {
  let last = 0;
  return (line, force = false) => {
    const now = Date.now();
    if (!force && now - last < everyMs) return;
    last = now;
    out.progress(line());
  };
}
