/** Display helpers shared by the pages. */
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Bytes in binary units (1 KB = 1024 B), as the Lightsail console shows them. */
export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${UNITS[u]}`;
}

export function formatDate(d: Date | undefined): string {
  if (d === undefined) return '—';
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatCount(n: number | undefined): string {
  return n === undefined ? '—' : n.toLocaleString();
}
