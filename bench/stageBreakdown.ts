/**
 * `npm run bench:stages -- [options]`: where a request's server CPU goes, stage by stage.
 * Starts the built Sailbucket of each repo root (bin/sailbucket.js, through the bench's
 * startSailbucket) and the `floor` reference (the mandatory work only), each under
 * `node --perf-basic-prof` so perf can name JIT frames, on 127.0.0.1. After a warm-up it runs
 * `--rounds` rounds of `--ops` signed requests, 16 in flight, the servers interleaved round by round,
 * and reads each server's CPU from /proc before and after every round: the main thread
 * (/proc/PID/task/PID/stat: the JS event loop) and the rest (/proc/PID/stat minus the main thread,
 * which counts threads that exited too), user and system apart.
 * With perf (the default; --no-perf without), `perf record -F 999 -g -p PID` runs on every server
 * during the measured rounds only (started after the warm-up, stopped with SIGINT and awaited before
 * the servers stop), and `perf script` turns its samples into the stage table of bench/perfStages.ts
 * (µs per op for the main thread and the other threads). perf runs for the whole measured phase, so a
 * server's table also holds what it did while the other servers were measured (background work
 * only: an idle server is off the CPU, and perf samples CPU time). The /proc figures are taken
 * with perf attached; --no-perf gives them without its overhead.
 * Prints markdown (for docs/performance.md). Exit code 0 when every request succeeded, 1 on any
 * failure (a server that does not start, a request error, perf failing, the --timeout-s bound), 2 for
 * bad options.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createHttpPool, type HttpPool } from './httpPool.js';
import { createStageCounter, stageMarkdown, stageRows } from './perfStages.js';
import { clockTicksPerSecond } from './procStats.js';
import { createS3Ops, type S3Ops } from './s3Ops.js';
import { startFloor } from './servers/floor.js';
import { startSailbucket } from './servers/sailbucket.js';
import type { BenchServer } from './servers/types.js';
import { createSigner, sha256Hex } from './signer.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONCURRENCY = 16;
const PERF_HZ = 999;
const NODE_ARGS = ['--perf-basic-prof'];

const CASES = {
  'put-1m': { title: 'PUT 1 MiB, signed', put: true, bytes: 1 << 20 },
  'put-4k': { title: 'PUT 4 KiB, signed', put: true, bytes: 4096 },
  'get-4k': { title: 'GET 4 KiB', put: false, bytes: 4096 },
  'get-1m': { title: 'GET 1 MiB', put: false, bytes: 1 << 20 },
} as const;
type CaseId = keyof typeof CASES;
/** PUTs overwrite this many keys in turn; GETs read this many keys written before the warm-up. */
const PUT_KEYS = 500;
const GET_KEYS = 100;

