/**
 * `npm run bench [-- options]`: starts Sailbucket (durable default, and again with `--durability
 * relaxed`), s3rver, moto, the floor reference (mandatory work only) and a trivial node:http server on
 * 127.0.0.1, runs every case on each (interleaved rounds after a warm-up), then the scaling runs,
 * prints tables (ratios to floor and to trivial) and writes a JSON report. Exit code 1 when any server failed to start, any run
 * failed or any request errored; 2 for bad options.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCase, uniqueNamer } from './caseRunner.js';
import { ALL_CASES } from './cases/index.js';
import { OptionsError, parseOptions, USAGE, type BenchOptions } from './options.js';
import { pinClient } from './pinning.js';
import { gitRevision } from './revision.js';
import { createProcStats } from './procStats.js';
import { caseTable, scalingTable, targetsTable } from './report/table.js';
import type { BenchReport, CaseResult, ScalingReport, ServerStatus } from './report/types.js';
import { runScaling } from './scaling/scalingRun.js';
import { startServers } from './servers/startAll.js';
import { checkTargets } from './targets.js';
import { findWrk } from './wrk.js';
import { runWrkCase, WRK_CASES } from './wrkCases.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function selectCases(opts: BenchOptions) {
  if (opts.noCases) return [];
  if (opts.cases.length === 0) return [...ALL_CASES];
  const unknown = opts.cases.filter((id) => !ALL_CASES.some((c) => c.id === id));
  if (unknown.length)
    throw new OptionsError(
      `unknown case ${unknown.map((u) => `'${u}'`).join(', ')}; cases are ${ALL_CASES.map((c) => c.id).join(', ')}`,
    );
  return ALL_CASES.filter((c) => opts.cases.includes(c.id));
}

export async function runBench(argv: string[], say: (line: string) => void): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    say(USAGE);
    return 0;
  }
  let opts: BenchOptions;
  let cases;
  try {
    opts = parseOptions(argv);
    cases = selectCases(opts);
  } catch (err) {
    if (err instanceof OptionsError) {
      say(`bench: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const proc = createProcStats();
  if (!proc.available) {
    say('bench: /proc is not available; the harness measures server CPU and RSS from /proc/<pid> (Linux only)');
    return 1;
  }
  const startedAt = new Date().toISOString();
  const revision = gitRevision(REPO_ROOT);
  const loadAverageStart = loadavg();
  const pinning = pinClient(opts.pin);
  say(
    `bench: ${opts.quick ? 'quick' : 'full'} mode at ${revision}, ${cpus().length} CPUs, load average ${loadAverageStart.map((l) => l.toFixed(2)).join(' ')}, ` +
      ('off' in pinning.description
        ? `no pinning (${pinning.description.off})`
        : `client on CPU ${pinning.description.client}, servers on CPU ${pinning.description.servers}`),
  );
  const notes: string[] = [];
  const { servers, statuses } = await startServers(
    opts.servers,
    {
      repoRoot: REPO_ROOT,
      cpu: pinning.serverCpus,
      tasksetPath: pinning.tasksetPath,
      ...(opts.profileDir ? { sailbucketNodeArgs: ['--cpu-prof', '--cpu-prof-dir', resolve(opts.profileDir)] } : {}),
    },
    opts.serversRequested,
  );
  for (const s of statuses) {
    const line =
      s.status === 'running'
        ? `${s.name}: running at ${s.endpoint} (pid ${s.pid})`
        : s.status === 'skipped'
          ? `${s.name}: skipped — ${s.reason}`
          : `${s.name}: FAILED to start — ${s.reason}`;
    say(line);
    if (s.status !== 'running') notes.push(line);
  }
  const stopAll = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
  };
  const onSignal = (): void => {
    void stopAll().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results: CaseResult[] = [];
  const scaling: ScalingReport[] = [];
  /** Written after every case too, so a long run that is stopped still leaves its results. */
  const writeReport = (complete: boolean): string => {
    const report: BenchReport = {
      version: 1,
      complete,
      revision,
      startedAt,
      finishedAt: new Date().toISOString(),
      quick: opts.quick,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        platform: process.platform,
        loadAverageStart,
        loadAverageEnd: loadavg(),
      },
      pinning: pinning.description,
      options: { ...opts },
      servers: statuses,
      cases: results,
      scaling,
      targets: checkTargets(results, scaling),
      notes,
    };
    const file = resolve(REPO_ROOT, opts.out);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n',
    );
    return file;
  };
  try {
    const uniqueName = uniqueNamer();
    if (servers.some((s) => s.trivial)) {
      for (const c of cases) {
        say(`\n${c.id}: setting up on ${servers.map((s) => s.name).join(', ')}`);
        const r = await runCase(c, servers, proc, opts, uniqueName, say);
        results.push(r);
        say(caseTable(r));
        writeReport(false);
      }
      const wrkCases = WRK_CASES.filter((w) => cases.some((c) => c.id === w.id));
      const wrk = opts.wrk === 'auto' && wrkCases.length > 0 ? findWrk() : undefined;
      if (opts.wrk === 'auto' && wrkCases.length > 0 && !wrk) {
        const line = 'wrk: not installed — the wrk runs of the read cases are skipped (apt-get install wrk)';
        say(`\n${line}`);
        notes.push(line);
      }
      if (wrk) {
        const scratch = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
        try {
          for (const w of wrkCases) {
            say(`\n${w.id}@wrk: setting up on ${servers.map((s) => s.name).join(', ')}`);
            const r = await runWrkCase(w, servers, proc, opts, wrk, scratch, uniqueName, say);
            results.push(r);
            say(caseTable(r));
            writeReport(false);
          }
        } finally {
          rmSync(scratch, { recursive: true, force: true });
        }
      }
    } else notes.push('the trivial server did not start, so no case ran');
    if (opts.scaling) {
      for (const name of opts.scaleServers) {
        const server = servers.find((s) => s.name === name);
        if (!server) {
          notes.push(`scaling on ${name}: not running`);
          continue;
        }
        say(`\nscaling on ${name}: sizes ${opts.scaleSizes.join(', ')}, big object ${opts.bigMiB} MiB`);
        const s = await runScaling(server, proc, opts, uniqueName, say, (partial) => {
          if (!scaling.includes(partial)) scaling.push(partial);
          writeReport(false);
        });
        if (!scaling.includes(s)) scaling.push(s);
        say(scalingTable(s));
        writeReport(false);
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
  const targets = checkTargets(results, scaling);
  say(targetsTable(targets));
  const out = writeReport(true);
  say(`\nbench: JSON report written to ${out}`);
  const problems = failures(statuses, results, scaling);
  if (problems.length > 0) say(`bench: FAILED — ${problems.join('; ')} (details above)`);
  return problems.length > 0 ? 1 : 0;
}

/** What failed, naming the server each time (a peer's errors are not Sailbucket's). */
export function failures(statuses: ServerStatus[], results: CaseResult[], scaling: ScalingReport[]): string[] {
  const out: string[] = [];
  for (const s of statuses) if (s.status === 'failed') out.push(`${s.name} failed to start`);
  for (const c of results) {
    for (const s of c.servers) {
      const errors = s.summary?.errors ?? 0;
      if (s.status === 'failed') out.push(`${s.server}: ${c.title} failed`);
      else if (errors > 0) out.push(`${s.server}: ${c.title}: ${errors} request error${errors === 1 ? '' : 's'}`);
    }
  }
  for (const s of scaling) {
    const errors = s.curve.reduce((n, p) => n + p.errors, 0);
    if (s.error !== undefined) out.push(`${s.server}: scaling run failed`);
    if (errors > 0) out.push(`${s.server}: scaling: ${errors} request error${errors === 1 ? '' : 's'}`);
  }
  return out;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  runBench(process.argv.slice(2), (line) => process.stdout.write(line + '\n')).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      process.stderr.write(`bench: ${err.stack ?? err.message}\n`);
      process.exitCode = 1;
    },
  );
}
