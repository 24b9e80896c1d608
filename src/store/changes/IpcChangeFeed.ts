import { isCacheInvalidation, type CacheInvalidation, type ChangeFeed } from '../../domain/ports/ChangeFeed.js';

/** The IPC message that carries one invalidation (worker → primary → every other worker). */
export const CHANGE_MESSAGE = 'sailbucket:change';

export interface ChangeMessage {
  type: typeof CHANGE_MESSAGE;
  change: CacheInvalidation;
}

export const isChangeMessage = (m: unknown): m is ChangeMessage =>
  typeof m === 'object' &&
  m !== null &&
  (m as { type?: unknown }).type === CHANGE_MESSAGE &&
  isCacheInvalidation((m as { change?: unknown }).change);

/** The IPC channel to the primary: a node:cluster worker's `process`, or a stand-in in tests. */
export interface IpcChannel {
  send?(message: unknown, sendHandle?: undefined, options?: undefined, callback?: (err: Error | null) => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/**
 * The change feed of `serve --workers N`: a worker sends its invalidations to the primary over the
 * cluster's IPC channel, and the primary relays each one to every other worker (src/workers/
 * supervisor.ts), so within milliseconds. The primary does not relay a message back to its sender.
 * A message lost with a dying worker is bounded by the caches' TTL (1 s with workers); a worker
 * that starts has empty caches, so it has missed nothing.
 */
export class IpcChangeFeed implements ChangeFeed {
  private readonly listeners: ((change: CacheInvalidation) => void)[] = [];
  private closed = false;

  constructor(private readonly channel: IpcChannel) {
    channel.on('message', this.receive);
  }

  publish(change: CacheInvalidation): void {
    if (this.closed || !this.channel.send) return;
    const message: ChangeMessage = { type: CHANGE_MESSAGE, change };
    // With a callback, a closed channel (the primary is stopping us) is an error passed here, not an 'error' event.
    this.channel.send(message, undefined, undefined, () => undefined);
  }

  subscribe(listener: (change: CacheInvalidation) => void): void {
    this.listeners.push(listener);
  }

  private readonly receive = (message: unknown): void => {
    if (this.closed || !isChangeMessage(message)) return;
    for (const l of this.listeners) l(message.change);
  };

  async close(): Promise<void> {
    this.closed = true;
    this.channel.off('message', this.receive);
  }
}
