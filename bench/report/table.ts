/** Terminal tables: one per case (a row per server) and the scaling curve. */
import type { CaseResult, ScalingReport, TargetCheck } from './types.js';

function fmt(n: number | undefined, digits: number): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  return n.toFixed(digits);
}

function grid(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function caseTable(c: CaseResult): string {
  const header = [
    'server',
    'ops/s',
    'MiB/s',
    'p50 ms',
    'p99 ms',
    'srv µs/op',
    'main µs/op',
    'cli µs/op',
    'peak RSS MiB',
    '×floor',
    '×trivial',
    'errors',
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const s of c.servers) {
    const m = s.summary;
    if (s.status !== 'ok' || !m) {
      rows.push([s.server, ...header.slice(1).map(() => '-')]);
      notes.push(`  ${s.server}: ${s.status === 'unsupported' ? 'n/a' : 'FAILED'} — ${s.reason ?? 'no measurement'}`);
      continue;
    }
    rows.push([
      s.server,
      fmt(m.opsPerSec, 0),
      fmt(m.mibPerSec, 1),
      fmt(m.p50Ms, 2),
      fmt(m.p99Ms, 2),
      fmt(m.serverCpuUsPerOp, 0),
      fmt(m.serverMainThreadCpuUsPerOp, 0),
      fmt(m.clientCpuUsPerOp, 0),
      fmt(m.peakRssMiB, 0),
      s.server === 'floor' ? '1.00' : fmt(m.ratioToFloor, 2),
      s.server === 'trivial' ? '1.00' : fmt(m.ratioToTrivial, 2),
      String(m.errors),
    ]);
    if (m.errors > 0) notes.push(`  ${s.server}: ${m.errors} errors, e.g. ${s.errorSamples[0] ?? '?'}`);
  }
  // PostgreSQL mode has no target: it is compared with the embedded default (sailbucket) of the same run.
  const base = c.servers.find((s) => s.server === 'sailbucket' && s.status === 'ok')?.summary?.opsPerSec;
  const pgMode = c.servers.find((s) => s.server === 'sailbucket-postgres' && s.status === 'ok')?.summary?.opsPerSec;
  if (base !== undefined && base > 0 && pgMode !== undefined)
    notes.push(`  sailbucket-postgres: ${fmt(pgMode / base, 2)} × sailbucket's ops/s`);
  return `\n${c.title} [${c.id}] — ${c.concurrency} concurrent, client ${c.client}\n${grid(header, rows)}${notes.length ? `\n${notes.join('\n')}` : ''}`;
}

export function scalingTable(s: ScalingReport): string {
  const header = ['objects', 'case', 'ops/s', 'p50 ms', 'p99 ms', 'srv µs/op', 'errors'];
  const rows = s.curve.map((p) => [
    String(p.objects),
    p.case,
    fmt(p.opsPerSec, 0),
    fmt(p.p50Ms, 2),
    fmt(p.p99Ms, 2),
    fmt(p.serverCpuUsPerOp, 0),
    String(p.errors),
  ]);
  let out = `\nScaling on ${s.server} (bucket grows; seeded with empty objects)\n${grid(header, rows)}`;
  if (s.big) {
    const b = s.big;
    out += `\n  ${b.sizeMiB} MiB object: RSS before ${fmt(b.rssBeforeMiB, 0)} MiB, peak during PUT ${fmt(b.peakDuringPutMiB, 0)} MiB, during GET ${fmt(b.peakDuringGetMiB, 0)} MiB → growth ${fmt(b.peakGrowthMiB, 0)} MiB (PUT ${fmt(b.putSeconds, 1)} s, GET ${fmt(b.getSeconds, 1)} s, body ${b.bodyIntact ? 'intact' : 'CORRUPT'})`;
  }
  if (s.error) out += `\n  FAILED: ${s.error}`;
  return out;
}

export function targetsTable(targets: TargetCheck[]): string {
  const rows = targets.map((t) => [t.what, t.limit, t.measured, t.met === null ? 'n/a' : t.met ? 'met' : 'MISSED']);
  return `\nTargets (sailbucket: durable default, against floor; sailbucket-relaxed: against the peers)\n${grid(['target', 'limit', 'measured', ''], rows)}`;
}
