/** Timestamps in, timestamps out: input accepts ISO 8601 or epoch seconds; output follows cli_timestamp_format. */

/** Returns epoch milliseconds, or undefined when the value is not a timestamp. */
export function parseTimestamp(v: unknown): number | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  if (typeof v === 'number') return Number.isFinite(v) ? v * 1000 : undefined;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const t = v.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  // a bare date-time without a zone is UTC (as botocore reads it)
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t) ? `${t}Z` : t;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `2026-11-29T13:39:46+00:00`, with `.123000` when there are fractions (Python's isoformat, as the AWS CLI v2 prints). */
export function isoTimestamp(epochSeconds: number): string {
  const d = new Date(Math.round(epochSeconds * 1000));
  const base = d.toISOString().slice(0, 19);
  const ms = d.getUTCMilliseconds();
  return `${base}${ms ? `.${String(ms).padStart(3, '0')}000` : ''}+00:00`;
}
