/**
 * `npm run bench:large [-- options]`: large transfers as users do them. Writes a file of `--mib` MiB
 * (default 1 GiB) of random bytes, measures the disk with dd, starts Sailbucket (durable and
 * `--durability relaxed`), s3rver and moto on 127.0.0.1, then for each round and each server in turn
 * makes a bucket and runs the real AWS CLI: `aws s3 cp FILE s3://bucket/key` and back, timed, with the
 * server's peak RSS during each copy, and checks that the download equals the source (size and
 * SHA-256, outside the timed part). Prints a markdown table and writes a JSON report. Exit code 1 when
 * the CLI is missing, a server fails to start, a copy fails or a download differs; 2 for bad options.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awsS3, awsVersion, writeAwsProfile } from './large/awsCli.js';
import { measureDisk } from './large/disk.js';
import { LARGE_USAGE, LargeOptionsError, parseLargeOptions, type LargeOptions } from './large/options.js';
import { largeTransferTable } from './large/table.js';
import type { LargeTransferReport, ServerTransfers, TransferRound } from './large/types.js';
import { createProcStats, type ProcStats } from './procStats.js';
import { gitRevision } from './revision.js';
import { startServers } from './servers/startAll.js';
import type { BenchServer } from './servers/types.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MiB = 1024 * 1024;
const CHUNK = 8 * MiB;
const SAMPLE_MS = 100;
const KEY = 'large/object.bin';
const PEERS = ['s3rver', 'moto'] as const;

/** Writes `mib` MiB of random bytes to `file`; returns their SHA-256. */
function writeSource(file: string, mib: number): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(file, 'w');
  try {
    for (let left = mib * MiB; left > 0; left -= CHUNK) {
      const part = buf.subarray(0, Math.min(CHUNK, left));
      randomFillSync(part);
      hash.update(part);
      for (let off = 0; off < part.length;) off += writeSync(fd, part, off);
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function commandLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0
    ? (r.stdout ?? '').trim()
    : `(${cmd} ${args.join(' ')} failed: ${(r.stderr ?? r.error?.message ?? '').trim()})`;
}

/** "`dir` on /dev/vda (ext4, mounted on /)", from `df -T`. */
function filesystemOf(dir: string): string {
  const line = commandLine('df', ['-T', dir]).split('\n').pop() ?? '';
  const f = line.trim().split(/\s+/);
  return f.length >= 7 ? `${dir} on ${f[0]} (${f[1]}, mounted on ${f[6]})` : line;
}

const median = (xs: number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Peak RSS in MiB of a phase: the higher of the sampled VmRSS and VmHWM (when the peak could be reset). */
function peakMiB(proc: ProcStats, pid: number, reset: boolean, sampledKiB: number): number {
  let hwm = 0;
  if (reset) {
    try {
      hwm = proc.statusKiB(pid, 'VmHWM');
    } catch {
      /* process gone: the sampled value stands */
    }
  }
  return Math.max(sampledKiB, hwm) / 1024;
}

async function transferOnce(
  server: BenchServer,
  round: number,
  opts: LargeOptions,
  scratch: string,
  source: { file: string; sha256: string; bytes: number },
  proc: ProcStats,
): Promise<TransferRound> {
  const bucket = `large-r${round}-${server.name}`;
  const credentials = await server.createBucket(bucket);
  const profileDir = join(scratch, `aws-${server.name}-${round}`);
  mkdirSync(profileDir);
  const profile = writeAwsProfile(profileDir, server, credentials);
  const url = `s3://${bucket}/${KEY}`;
  const downloaded = join(scratch, `download-${server.name}-${round}.bin`);
  const timeoutMs = opts.timeoutSeconds * 1000;
  const pid = server.pid;
  const rssBeforeMiB = proc.statusKiB(pid, 'VmRSS') / 1024;
  try {
    let sampler = proc.sampleRss(pid, SAMPLE_MS);
    let reset = proc.resetPeak(pid);
    let cpu0 = proc.cpuMicros(pid);
    const uploadSeconds = await awsS3(profile, ['cp', source.file, url], timeoutMs);
    const serverCpuUploadSeconds = (proc.cpuMicros(pid) - cpu0) / 1e6;
    const peakRssUploadMiB = peakMiB(proc, pid, reset, sampler.stop());

    sampler = proc.sampleRss(pid, SAMPLE_MS);
    reset = proc.resetPeak(pid);
    cpu0 = proc.cpuMicros(pid);
    const downloadSeconds = await awsS3(profile, ['cp', url, downloaded], timeoutMs);
    const serverCpuDownloadSeconds = (proc.cpuMicros(pid) - cpu0) / 1e6;
    const peakRssDownloadMiB = peakMiB(proc, pid, reset, sampler.stop());

    const size = statSync(downloaded).size;
    const downloadMatches = size === source.bytes && (await sha256File(downloaded)) === source.sha256;
    return {
      round,
      uploadSeconds,
      uploadMBps: source.bytes / 1e6 / uploadSeconds,
      downloadSeconds,
      downloadMBps: source.bytes / 1e6 / downloadSeconds,
      downloadMatches,
      serverCpuUploadSeconds,
      serverCpuDownloadSeconds,
      rssBeforeMiB,
      peakRssUploadMiB,
      peakRssDownloadMiB,
      ...(downloadMatches
        ? {}
        : { error: `the downloaded file differs from the source (${size} bytes, expected ${source.bytes})` }),
    };
  } finally {
    rmSync(downloaded, { force: true });
    // The object is deleted so no server carries earlier rounds' data (moto keeps objects in memory).
    await awsS3(profile, ['rm', url], timeoutMs).catch(() => undefined);
  }
}

function summarize(s: ServerTransfers): void {
  const ok = s.rounds.filter((r) => r.error === undefined);
  s.uploadMBps = median(ok.map((r) => r.uploadMBps!));
  s.downloadMBps = median(ok.map((r) => r.downloadMBps!));
  const ups = ok.map((r) => r.peakRssUploadMiB!);
  const downs = ok.map((r) => r.peakRssDownloadMiB!);
  s.serverCpuUploadSeconds = median(ok.map((r) => r.serverCpuUploadSeconds!));
  s.serverCpuDownloadSeconds = median(ok.map((r) => r.serverCpuDownloadSeconds!));
  s.peakRssUploadMiB = ups.length ? Math.max(...ups) : undefined;
  s.peakRssDownloadMiB = downs.length ? Math.max(...downs) : undefined;
}

function relaxedFastest(servers: ServerTransfers[]): LargeTransferReport['relaxedFastest'] {
  const relaxed = servers.find((s) => s.server === 'sailbucket-relaxed');
  const peers = servers.filter((s) => (PEERS as readonly string[]).includes(s.server));
  if (!relaxed || peers.length === 0) return undefined;
  const beats = (pick: 'uploadMBps' | 'downloadMBps'): boolean => {
    const mine = relaxed[pick];
    // A peer whose copies all failed has no figure and is not beaten: the verdict needs both numbers.
    return mine !== undefined && peers.every((p) => p[pick] !== undefined && p[pick] < mine);
  };
  return { upload: beats('uploadMBps'), download: beats('downloadMBps'), comparedWith: peers.map((p) => p.server) };
}

export async function runLargeTransfer(argv: string[], say: (line: string) => void): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    say(LARGE_USAGE);
    return 0;
  }
  let opts: LargeOptions;
  try {
    opts = parseLargeOptions(argv);
  } catch (err) {
    if (err instanceof LargeOptionsError) {
      say(`bench:large: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const proc = createProcStats();
  if (!proc.available) {
    say('bench:large: /proc is not available; server RSS is read from /proc/<pid> (Linux only)');
    return 1;
  }
  let cli: string;
  try {
    cli = awsVersion();
  } catch (err) {
    say(`bench:large: ${(err as Error).message}`);
    return 1;
  }
  const startedAt = new Date().toISOString();
  const revision = gitRevision(REPO_ROOT);
  const scratch = mkdtempSync(join(tmpdir(), 'large-transfer-'));
  const report: LargeTransferReport = {
    version: 1,
    complete: false,
    revision,
    startedAt,
    finishedAt: startedAt,
    awsCli: cli,
    fileMiB: opts.mib,
    rounds: opts.rounds,
    filesystem: filesystemOf(scratch),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      loadAverageStart: loadavg(),
      loadAverageEnd: loadavg(),
    },
    uptimeStart: commandLine('uptime', []),
    uptimeEnd: '',
    servers: [],
    notes: [],
  };
  const out = resolve(REPO_ROOT, opts.out);
  const writeReport = (): void => {
    report.finishedAt = new Date().toISOString();
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  };
  say(`bench:large: ${opts.mib} MiB, ${opts.rounds} rounds at ${revision}; ${cli}; ${report.uptimeStart}`);
  let servers: BenchServer[] = [];
  let failed = false;
  try {
    const source = { file: join(scratch, 'source.bin'), bytes: opts.mib * MiB, sha256: '' };
    source.sha256 = writeSource(source.file, opts.mib);
    if (opts.disk) {
      report.disk = measureDisk(scratch, opts.mib, opts.timeoutSeconds * 1000);
      say(
        `disk: write + fdatasync ${report.disk.writeMBps.toFixed(1)} MB/s, read ${report.disk.readMBps.toFixed(1)} MB/s`,
      );
    }
    const started = await startServers(opts.servers, {
      repoRoot: REPO_ROOT,
      ...(opts.profileDir ? { sailbucketNodeArgs: ['--cpu-prof', '--cpu-prof-dir', resolve(opts.profileDir)] } : {}),
    });
    servers = started.servers;
    for (const s of started.statuses) {
      if (s.status === 'running') say(`${s.name}: running at ${s.endpoint} (pid ${s.pid})`);
      else {
        const line = `${s.name}: ${s.status === 'skipped' ? 'skipped' : 'FAILED to start'} — ${s.reason}`;
        say(line);
        report.notes.push(line);
        if (s.status === 'failed') failed = true;
      }
    }
    report.servers = servers.map((s) => ({ server: s.name, pid: s.pid, rounds: [] }));
    for (let round = 1; round <= opts.rounds; round++) {
      for (const [i, server] of servers.entries()) {
        const entry = report.servers[i];
        let r: TransferRound;
        try {
          r = await transferOnce(server, round, opts, scratch, source, proc);
        } catch (err) {
          r = {
            round,
            error: `${(err as Error).message}${server.logTail() ? `; server output: ${server.logTail().slice(-500)}` : ''}`,
          };
        }
        entry.rounds.push(r);
        summarize(entry);
        if (r.error !== undefined) failed = true;
        say(
          r.error !== undefined
            ? `round ${round} ${server.name}: FAILED — ${r.error}`
            : `round ${round} ${server.name}: up ${r.uploadMBps!.toFixed(1)} MB/s (${r.uploadSeconds!.toFixed(2)} s, server CPU ${r.serverCpuUploadSeconds!.toFixed(2)} s, peak RSS ${r.peakRssUploadMiB!.toFixed(0)} MiB), down ${r.downloadMBps!.toFixed(1)} MB/s (${r.downloadSeconds!.toFixed(2)} s, server CPU ${r.serverCpuDownloadSeconds!.toFixed(2)} s, peak RSS ${r.peakRssDownloadMiB!.toFixed(0)} MiB), download matches`,
        );
        writeReport();
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    rmSync(scratch, { recursive: true, force: true });
  }
  report.machine.loadAverageEnd = loadavg();
  report.uptimeEnd = commandLine('uptime', []);
  report.relaxedFastest = relaxedFastest(report.servers);
  report.complete = true;
  writeReport();
  say('\n' + largeTransferTable(report));
  say(`\nbench:large: JSON report written to ${out}`);
  if (failed) say('bench:large: FAILED (details above)');
  return failed ? 1 : 0;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  runLargeTransfer(process.argv.slice(2), (line) => process.stdout.write(line + '\n')).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      process.stderr.write(`bench:large: ${err.stack ?? err.message}\n`);
      process.exitCode = 1;
    },
  );
}
