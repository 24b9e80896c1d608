import type { ChangeFeed } from '../../domain/ports/ChangeFeed.js';

/**
 * The change feed of the embedded server: one process, which invalidates its own caches as it
 * commits, so there is nobody to tell and nobody to hear from.
 */
export class LocalChangeFeed implements ChangeFeed {
  publish(): void {
    // The only process already applied the change.
  }

  subscribe(): void {
    // No other process publishes.
  }

  async close(): Promise<void> {}
}