const USAGE = `Usage: node dist/bench/stageBreakdown.js [options]   (npm run bench:stages -- [options])

  --ops N          requests per measured round and server (default 600)
  --rounds N       measured rounds, servers interleaved (default 2)
  --warmup N       warm-up requests per server before the rounds (default 300)
  --roots a,b      repo roots whose built Sailbucket (bin/sailbucket.js) is measured (default: this repo)
  --case ID        put-1m (default), put-4k, get-4k, get-1m
  --no-perf        /proc CPU only, no perf record (perf is otherwise required on PATH)
  --timeout-s S    bound on the whole run (default 900)
`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface Options {
  ops: number;
  rounds: number;
  warmup: number;
  roots: string[];
  caseId: CaseId;
  perf: boolean;
  timeoutMs: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    ops: 600,
    rounds: 2,
    warmup: 300,
    roots: [REPO_ROOT],
    caseId: 'put-1m',
    perf: true,
    timeoutMs: 900_000,
  };
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min)
      throw new UsageError(`--${name} needs an integer ≥ ${min}, got '${v ?? ''}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    switch (a) {
      case '--ops':
        opts.ops = int('ops', v, 1);
        i++;
        break;
      case '--rounds':
        opts.rounds = int('rounds', v, 1);
        i++;
        break;
      case '--warmup':
        opts.warmup = int('warmup', v, 0);
        i++;
        break;
      case '--timeout-s':
        opts.timeoutMs = int('timeout-s', v, 1) * 1000;
        i++;
        break;
      case '--roots':
        if (v === undefined || v.split(',').filter(Boolean).length === 0)
          throw new UsageError('--roots needs a comma-separated list of repo roots');
        opts.roots = v
          .split(',')
          .filter(Boolean)
          .map((r) => resolve(r));
        i++;
        break;
      case '--case':
        if (v === undefined || !(v in CASES))
          throw new UsageError(`--case must be one of ${Object.keys(CASES).join(', ')}, got '${v ?? ''}'`);
        opts.caseId = v as CaseId;
        i++;
        break;
      case '--no-perf':
        opts.perf = false;
        break;
      default:
        throw new UsageError(`unknown option '${a}'`);
    }
  }
  return opts;
}

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      /* not in this directory */
    }
  }
  return false;
}

function shortSha(root: string): string {
  const r = spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (r.status !== 0) return 'nogit';
  const dirty = spawnSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' });
  return `${r.stdout.trim()}${dirty.stdout?.trim() ? '+dirty' : ''}`;
}

/** CPU clock ticks of a process: its main thread and all its threads (live and exited). */
interface CpuTicks {
  mainUser: number;
  mainSys: number;
  allUser: number;
  allSys: number;
}

function statTicks(file: string): [number, number] {
  const text = readFileSync(file, 'utf8');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const user = Number(f[11]);
  const sys = Number(f[12]);
  if (!Number.isFinite(user) || !Number.isFinite(sys))
    throw new Error(`cannot parse utime/stime from ${file}: '${text.slice(0, 120)}'`);
  return [user, sys];
}

function cpuTicks(pid: number): CpuTicks {
  const [mainUser, mainSys] = statTicks(`/proc/${pid}/task/${pid}/stat`);
  const [allUser, allSys] = statTicks(`/proc/${pid}/stat`);
  return { mainUser, mainSys, allUser, allSys };
}

interface Target {
  label: string;
  server: BenchServer;
  pool: HttpPool;
  s3: S3Ops;
  bucket: string;
  wallMs: number;
  ops: number;
  cpu: CpuTicks;
  perf?: { child: ChildProcess; file: string; stderr: () => string; exited: Promise<number | null> };
}

async function runOps(t: Target, n: number, caseId: CaseId, body: Buffer, sha256: string): Promise<void> {
  const c = CASES[caseId];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        if (c.put) await t.s3.putObject(t.bucket, `k${i % PUT_KEYS}`, body, { kind: 'sha256', sha256 });
        else await t.s3.getObject(t.bucket, `k${i % GET_KEYS}`, 0);
      }
    }),
  );
}

function waitExit(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode);
    else child.once('exit', (code) => done(code));
  });
}

async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), ms)));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

function startPerf(t: Target, dir: string): NonNullable<Target['perf']> {
  const file = join(dir, `${t.bucket}.data`);
  const child = spawn('perf', ['record', '-F', String(PERF_HZ), '-g', '-p', String(t.server.pid), '-o', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (tail = (tail + d).slice(-2000)));
  const exited = new Promise<number | null>((done) => {
    child.once('error', (err) => {
      tail += `\n${err.message}`;
      done(-1);
    });
    child.once('exit', (code) => done(code));
  });
  return { child, file, stderr: () => tail.trim(), exited };
}

/** SIGINT (perf then writes its file and exits), awaited; SIGKILL after 30 s. */
async function stopPerf(p: NonNullable<Target['perf']>, label: string): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGINT');
  if ((await within(p.exited, 30_000)) === 'timeout') {
    p.child.kill('SIGKILL');
    await within(waitExit(p.child), 5_000);
    throw new Error(`perf record on ${label} did not exit within 30 s of SIGINT; ${p.stderr()}`);
  }
}

async function perfStages(file: string, label: string, ops: number): Promise<string> {
  const child = spawn('perf', ['script', '-F', 'pid,tid,ip,sym,dso', '-i', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errTail = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (errTail = (errTail + d).slice(-2000)));
  const exited = waitExit(child);
  const counter = createStageCounter();
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) counter.line(line);
  const code = await exited;
  if (code !== 0) throw new Error(`perf script on ${label}'s profile exited with ${code}: ${errTail.trim()}`);
  const counts = counter.finish();
  if (counts.samples === 0) throw new Error(`perf recorded no samples of ${label}: ${errTail.trim()}`);
  return (
    `${counts.samples} samples at ${PERF_HZ} Hz over ${ops} ops\n\n` +
    stageMarkdown(stageRows(counts, { ops, hz: PERF_HZ }))
  );
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`stageBreakdown: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  if (opts.perf && !onPath('perf')) {
    console.error(
      'stageBreakdown: perf is not on PATH; the stage table needs it (install linux-perf / linux-tools for this kernel), or pass --no-perf for the /proc CPU figures only',
    );
    return 1;
  }
  if (!existsSync('/proc/self/stat')) {
    console.error('stageBreakdown: /proc is not available; server CPU is read from /proc/PID (Linux only)');
    return 1;
  }
  for (const root of opts.roots) {
    if (!existsSync(join(root, 'bin', 'sailbucket.js')) || !existsSync(join(root, 'dist', 'src', 'main.js'))) {
      console.error(
        `stageBreakdown: ${root} has no built Sailbucket (bin/sailbucket.js and dist/src/main.js); run npx tsc -p tsconfig.json there`,
      );
      return 1;
    }
  }

  const targets: Target[] = [];
  const servers: BenchServer[] = [];
  const perfDir = opts.perf ? mkdtempSync(join(tmpdir(), 'stage-breakdown-')) : undefined;
  let cleaned: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaned ??= (async () => {
      for (const t of targets) if (t.perf) await stopPerf(t.perf, t.label).catch(() => undefined);
      for (const t of targets) t.pool.close();
      await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
      for (const s of servers) rmSync(`/tmp/perf-${s.pid}.map`, { force: true });
      if (perfDir) rmSync(perfDir, { recursive: true, force: true });
    })());
  let aborting = false;
  const abort = (why: string, code: number): void => {
    aborting = true;
    console.error(`stageBreakdown: ${why}; stopping perf and the servers`);
    void cleanup().then(() => process.exit(code));
  };
  const deadline = setTimeout(
    () => abort(`the run took more than ${opts.timeoutMs / 1000} s (--timeout-s)`, 1),
    opts.timeoutMs,
  );
  const onSignal = (): void => abort('interrupted', 130);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const c = CASES[opts.caseId];
    console.log(
      `stageBreakdown: ${c.title}, ${opts.rounds} rounds × ${opts.ops} ops per server (${CONCURRENCY} in flight, servers interleaved) after ${opts.warmup} warm-up ops; ` +
        `${cpus().length} CPUs, load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}; ${opts.perf ? `perf record -F ${PERF_HZ} -g during the rounds` : 'no perf'}`,
    );
    const shas = opts.roots.map(shortSha);
    for (const [i, root] of opts.roots.entries()) {
      const duplicate = shas.filter((s) => s === shas[i]).length > 1;
      const server = await startSailbucket({ repoRoot: root, sailbucketNodeArgs: NODE_ARGS });
      servers.push(server);
      const label = `sailbucket@${shas[i]}${duplicate ? ` (${root})` : ''}`;
      targets.push(await target(label, server, `stages-sb${i}`));
    }
    const floor = await startFloor({ repoRoot: REPO_ROOT, floorNodeArgs: NODE_ARGS });
    servers.push(floor);
    targets.push(await target('floor', floor, 'stages-floor'));
    for (const t of targets) console.log(`${t.label}: pid ${t.server.pid} at http://${t.server.host}:${t.server.port}`);

    const body = randomBytes(c.bytes);
    const sha256 = sha256Hex(body);
    for (const t of targets) {
      if (!c.put)
        for (let i = 0; i < GET_KEYS; i++) await t.s3.putObject(t.bucket, `k${i}`, body, { kind: 'sha256', sha256 });
      await runOps(t, opts.warmup, opts.caseId, body, sha256);
    }
    if (perfDir) {
      for (const t of targets) t.perf = startPerf(t, perfDir);
      await new Promise((r) => setTimeout(r, 500));
      for (const t of targets)
        if (t.perf!.child.exitCode !== null || t.perf!.child.signalCode !== null)
          throw new Error(`perf record on ${t.label} (pid ${t.server.pid}) exited at once: ${t.perf!.stderr()}`);
    }
    for (let r = 0; r < opts.rounds; r++)
      for (const t of targets) {
        const a = cpuTicks(t.server.pid);
        const t0 = performance.now();
        await runOps(t, opts.ops, opts.caseId, body, sha256);
        t.wallMs += performance.now() - t0;
        t.ops += opts.ops;
        const b = cpuTicks(t.server.pid);
        t.cpu.mainUser += b.mainUser - a.mainUser;
        t.cpu.mainSys += b.mainSys - a.mainSys;
        t.cpu.allUser += b.allUser - a.allUser;
        t.cpu.allSys += b.allSys - a.allSys;
      }
    for (const t of targets) if (t.perf) await stopPerf(t.perf, t.label);

    const tick = 1e6 / clockTicksPerSecond();
    const us = (t: Target, ticks: number): string => ((ticks * tick) / t.ops).toFixed(0);
    console.log(
      `\n### ${c.title}: throughput and server CPU (/proc)\n\n` +
        '| server | ops/s | CPU µs/op | main usr | main sys | other threads usr | other threads sys |\n' +
        '|---|--:|--:|--:|--:|--:|--:|\n' +
        targets
          .map(
            (t) =>
              `| ${t.label} | ${((t.ops / t.wallMs) * 1000).toFixed(0)} | ${us(t, t.cpu.allUser + t.cpu.allSys)} | ` +
              `${us(t, t.cpu.mainUser)} | ${us(t, t.cpu.mainSys)} | ${us(t, t.cpu.allUser - t.cpu.mainUser)} | ${us(t, t.cpu.allSys - t.cpu.mainSys)} |`,
          )
          .join('\n'),
    );
    if (perfDir) {
      for (const t of targets) t.pool.close();
      await Promise.all(servers.map((s) => s.stop()));
      for (const t of targets)
        console.log(
          `\n### ${c.title}: ${t.label}, CPU by stage (perf)\n\n${await perfStages(t.perf!.file, t.label, t.ops)}`,
        );
    }
    return 0;
  } catch (err) {
    // After a timeout or a signal, the requests cut short by the cleanup fail too: nothing more to say.
    if (aborting) return 1;
    console.error(`stageBreakdown: FAILED — ${(err as Error).message}`);
    for (const t of targets) {
      const tail = t.server.logTail().trim();
      if (tail) console.error(`${t.label} output (last lines):\n${tail.split('\n').slice(-10).join('\n')}`);
    }
    return 1;
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }

  async function target(label: string, server: BenchServer, bucket: string): Promise<Target> {
    const credentials = await server.createBucket(bucket);
    const pool = createHttpPool({ host: server.host, port: server.port, maxSockets: CONCURRENCY, timeoutMs: 60_000 });
    const s3 = createS3Ops(
      pool,
      createSigner({ credentials, region: server.region, service: 's3', host: `${server.host}:${server.port}` }),
    );
    return {
      label,
      server,
      pool,
      s3,
      bucket,
      wallMs: 0,
      ops: 0,
      cpu: { mainUser: 0, mainSys: 0, allUser: 0, allSys: 0 },
    };
  }
}

process.exitCode = await main(process.argv.slice(2));
