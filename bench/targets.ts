/**
 * Issue 17's targets, checked against Sailbucket's summaries and scaling results. Throughput targets
 * are ratios to the floor reference in the same run (Sailbucket at its durable default; the floor
 * fsyncs too); the comparison with peers, which do not fsync, uses `sailbucket-relaxed`.
 */
import type { CaseResult, CaseSummary, ScalingReport, TargetCheck } from './report/types.js';
import type { ServerName } from './servers/types.js';

interface FloorTarget {
  caseId: string;
  label: string;
  ratioMin: number;
}

export const FLOOR_TARGETS: readonly FloorTarget[] = [
  { caseId: 'put-4k-sha256', label: 'PUT 4 KiB signed', ratioMin: 2.0 },
  { caseId: 'get-4k', label: 'GET 4 KiB', ratioMin: 0.8 },
  { caseId: 'put-1m', label: 'PUT 1 MiB signed', ratioMin: 1.0 },
  { caseId: 'get-1m', label: 'GET 1 MiB', ratioMin: 1.1 },
];

/** `--durability relaxed` against the fastest peer (s3rver, moto), same run. */
export const RELAXED_VS_PEERS: { caseId: string; label: string; ratioMin: number } = {
  caseId: 'put-1m',
  label: 'PUT 1 MiB signed, --durability relaxed',
  ratioMin: 1.2,
};
const PEERS: readonly ServerName[] = ['s3rver', 'moto'];

export const LIST_CPU_US_MAX = 1000;
export const LIST_SCALING_MAX_FACTOR = 1.5;
export const BIG_RSS_GROWTH_MAX_MIB = 64;

const n = (x: number | undefined, d: number): string => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));

export function checkTargets(cases: CaseResult[], scaling: ScalingReport[]): TargetCheck[] {
  const out: TargetCheck[] = [];
  const of = (id: string, server: ServerName): CaseSummary | undefined => {
    const r = cases.find((c) => c.id === id)?.servers.find((x) => x.server === server);
    return r?.status === 'ok' ? r.summary : undefined;
  };
  for (const t of FLOOR_TARGETS) {
    // Both clients are reported where both ran: the Node load generator is the issue's own set-up, wrk shows
    // the server alone where the Node client was the limit.
    const runs: { id: string; label: string }[] = [{ id: t.caseId, label: t.label }];
    if (of(`${t.caseId}@wrk`, 'sailbucket') !== undefined)
      runs.push({ id: `${t.caseId}@wrk`, label: `${t.label} (wrk)` });
    for (const run of runs) {
      const r = of(run.id, 'sailbucket')?.ratioToFloor;
      out.push({
        what: `${run.label}: throughput ÷ floor`,
        limit: `≥ ${t.ratioMin.toFixed(2)}`,
        measured: r === undefined ? 'not run' : n(r, 2),
        met: r === undefined ? null : r >= t.ratioMin,
      });
    }
  }
  const relaxed = of(RELAXED_VS_PEERS.caseId, 'sailbucket-relaxed');
  const peers = PEERS.map((p) => ({ p, s: of(RELAXED_VS_PEERS.caseId, p) })).filter(
    (x): x is { p: ServerName; s: CaseSummary } => x.s !== undefined,
  );
  const fastest = peers.sort((a, b) => b.s.opsPerSec - a.s.opsPerSec)[0];
  const rp = relaxed && fastest && fastest.s.opsPerSec > 0 ? relaxed.opsPerSec / fastest.s.opsPerSec : undefined;
  out.push({
    what: `${RELAXED_VS_PEERS.label}: throughput ÷ fastest peer${fastest ? ` (${fastest.p})` : ''}`,
    limit: `≥ ${RELAXED_VS_PEERS.ratioMin.toFixed(2)}`,
    measured: rp === undefined ? 'not run' : n(rp, 2),
    met: rp === undefined ? null : rp >= RELAXED_VS_PEERS.ratioMin,
  });
  const list = of('list-1000', 'sailbucket');
  out.push({
    what: 'ListObjectsV2 1000 keys: server CPU per op',
    limit: `≤ ${LIST_CPU_US_MAX} µs`,
    measured: list ? `${n(list.serverCpuUsPerOp, 0)} µs` : 'not run',
    met: list ? list.serverCpuUsPerOp <= LIST_CPU_US_MAX : null,
  });
  const sb = scaling.find((s) => s.server === 'sailbucket');
  const pages = sb?.curve.filter((p) => p.case === 'list-page-first') ?? [];
  if (pages.length >= 2) {
    const lo = pages[0];
    const hi = pages[pages.length - 1];
    const f = hi.serverCpuUsPerOp / lo.serverCpuUsPerOp;
    out.push({
      what: `list page at ${hi.objects} objects vs ${lo.objects} (server CPU)`,
      limit: `≤ ${LIST_SCALING_MAX_FACTOR}×`,
      measured: `${n(f, 2)}×`,
      met: Number.isFinite(f) ? f <= LIST_SCALING_MAX_FACTOR : null,
    });
  } else {
    out.push({
      what: 'list page cost as the bucket grows',
      limit: `≤ ${LIST_SCALING_MAX_FACTOR}×`,
      measured: 'not run',
      met: null,
    });
  }
  const big = sb?.big;
  out.push({
    what: big ? `peak RSS growth for a ${big.sizeMiB} MiB object` : 'peak RSS growth for a big object',
    limit: `≤ ${BIG_RSS_GROWTH_MAX_MIB} MiB`,
    measured: big ? `${n(big.peakGrowthMiB, 0)} MiB` : 'not run',
    met: big ? big.peakGrowthMiB <= BIG_RSS_GROWTH_MAX_MIB : null,
  });
  return out;
}
