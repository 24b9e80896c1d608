/** BucketSizeBytes and NumberOfObjects over a chosen period (GetBucketMetricData), against the plan's quota. */
import { useState } from 'preact/hooks';
import type { Bucket, BucketBundle, MetricDatapoint } from '../api/lightsail';
import { useConsole } from '../context';
import { Alert, Section, Spinner } from '../ui/components';
import { formatBytes, formatCount } from '../ui/format';
import { useAsync } from '../ui/useAsync';

const PERIODS: readonly { id: string; label: string; span: number; period: number }[] = [
  { id: '1h', label: 'Last hour', span: 3600, period: 60 },
  { id: '1d', label: 'Last day', span: 86400, period: 900 },
  { id: '1w', label: 'Last week', span: 7 * 86400, period: 3600 },
  { id: '1m', label: 'Last 30 days', span: 30 * 86400, period: 21600 },
];

const GIB = 1024 * 1024 * 1024;

export function Metrics(props: { bucket: Bucket }) {
  const { control } = useConsole();
  const [periodId, setPeriodId] = useState('1h');
  const p = PERIODS.find((x) => x.id === periodId) ?? PERIODS[0];
  const name = props.bucket.name ?? '';
  const bundles = useAsync(() => control.bundles(), []);
  const bundle: BucketBundle | undefined = bundles.data?.find((b) => b.bundleId === props.bucket.bundleId);
  const data = useAsync(async () => {
    const end = new Date();
    const start = new Date(end.getTime() - p.span * 1000);
    const [size, count] = await Promise.all([
      control.metricData(name, 'BucketSizeBytes', start, end, p.period),
      control.metricData(name, 'NumberOfObjects', start, end, p.period),
    ]);
    return { size, count, start, end };
  }, [name, periodId]);
  const quota = bundle?.storagePerMonthInGb !== undefined ? bundle.storagePerMonthInGb * GIB : undefined;

  return (
    <div class="stack-lg">
      <div class="toolbar">
        <div class="segmented" role="group" aria-label="Period">
          {PERIODS.map((x) => (
            <button
              key={x.id}
              type="button"
              class={x.id === periodId ? 'seg active' : 'seg'}
              aria-pressed={x.id === periodId}
              onClick={() => setPeriodId(x.id)}
            >
              {x.label}
            </button>
          ))}
        </div>
        <p class="muted">Sampled every few minutes by the server; the latest value of each period is plotted.</p>
      </div>
      {data.error !== undefined && <Alert>{data.error}</Alert>}
      {data.data === undefined && data.error === undefined && <Spinner />}
      {data.data !== undefined && (
        <>
          <Section
            title="Storage used"
            description={
              quota !== undefined
                ? `Plan quota: ${formatBytes(quota)} (${bundle?.name ?? bundle?.bundleId ?? ''})`
                : undefined
            }
          >
            <Chart
              label="Storage used (BucketSizeBytes)"
              points={data.data.size}
              start={data.data.start}
              end={data.data.end}
              format={formatBytes}
              quota={quota}
            />
          </Section>
          <Section title="Objects" description="NumberOfObjects: every object version counts.">
            <Chart
              label="Number of objects (NumberOfObjects)"
              points={data.data.count}
              start={data.data.start}
              end={data.data.end}
              format={formatCount}
            />
          </Section>
        </>
      )}
    </div>
  );
}

const W = 760;
const H = 220;
const PAD = { left: 72, right: 16, top: 16, bottom: 28 };

/** A line chart as SVG (no chart library), with the data also in a table for screen readers. */
function Chart(props: {
  label: string;
  points: MetricDatapoint[];
  start: Date;
  end: Date;
  format: (n: number) => string;
  quota?: number;
}) {
  const pts = props.points
    .filter((d) => d.timestamp !== undefined)
    .map((d) => ({ t: d.timestamp?.getTime() ?? 0, v: d.maximum ?? d.average ?? 0 }));
  if (pts.length === 0) {
    return (
      <p class="muted pad chart-empty">
        No data points in this period yet. An empty bucket has none; samples appear a few minutes after objects are
        stored.
      </p>
    );
  }
  const t0 = props.start.getTime();
  const t1 = props.end.getTime();
  const maxV = Math.max(1, ...pts.map((p) => p.v)) * 1.15;
  // The quota line shows only when usage is within sight of it (otherwise it flattens the data).
  const showQuota = props.quota !== undefined && props.quota <= maxV * 4;
  const top = showQuota && props.quota !== undefined ? Math.max(maxV, props.quota * 1.05) : maxV;
  const x = (t: number): number => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const path = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const ticks = [0, 0.5, 1].map((f) => f * top);
  const last = pts[pts.length - 1];
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.label}: latest ${props.format(last.v)}`}>
        {ticks.map((v) => (
          <g key={v}>
            <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text class="axis" x={PAD.left - 8} y={y(v) + 4} text-anchor="end">
              {props.format(Math.round(v))}
            </text>
          </g>
        ))}
        <text class="axis" x={PAD.left} y={H - 8}>
          {props.start.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}
        </text>
        <text class="axis" x={W - PAD.right} y={H - 8} text-anchor="end">
          {props.end.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}
        </text>
        {showQuota && props.quota !== undefined && (
          <g>
            <line class="quota" x1={PAD.left} x2={W - PAD.right} y1={y(props.quota)} y2={y(props.quota)} />
            <text class="axis quota-label" x={W - PAD.right} y={y(props.quota) - 6} text-anchor="end">
              Quota {props.format(props.quota)}
            </text>
          </g>
        )}
        <path class="line" d={path} />
        {pts.map((p) => (
          <circle key={p.t} class="point" cx={x(p.t)} cy={y(p.v)} r={3.5}>
            <title>
              {new Date(p.t).toLocaleString()}: {props.format(p.v)}
            </title>
          </circle>
        ))}
      </svg>
      <figcaption>
        Latest: <strong>{props.format(last.v)}</strong>
        {props.quota !== undefined &&
          ` of ${props.format(props.quota)} (${((last.v / props.quota) * 100).toFixed(props.quota > 0 && last.v / props.quota < 0.01 ? 3 : 1)}%)`}
      </figcaption>
      <table class="sr-only">
        <caption>{props.label}</caption>
        <tbody>
          {pts.map((p) => (
            <tr key={p.t}>
              <td>{new Date(p.t).toLocaleString()}</td>
              <td>{props.format(p.v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
