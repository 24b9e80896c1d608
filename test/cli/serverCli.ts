/** Runs the built CLI against a test server with its root credentials in AWS_* variables. */
import { after, before } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { makeHome, runSailbucket, type RunResult } from './runSailbucket.js';

export interface ServerCli {
  /** `sailbucket --endpoint-url <server> ...args` with the server's credentials and region */
  run(args: string[], env?: Record<string, string>, cwd?: string): Promise<RunResult>;
  /** the same, expecting exit 0 and JSON on stdout */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely (as eslint.config.js allows for test/) unless they pass T
  json<T = Record<string, any>>(args: string[], env?: Record<string, string>): Promise<T>;
}

export function serverCli(server: TestServer, home: string): ServerCli {
  const baseEnv = (): Record<string, string> => ({
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    AWS_REGION: server.region,
  });
  const run = (args: string[], env: Record<string, string> = {}, cwd?: string) =>
    runSailbucket(['--endpoint-url', server.endpoint, ...args], { home, cwd, env: { ...baseEnv(), ...env } });
  return {
    run,
    json: async (args, env) => {
      const r = await run(args, env);
      if (r.code !== 0) throw new Error(`sailbucket ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    },
  };
}

export const ISO8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;

export interface ServerCliFixture {
  readonly server: TestServer;
  /** The CLI's HOME (and default working directory). */
  readonly home: string;
  readonly cli: ServerCli;
}

/**
 * Registers before/after hooks for a test file: a server on port 0, a fresh HOME and a CLI bound
 * to both (`setup` runs last in `before`). Read the fields inside tests, once `before` has run.
 */
export function useServerCli(setup?: (f: ServerCliFixture) => Promise<void>): ServerCliFixture {
  let server: TestServer | undefined;
  let home: { home: string; cleanup(): void } | undefined;
  let cli: ServerCli | undefined;
  const fixture: ServerCliFixture = {
    get server() {
      return server!;
    },
    get home() {
      return home!.home;
    },
    get cli() {
      return cli!;
    },
  };
  before(async () => {
    server = await startServer();
    home = makeHome();
    cli = serverCli(server, home.home);
    await setup?.(fixture);
  });
  after(async () => {
    await server?.stop();
    home?.cleanup();
  });
  return fixture;
}
