/**
 * `sailbucket-postgres`: Sailbucket in PostgreSQL mode (`serve --metadata-url`, one node, object
 * bytes under its temp data dir) against a throwaway PostgreSQL cluster this starter creates
 * (initdb + pg_ctl on a free port on 127.0.0.1, test/helpers/pgCluster.ts) and removes on stop().
 * The cluster is durable like Sailbucket's default: fsync, synchronous_commit and full_page_writes
 * on. It never uses an existing database (SAILBUCKET_TEST_POSTGRES_URL is not read). When pinning,
 * PostgreSQL runs on the servers' CPUs too. Without PostgreSQL binaries the server is skipped with
 * the reason — unless `required` (named in --servers), then starting fails.
 */
import { pgClusterUnavailable, startPgCluster, type PgCluster } from '../../test/helpers/pgCluster.js';
import { startSailbucket } from './sailbucket.js';
import type { BenchServer, StartContext, StartOutcome } from './types.js';

export const PG_HINT =
  'The bench starts its own PostgreSQL: install PostgreSQL >= 13 so that initdb and pg_ctl exist ' +
  '(Debian/Ubuntu: apt-get install -y postgresql; or set SAILBUCKET_PG_BIN to the directory holding them).';

export async function startSailbucketPostgres(
  ctx: StartContext,
  opts: { required?: boolean } = {},
): Promise<StartOutcome & { cluster?: PgCluster }> {
  const unavailable = pgClusterUnavailable();
  if (unavailable !== undefined) {
    const reason = `sailbucket-postgres: ${unavailable}. ${PG_HINT}`;
    if (opts.required) throw new Error(`${reason} (it was named in --servers, so it is not skipped)`);
    return { skipped: reason };
  }
  const pinned = ctx.tasksetPath !== undefined && ctx.cpu !== undefined;
  const cluster = await startPgCluster({
    durable: true,
    hint: PG_HINT,
    ...(pinned ? { startPrefix: [ctx.tasksetPath!, '-c', ctx.cpu!] } : {}),
  });
  let server: BenchServer;
  try {
    server = await startSailbucket(ctx, { metadataUrl: cluster.url });
  } catch (err) {
    cluster.stop();
    throw err;
  }
  const stopSailbucket = server.stop.bind(server);
  server.stop = async () => {
    try {
      await stopSailbucket();
    } finally {
      cluster.stop();
    }
  };
  return { server, cluster };
}
