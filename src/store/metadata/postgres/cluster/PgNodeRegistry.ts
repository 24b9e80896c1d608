import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectionConfig } from '../sql.js';

/** A node whose heartbeat is older than this is taken for dead, and its id may be claimed again. */
export const NODE_STALE_MS = 15_000;
const HEARTBEAT_MS = 5_000;

/** The node id is taken by a live node. */
export class NodeIdInUse extends Error {
  override readonly name = 'NodeIdInUse';
}

/**
 * The live nodes of an installation (table `nodes`): a node claims its id at start (refused while
 * another live process holds it: their temporary files would mix), renews a heartbeat every 5 s
 * and removes its row on a clean stop. Times come from the database's clock, so node clocks may
 * differ.
 */
export class PgNodeRegistry {
  private readonly instance = randomBytes(8).toString('hex');
  private readonly pool: pg.Pool;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    url: string,
    schema: string | undefined,
    private readonly nodeId: string,
  ) {
    this.pool = new pg.Pool({ ...connectionConfig(url, schema), max: 1 });
    this.pool.on('error', () => undefined);
  }

  async claim(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const now = 'CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)';
      const held = await client.query<{ age: number }>(
        `SELECT ${now} - heartbeat_at AS age FROM nodes WHERE node_id = $1 FOR UPDATE`,
        [this.nodeId],
      );
      const age = held.rows[0]?.age;
      if (age !== undefined && age < NODE_STALE_MS) {
        await client.query('ROLLBACK');
        throw new NodeIdInUse(
          `node id '${this.nodeId}' is in use by a live node (heartbeat ${Math.max(0, Math.round(age / 1000))} s ago): give every node its own --node-id`,
        );
      }
      await client.query(
        `INSERT INTO nodes (node_id, instance, started_at, heartbeat_at) VALUES ($1, $2, ${now}, ${now})
         ON CONFLICT (node_id) DO UPDATE SET instance = excluded.instance, started_at = excluded.started_at,
         heartbeat_at = excluded.heartbeat_at`,
        [this.nodeId, this.instance],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    this.timer = setInterval(() => {
      this.pool
        .query(
          `UPDATE nodes SET heartbeat_at = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)
           WHERE node_id = $1 AND instance = $2`,
          [this.nodeId, this.instance],
        )
        .catch(() => undefined);
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.pool
      .query('DELETE FROM nodes WHERE node_id = $1 AND instance = $2', [this.nodeId, this.instance])
      .catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
