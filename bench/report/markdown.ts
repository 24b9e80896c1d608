/**
 * Markdown tables from a JSON report, for docs/performance.md:
 *   node dist/bench/report/markdown.js bench/results/latest.json
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReport } from './types.js';

const f = (n: number | null | undefined, d: number): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(d);

export function reportMarkdown(r: BenchReport): string {
  const out: string[] = [];
  const pin =
    'off' in r.pinning
      ? `no pinning (${r.pinning.off})`
      : `client on CPU ${r.pinning.client}, servers on CPU ${r.pinning.servers}`;
  out.push(
    `Run ${r.startedAt} → ${r.finishedAt} at commit ${r.revision ?? 'unknown'}, ${r.quick ? 'quick' : 'full'} mode, ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, ${pin}, ` +
      `load average at start ${r.machine.loadAverageStart.map((l) => l.toFixed(1)).join(' / ')}.`,
  );
  for (const s of r.servers) if (s.status !== 'running') out.push(`\n- ${s.name}: ${s.status} — ${s.reason}`);
  out.push(
    '\n| case | server | ops/s | MiB/s | p50 ms | p99 ms | server µs/op | main thread µs/op | client µs/op | peak RSS MiB | × floor | × trivial |',
  );
  out.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const c of r.cases) {
    for (const s of c.servers) {
      const m = s.summary;
      if (s.status !== 'ok' || !m) {
        out.push(
          `| ${c.id} | ${s.server} | ${s.status === 'unsupported' ? 'n/a' : 'FAILED'}: ${(s.reason ?? '').replace(/\|/g, '/').split('\n')[0]} ||||||||||`,
        );
        continue;
      }
      out.push(
        `| ${c.id} | ${s.server} | ${f(m.opsPerSec, 0)} | ${f(m.mibPerSec, 1)} | ${f(m.p50Ms, 1)} | ${f(m.p99Ms, 1)} | ${f(m.serverCpuUsPerOp, 0)} | ${f(m.serverMainThreadCpuUsPerOp, 0)} | ${f(m.clientCpuUsPerOp, 0)} | ${f(m.peakRssMiB, 0)} | ${s.server === 'floor' ? '1.00' : f(m.ratioToFloor, 2)} | ${s.server === 'trivial' ? '1.00' : f(m.ratioToTrivial, 2)}${m.errors ? ` (${m.errors} errors)` : ''} |`,
      );
    }
  }
  for (const sc of r.scaling) {
    out.push(
      `\nScaling on ${sc.server}:\n\n| objects | case | ops/s | p50 ms | p99 ms | server µs/op |\n|--:|---|--:|--:|--:|--:|`,
    );
    for (const p of sc.curve)
      out.push(
        `| ${p.objects} | ${p.case} | ${f(p.opsPerSec, 0)} | ${f(p.p50Ms, 1)} | ${f(p.p99Ms, 1)} | ${f(p.serverCpuUsPerOp, 0)} |`,
      );
    if (sc.big)
      out.push(
        `\n${sc.big.sizeMiB} MiB object: RSS before ${f(sc.big.rssBeforeMiB, 0)} MiB, peak during PUT ${f(sc.big.peakDuringPutMiB, 0)} MiB, during GET ${f(sc.big.peakDuringGetMiB, 0)} MiB, growth ${f(sc.big.peakGrowthMiB, 0)} MiB; PUT ${f(sc.big.putSeconds, 1)} s, GET ${f(sc.big.getSeconds, 1)} s; body ${sc.big.bodyIntact ? 'intact' : 'CORRUPT'}.`,
      );
    if (sc.error) out.push(`\nScaling failed: ${sc.error.split('\n')[0]}`);
  }
  out.push('\n| target (Sailbucket) | limit | measured | |\n|---|---|---|---|');
  for (const t of r.targets)
    out.push(`| ${t.what} | ${t.limit} | ${t.measured} | ${t.met === null ? 'n/a' : t.met ? 'met' : '**missed**'} |`);
  return out.join('\n') + '\n';
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/report/markdown.js REPORT.json\n');
    process.exitCode = 2;
  } else process.stdout.write(reportMarkdown(JSON.parse(readFileSync(file, 'utf8')) as BenchReport));
}
