/**
 * Runs the BUILT server (`node bin/sailbucket.js serve --port 0 --data-dir <tmp>`) as a child
 * process for integration tests, waits for `sailbucket listening on http(s)://HOST:PORT`, collects
 * stderr, and cleans up (process and temp dir) on `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs from dist/test/helpers/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = join(REPO_ROOT, 'bin', 'sailbucket.js');

const LISTENING = /^sailbucket listening on (https?:\/\/\S+)$/m;

export interface StartServerOptions {
  /** Extra `serve` flags, e.g. ['--base-domain', 'example.test']. */
  args?: string[];
  /** Extra environment variables for the server process. */
  env?: Record<string, string>;
  /** Use this data directory instead of a fresh temp dir (it is not removed by stop()). */
  dataDir?: string;
  accountId?: string;
  region?: string;
  /** How long to wait for the listening line (default 20 s). */
  startTimeoutMs?: number;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT`; restart() picks a fresh port, so read it again (and make new clients) after one. */
  endpoint: string;
  accountId: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  dataDir: string;
  /** Everything the server wrote to stderr so far, across restarts. */
  stderr(): string;
  /** Everything the server wrote to stdout so far, across restarts. */
  stdout(): string;
  /** Graceful stop (SIGTERM, SIGKILL after 10 s), then removes the temp data dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL, keeps the data dir (call restart() or stop() after). */
  kill9(): Promise<void>;
  /** The server process's PID (undefined while it is not running). */
  pid(): number | undefined;
  /**
   * Stops (gracefully, if still running) and starts again on the same data dir and a fresh port
   * (port 0: reusing the old port could race with another process taking it meanwhile).
   */
  restart(): Promise<void>;
  /**
   * Resolves with the first stderr line written after character offset `from` (see stderr().length)
   * that `match` accepts, as soon as the server writes it; rejects after `timeoutMs` (default 10 s).
   */
  waitForStderrLine(match: (line: string) => boolean, from: number, timeoutMs?: number): Promise<string>;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const pick = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const t = setTimeout(() => {
      child.off('exit', onExit);
      done(false);
    }, ms);
    const onExit = () => {
      clearTimeout(t);
      done(true);
    };
    child.once('exit', onExit);
  });
}

export async function startServer(opts: StartServerOptions = {}): Promise<TestServer> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'sailbucket-test-'));
  const accountId = opts.accountId ?? String(randomInt(1, 10)) + pick('0123456789', 11);
  const region = opts.region ?? 'us-east-1';
  const credentials = { accessKeyId: 'SBTEST' + pick(ALNUM, 14), secretAccessKey: pick(SECRET, 40) };
  let err = '';
  let out = '';
  let child: ChildProcess | undefined;
  let port = 0;
  /** Called after every stderr chunk (waitForStderrLine). */
  const stderrWaiters = new Set<() => void>();
  let endpoint = '';
  let stopped = false;

  const launch = async (): Promise<void> => {
    const args = [
      BIN,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--account-id',
      accountId,
      '--region',
      region,
      ...(opts.args ?? []),
    ];
    const proc = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        SAILBUCKET_ROOT_ACCESS_KEY_ID: credentials.accessKeyId,
        SAILBUCKET_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        ...(opts.env ?? {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      for (const w of [...stderrWaiters]) w();
    });
    let ownOut = '';
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(
          new Error(
            `server did not print its listening line within ${opts.startTimeoutMs ?? 20000} ms; stderr:\n${err}`,
          ),
        );
      }, opts.startTimeoutMs ?? 20000);
      proc.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        ownOut += d;
        const m = LISTENING.exec(ownOut);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]);
        }
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited before listening (code ${code}, signal ${signal}); stderr:\n${err}`));
      });
    });
    endpoint = url.replace(/\/$/, '');
    port = Number(new URL(endpoint).port);
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc) return;
    child = undefined;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(signal);
    if (!(await waitForExit(proc, 10_000))) {
      proc.kill('SIGKILL');
      await waitForExit(proc, 5_000);
    }
  };

  await launch();
  const server: TestServer = {
    get endpoint() {
      return endpoint;
    },
    accountId,
    region,
    credentials,
    dataDir,
    stderr: () => err,
    stdout: () => out,
    async stop() {
      if (stopped) return;
      stopped = true;
      await halt('SIGTERM');
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async kill9() {
      await halt('SIGKILL');
    },
    pid() {
      return child?.exitCode === null ? child.pid : undefined;
    },
    async restart() {
      if (stopped) throw new Error('restart() after stop()');
      await halt('SIGTERM');
      port = 0;
      await launch();
    },
    waitForStderrLine(match, from, timeoutMs = 10_000) {
      return new Promise((resolveLine, reject) => {
        const check = () => {
          const lines = err.slice(from).split('\n');
          lines.pop(); // an unfinished line is checked once it is complete
          const line = lines.find(match);
          if (line === undefined) return;
          stderrWaiters.delete(check);
          clearTimeout(timer);
          resolveLine(line);
        };
        const timer = setTimeout(() => {
          stderrWaiters.delete(check);
          reject(new Error(`no matching stderr line within ${timeoutMs} ms; stderr since:\n${err.slice(from)}`));
        }, timeoutMs);
        stderrWaiters.add(check);
        check();
      });
    },
  };
  return server;
}

/** A random lower-case bucket name with a prefix, valid for Lightsail. */
export const uniqueBucketName = (prefix = 'b'): string => `${prefix}-${randomBytes(5).toString('hex')}`;
