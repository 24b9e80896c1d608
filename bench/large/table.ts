/** The markdown table of a large-transfer report. */
import type { LargeTransferReport } from './types.js';

const f1 = (n: number | undefined): string => (n === undefined ? '—' : n.toFixed(1));
const f0 = (n: number | undefined): string => (n === undefined ? '—' : n.toFixed(0));

export function largeTransferTable(r: LargeTransferReport): string {
  const lines = [
    `\`aws s3 cp\` of a ${r.fileMiB} MiB file, ${r.rounds} round${r.rounds === 1 ? '' : 's'} (servers interleaved), MB/s = 10⁶ bytes/s of wall time including the CLI's start-up`,
    '',
    '| server | upload MB/s (median) | download MB/s (median) | upload per round | download per round | server CPU s up / down | peak RSS upload (MiB) | peak RSS download (MiB) | RSS before (MiB) |',
    '|---|---:|---:|---|---|---|---:|---:|---:|',
  ];
  for (const s of r.servers) {
    const per = (pick: 'uploadMBps' | 'downloadMBps'): string =>
      s.rounds.map((x) => (x.error !== undefined ? 'failed' : f1(x[pick]))).join(', ');
    const before = s.rounds.map((x) => x.rssBeforeMiB).filter((x): x is number => x !== undefined);
    lines.push(
      `| ${s.server} | ${f1(s.uploadMBps)} | ${f1(s.downloadMBps)} | ${per('uploadMBps')} | ${per('downloadMBps')} | ${f1(s.serverCpuUploadSeconds)} / ${f1(s.serverCpuDownloadSeconds)} | ${f0(s.peakRssUploadMiB)} | ${f0(s.peakRssDownloadMiB)} | ${before.length ? f0(Math.min(...before)) : '—'} |`,
    );
  }
  if (r.disk) {
    lines.push(
      '',
      `disk (dd, 8 MiB blocks, ${r.fileMiB} MiB): write + fdatasync ${f1(r.disk.writeMBps)} MB/s; ` +
        `read ${r.disk.readCold ? 'after dropping the page cache' : 'from the page cache'} ${f1(r.disk.readMBps)} MB/s` +
        (r.disk.readNote ? ` (${r.disk.readNote})` : ''),
    );
  }
  lines.push(
    '',
    `filesystem: ${r.filesystem}`,
    `load average at start ${r.machine.loadAverageStart.map((l) => l.toFixed(2)).join(' ')}, at end ${r.machine.loadAverageEnd.map((l) => l.toFixed(2)).join(' ')} (${r.machine.cpus} CPUs)`,
  );
  if (r.relaxedFastest)
    lines.push(
      `sailbucket-relaxed fastest of ${['sailbucket-relaxed', ...r.relaxedFastest.comparedWith].join(', ')}: ` +
        `upload ${r.relaxedFastest.upload ? 'yes' : 'NO'}, download ${r.relaxedFastest.download ? 'yes' : 'NO'}`,
    );
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
