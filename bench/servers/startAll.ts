/**
 * Starts the selected servers in a fixed order (sailbucket, sailbucket-relaxed, sailbucket-workers2,
 * sailbucket-postgres, s3rver, moto, floor, trivial). A peer that is absent is skipped with a reason,
 * and so is sailbucket-postgres without PostgreSQL binaries unless it is in `required` (named in
 * --servers); a server that fails to start is reported as failed (the run goes on with the others).
 */
import type { ServerStatus } from '../report/types.js';
import { startFloor } from './floor.js';
import { startMoto } from './moto.js';
import { startS3rver } from './s3rver.js';
import { startSailbucket } from './sailbucket.js';
import { startSailbucketPostgres } from './sailbucketPostgres.js';
import { startTrivial } from './trivial.js';
import { SERVER_NAMES, type BenchServer, type ServerName, type StartContext, type StartOutcome } from './types.js';

const STARTERS: Record<ServerName, (ctx: StartContext, required: boolean) => Promise<StartOutcome>> = {
  sailbucket: async (ctx) => ({ server: await startSailbucket(ctx) }),
  'sailbucket-relaxed': async (ctx) => ({ server: await startSailbucket(ctx, { durability: 'relaxed' }) }),
  'sailbucket-workers2': async (ctx) => ({ server: await startSailbucket(ctx, { workers: 2 }) }),
  'sailbucket-postgres': (ctx, required) => startSailbucketPostgres(ctx, { required }),
  s3rver: startS3rver,
  moto: (ctx) => startMoto(ctx),
  floor: async (ctx) => ({ server: await startFloor(ctx) }),
  trivial: async (ctx) => ({ server: await startTrivial(ctx) }),
};

export async function startServers(
  names: readonly ServerName[],
  ctx: StartContext,
  required: readonly ServerName[] = [],
): Promise<{ servers: BenchServer[]; statuses: ServerStatus[] }> {
  const servers: BenchServer[] = [];
  const statuses: ServerStatus[] = [];
  for (const name of SERVER_NAMES.filter((n) => names.includes(n))) {
    try {
      const outcome = await STARTERS[name](ctx, required.includes(name));
      if ('skipped' in outcome) {
        statuses.push({ name, status: 'skipped', reason: outcome.skipped });
        continue;
      }
      servers.push(outcome.server);
      statuses.push({
        name,
        status: 'running',
        pid: outcome.server.pid,
        endpoint: `http://${outcome.server.host}:${outcome.server.port}`,
      });
    } catch (err) {
      statuses.push({ name, status: 'failed', reason: (err as Error).message });
    }
  }
  return { servers, statuses };
}
