import { lockKey } from '../sql.js';
import { DedicatedSession } from './session.js';

/**
 * Leadership among the nodes sharing a database: whoever holds a session advisory lock leads.
 * The lock is tried every `checkMs` on a dedicated connection; a leader also checks that its
 * connection is alive at that pace. When the leader dies or loses its connection, PostgreSQL
 * releases the lock with the session, and another node takes over within about `checkMs`.
 */
export class PgLeaderLock {
  private readonly key: string;
  private readonly session: DedicatedSession;
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private hooks: { gain(): void; lose(): void } | undefined;

  constructor(
    url: string,
    schema: string | undefined,
    log: ConstructorParameters<typeof DedicatedSession>[3],
    private readonly checkMs = 2_000,
  ) {
    this.key = lockKey(`sailbucket:leader:${schema ?? ''}`);
    this.session = new DedicatedSession(url, schema, 'leader lock', log, {
      onOpen: async () => undefined,
      onLost: () => this.setLeading(false),
    });
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Starts campaigning: `gain` when this node becomes the leader, `lose` when it stops being one. */
  async run(hooks: { gain(): void; lose(): void }): Promise<void> {
    this.hooks = hooks;
    // Unreachable now: the session keeps retrying, and the checks below campaign once it is back.
    await this.session.start().catch(() => undefined);
    await this.check();
    this.timer = setInterval(() => void this.check(), this.checkMs);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    const client = this.session.current;
    if (!client) return;
    try {
      if (this.leading) {
        await client.query('SELECT 1');
        return;
      }
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [this.key]);
      if (r.rows[0]?.ok) this.setLeading(true);
    } catch {
      // The session reports the broken connection (and the loss of leadership) itself.
    }
  }

  private setLeading(on: boolean): void {
    if (on === this.leading) return;
    this.leading = on;
    if (on) this.hooks?.gain();
    else this.hooks?.lose();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.setLeading(false);
    await this.session.close();
  }
}
