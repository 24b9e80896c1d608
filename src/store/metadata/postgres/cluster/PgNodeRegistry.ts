import { randomBytes } from 'node:crypto';
import { lockKey } from '../sql.js';
import { DedicatedSession } from './session.js';

/** The node id is taken by a live node. */
export class NodeIdInUse extends Error {
  override readonly name = 'NodeIdInUse';
}

/**
 * The live nodes of an installation. A node holds a session advisory lock on its id for as long
 * as it runs, on a dedicated connection: a second process with the same id is refused at start
 * (their temporary files would mix), and when a node dies, even by kill -9, PostgreSQL ends its
 * session and frees the id at once, so the node can come back under it. The `nodes` table records
 * who holds which id since when (for operators: `SELECT * FROM nodes`).
 */
export class PgNodeRegistry {
  private readonly instance = randomBytes(8).toString('hex');
  private readonly key: string;
  private readonly session: DedicatedSession;
  private claimed = false;

  constructor(
    url: string,
    schema: string | undefined,
    private readonly nodeId: string,
    log?: ConstructorParameters<typeof DedicatedSession>[3],
  ) {
    this.key = lockKey(`sailbucket:node:${schema ?? ''}:${nodeId}`);
    this.session = new DedicatedSession(url, schema, 'node id claim', log, {
      onOpen: async (client) => {
        const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [this.key]);
        if (!r.rows[0]?.ok) {
          throw new NodeIdInUse(
            `node id '${this.nodeId}' is in use by a live node: give every node its own --node-id (SAILBUCKET_NODE_ID)`,
          );
        }
        const now = 'CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)';
        await client.query(
          `INSERT INTO nodes (node_id, instance, started_at, heartbeat_at) VALUES ($1, $2, ${now}, ${now})
           ON CONFLICT (node_id) DO UPDATE SET instance = excluded.instance,
           started_at = CASE WHEN nodes.instance = excluded.instance THEN nodes.started_at ELSE excluded.started_at END,
           heartbeat_at = excluded.heartbeat_at`,
          [this.nodeId, this.instance],
        );
      },
      onLost: () => undefined,
    });
  }

  /** Claims the node id (NodeIdInUse when a live node holds it). */
  async claim(): Promise<void> {
    try {
      await this.session.start();
    } catch (err) {
      await this.session.close();
      throw err;
    }
    this.claimed = true;
  }

  async close(): Promise<void> {
    const client = this.session.current;
    if (this.claimed && client) {
      await client
        .query('DELETE FROM nodes WHERE node_id = $1 AND instance = $2', [this.nodeId, this.instance])
        .catch(() => undefined);
    }
    await this.session.close();
  }
}
