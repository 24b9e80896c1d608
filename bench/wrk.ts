/**
 * wrk (a C load generator, far lighter than a Node client) for the read cases, where the Node
 * client's own CPU is the limit. Requests are presigned URLs, so every one is valid SigV4. wrk's
 * CPU time is read from the shell's `times` after it exits. Absent wrk → these runs are skipped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WrkResult {
  requests: number;
  errors: number;
  errorSummary: string;
  elapsedMs: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** wrk's user + system CPU, µs. */
  clientCpuMicros: number;
}

export function findWrk(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' });
  const path = r.stdout?.trim();
  return r.status === 0 && path ? path : undefined;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function latencyMs(out: string, pct: string): number {
  const m = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
  return m ? Number(m[1]) * UNIT_MS[m[2]] : NaN;
}

function parseTimes(text: string): number {
  // `times` prints the shell's user/sys line, then the children's: "0m0.120000s 0m0.340000s".
  const lines = text
    .trim()
    .split('\n')
    .filter((l) => /^\d+m[\d.]+s \d+m[\d.]+s$/.test(l.trim()));
  const last = lines[lines.length - 1];
  if (!last) return NaN;
  return last
    .trim()
    .split(' ')
    .reduce((sum, t) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(t)!;
      return sum + (Number(m[1]) * 60 + Number(m[2])) * 1_000_000;
    }, 0);
}

export function parseWrk(out: string, elapsedMs: number, clientCpuMicros: number): WrkResult {
  const total = /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)/m.exec(out);
  if (!total) throw new Error(`cannot parse wrk output: ${out.slice(0, 400)}`);
  const requests = Number(total[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = sock ? sock.slice(1, 5).reduce((n, x) => n + Number(x), 0) : 0;
  const wrkMs = Number(total[2]) * UNIT_MS[total[3]];
  return {
    requests: requests - non2xx,
    errors: non2xx + socketErrors,
    errorSummary:
      non2xx + socketErrors > 0 ? `${non2xx} non-2xx responses; ${sock ? sock[0] : 'no socket errors'}` : '',
    elapsedMs: wrkMs || elapsedMs,
    requestsPerSec: (requests - non2xx) / ((wrkMs || elapsedMs) / 1000),
    p50Ms: latencyMs(out, '50'),
    p99Ms: latencyMs(out, '99'),
    clientCpuMicros,
  };
}

/** Runs wrk with one thread and `connections` keep-alive connections against one URL for `seconds`. */
export async function runWrk(
  wrk: string,
  scratchDir: string,
  url: string,
  method: 'GET' | 'HEAD',
  connections: number,
  seconds: number,
): Promise<WrkResult> {
  const script = join(scratchDir, `wrk-${method.toLowerCase()}.lua`);
  writeFileSync(script, `wrk.method = "${method}"\n`);
  const duration = `${Math.max(1, Math.round(seconds))}s`;
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = `${q(wrk)} -t1 -c${connections} -d${duration} --latency -s ${q(script)} ${q(url)}; echo "wrk-exit $?"; times`;
  const t0 = performance.now();
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('sh', ['-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      text += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      text += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.once('error', reject);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
  const exit = /wrk-exit (\d+)/.exec(out);
  if (!exit || exit[1] !== '0')
    throw new Error(`wrk failed (${exit ? `exit ${exit[1]}` : 'killed'}): ${out.slice(0, 400)}`);
  return parseWrk(out, performance.now() - t0, parseTimes(out.slice(exit.index)));
}
