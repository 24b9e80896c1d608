import pg from 'pg';
import { connectionConfig } from '../sql.js';

interface SessionLog {
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * One dedicated connection that a node keeps open (LISTEN, a session advisory lock) and opens
 * again when it breaks: `onOpen` runs on every new connection, `onLost` when one breaks. Retries
 * every `retryMs` until closed; no query waits on it.
 */
export class DedicatedSession {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly schema: string | undefined,
    private readonly what: string,
    private readonly log: SessionLog | undefined,
    private readonly hooks: {
      onOpen(client: pg.Client): Promise<void>;
      onLost(): void;
      onNotification?(msg: pg.Notification): void;
    },
    private readonly retryMs = 500,
  ) {}

  /** Opens the first connection; if the database cannot be reached now, rejects and keeps retrying. */
  async start(): Promise<void> {
    try {
      await this.open();
    } catch (err) {
      this.schedule();
      throw err;
    }
  }

  get current(): pg.Client | undefined {
    return this.client;
  }

  private async open(): Promise<void> {
    const client = new pg.Client(connectionConfig(this.url, this.schema));
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.log?.warn(`${this.what}: database connection lost, reconnecting`, err ? { err } : {});
      this.hooks.onLost();
      this.schedule();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    const hooks = this.hooks;
    if (hooks.onNotification) client.on('notification', (msg) => hooks.onNotification?.(msg));
    await client.connect();
    try {
      await this.hooks.onOpen(client);
    } catch (err) {
      lost = true;
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.open().then(
        () => this.log?.info(`${this.what}: database connection restored`),
        () => this.schedule(),
      );
    }, this.retryMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }
}
