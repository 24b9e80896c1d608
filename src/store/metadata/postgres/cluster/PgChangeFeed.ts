import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { isCacheInvalidation, type CacheInvalidation, type ChangeFeed } from '../../../../domain/ports/ChangeFeed.js';
import { lockKey } from '../sql.js';
import { DedicatedSession } from './session.js';

/**
 * The change feed over PostgreSQL LISTEN/NOTIFY: one dedicated connection per node listens on the
 * installation's channel and sends its own changes with pg_notify (delivered to every listening
 * session within milliseconds). Messages carry this process's instance id, so its own come back
 * and are ignored. When the connection breaks, messages may be missed: on reconnecting, the
 * listeners get `all` (drop every cached record).
 */
export class PgChangeFeed implements ChangeFeed {
  private readonly channel: string;
  private readonly instance = randomBytes(8).toString('hex');
  private readonly listeners: ((change: CacheInvalidation) => void)[] = [];
  private readonly session: DedicatedSession;
  private opened = false;

  constructor(url: string, schema: string | undefined, log?: ConstructorParameters<typeof DedicatedSession>[3]) {
    this.channel = `sailbucket_changes_${lockKey(`changes:${schema ?? ''}`).replace('-', 'm')}`;
    this.session = new DedicatedSession(url, schema, 'change feed', log, {
      onOpen: async (client) => {
        await client.query(`LISTEN ${this.channel}`);
        if (this.opened) this.deliver({ kind: 'all' });
        this.opened = true;
      },
      onLost: () => undefined,
      onNotification: (msg) => this.receive(msg),
    });
  }

  start(): Promise<void> {
    return this.session.start();
  }

  publish(change: CacheInvalidation): void {
    const client = this.session.current;
    if (!client) return;
    const payload = JSON.stringify({ from: this.instance, change });
    client.query('SELECT pg_notify($1, $2)', [this.channel, payload]).catch(() => undefined);
  }

  subscribe(listener: (change: CacheInvalidation) => void): void {
    this.listeners.push(listener);
  }

  private receive(msg: pg.Notification): void {
    if (msg.channel !== this.channel || msg.payload === undefined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(msg.payload);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const { from, change } = parsed as { from?: unknown; change?: unknown };
    if (from === this.instance || !isCacheInvalidation(change)) return;
    this.deliver(change);
  }

  private deliver(change: CacheInvalidation): void {
    for (const l of this.listeners) l(change);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
