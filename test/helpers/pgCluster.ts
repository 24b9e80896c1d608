/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temp dir, pg_ctl start on a free port on
 * 127.0.0.1 (trust authentication, fsync off), stopped (pg_ctl stop -m immediate) and removed by
 * stop(). As root, the server runs as the `postgres` user (runuser), as PostgreSQL refuses root.
 * scripts/run-tests.js starts one for a whole run and hands its URL to every test file through
 * SAILBUCKET_TEST_POSTGRES_URL; a test file run alone starts its own (test/helpers/postgres.ts).
 * The benchmark (bench/servers/sailbucketPostgres.ts) starts one with `durable: true`: PostgreSQL's
 * own durable defaults (fsync, synchronous_commit, full_page_writes on), like Sailbucket's default.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  /** Stops the server (fast shutdown: sessions are cut), keeping its data for `resume`. */
  pause(): void;
  /** Starts it again on the same port. */
  resume(): void;
  stop(): void;
  /** The postmaster's pid (the first line of postmaster.pid) while it runs. */
  pid(): number | undefined;
}

export interface PgClusterOptions {
  /**
   * Durable like a production server: fsync, synchronous_commit and full_page_writes stay on
   * (PostgreSQL's defaults) and initdb syncs. Default false: tests trade durability for speed.
   */
  durable?: boolean;
  /** Appended to every error message: how to provide PostgreSQL (default: the tests' HOW_TO_PROVIDE). */
  hint?: string;
  /** Command prefix for pg_ctl start, e.g. ['taskset', '-c', '1'] (the postmaster and its backends inherit it). */
  startPrefix?: string[];
}

export const HOW_TO_PROVIDE =
  'PostgreSQL tests need a server and never skip. Either set SAILBUCKET_TEST_POSTGRES_URL=postgres://USER[:PASSWORD]@HOST:PORT/DB ' +
  '(a role that may CREATE DATABASE), or install PostgreSQL >= 13 so that initdb and pg_ctl exist ' +
  '(Debian/Ubuntu: apt-get install -y postgresql; or set SAILBUCKET_PG_BIN to the directory holding them).';

/** The directory of initdb/pg_ctl: SAILBUCKET_PG_BIN, else the newest /usr/lib/postgresql/N/bin, else pg_config. */
function binDir(): string | undefined {
  const fromEnv = process.env.SAILBUCKET_PG_BIN;
  if (fromEnv) return fromEnv;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => /^\d+$/.test(v) && Number(v) >= 13 && existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(base, versions[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Why no throwaway cluster can be started on this machine (no initdb/pg_ctl; root without a
 * `postgres` user), or undefined when it can be tried.
 */
export function pgClusterUnavailable(): string | undefined {
  const bin = binDir();
  if (!bin || !existsSync(join(bin, 'initdb')) || !existsSync(join(bin, 'pg_ctl')))
    return 'no PostgreSQL binaries found (looked for initdb and pg_ctl)';
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return "running as root, PostgreSQL must run as an unprivileged user and there is no 'postgres' user";
    }
  }
  return undefined;
}

/** Waits (blocking, bounded) until `pid` has exited: no /proc entry, or a zombie awaiting its reaper. */
function waitGone(pid: number, limitMs: number): void {
  const until = Date.now() + limitMs;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < until) {
    let state: string;
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    } catch {
      return;
    }
    if (state === 'Z' || state === 'X') return;
    Atomics.wait(nap, 0, 0, 20);
  }
}

export async function startPgCluster(opts: PgClusterOptions = {}): Promise<PgCluster> {
  const hint = opts.hint ?? HOW_TO_PROVIDE;
  const durable = opts.durable === true;
  const bin = binDir();
  if (!bin || !existsSync(join(bin, 'initdb')) || !existsSync(join(bin, 'pg_ctl'))) {
    throw new Error(`no PostgreSQL binaries found (looked for initdb and pg_ctl). ${hint}`);
  }
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'sb-pg-'));
  let asUser: string[] = [];
  if (root) {
    let uid: number;
    let gid: number;
    try {
      uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    } catch {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(
        `running as root, PostgreSQL must run as an unprivileged user and there is no 'postgres' user. ${hint}`,
      );
    }
    chownSync(dir, uid, gid);
    asUser = ['runuser', '-u', 'postgres', '--'];
  }
  const exec = (cmd: string, args: string[], prefix: string[] = []) => {
    const argv = [...asUser, ...prefix, cmd, ...args];
    execFileSync(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  };
  const data = join(dir, 'data');
  const port = await freePort();
  const pgCtl = join(bin, 'pg_ctl');
  const start = () =>
    exec(
      pgCtl,
      [
        '-D',
        data,
        '-w',
        '-t',
        '60',
        '-l',
        join(dir, 'server.log'),
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off'} -c max_connections=300`,
        'start',
      ],
      opts.startPrefix,
    );
  try {
    exec(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
      ...(durable ? [] : ['--no-sync']),
    ]);
    start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const e = err as { stderr?: Buffer; message?: string };
    throw new Error(
      `could not start a throwaway PostgreSQL (${(e.stderr?.toString() || e.message || '').trim()}). ${hint}`,
      { cause: err },
    );
  }
  const postmasterPid = (): number | undefined => {
    try {
      const n = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return Number.isInteger(n) && n > 0 ? n : undefined;
    } catch {
      return undefined;
    }
  };
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pause() {
      exec(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    resume() {
      start();
    },
    pid: postmasterPid,
    stop() {
      if (stopped) return;
      stopped = true;
      const postmaster = postmasterPid();
      try {
        exec(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped (paused).
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      // pg_ctl returns once postmaster.pid is gone; the process itself may linger a moment longer.
      if (postmaster !== undefined) waitGone(postmaster, 5_000);
    },
  };
}
