/**
 * bench:large in miniature: a 16 MiB file copied up and down once with the real AWS CLI against
 * Sailbucket (two 8 MiB parts, so the multipart path and the CLI's ranged GETs run). Checks the
 * harness — a row with positive MB/s and RSS, a download equal to the source, the dd line — never a
 * speed threshold. Fails when `aws` is not installed (the tool exits 1 and says so).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LargeTransferReport } from '../../bench/large/types.js';
import { LargeOptionsError, parseLargeOptions } from '../../bench/large/options.js';
import { runBenchTool } from './runTool.js';

const runTool = (args: string[]) => runBenchTool('largeTransfer.js', args, LIMIT_MS, 'SIGTERM');

const LIMIT_MS = 60_000;

test(
  'a 16 MiB aws s3 cp up and down on Sailbucket: a table row with MB/s, RSS and a matching download',
  { timeout: LIMIT_MS + 20_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'large-test-'));
    try {
      const outFile = join(dir, 'report.json');
      const { code, out } = await runTool([
        '--mib',
        '16',
        '--rounds',
        '1',
        '--servers',
        'sailbucket',
        '--out',
        outFile,
      ]);
      assert.equal(code, 0, `bench:large exited with ${code}:\n${out.slice(-3000)}`);
      const report = JSON.parse(readFileSync(outFile, 'utf8')) as LargeTransferReport;
      assert.equal(report.complete, true);
      assert.match(report.awsCli, /^aws-cli\/1\./);
      assert.equal(report.servers.length, 1);
      const s = report.servers[0];
      assert.equal(s.server, 'sailbucket');
      assert.equal(s.rounds.length, 1);
      const r = s.rounds[0];
      assert.equal(r.error, undefined, r.error);
      assert.equal(r.downloadMatches, true);
      assert.ok((s.uploadMBps ?? 0) > 0 && (s.downloadMBps ?? 0) > 0, JSON.stringify(s));
      assert.ok((s.peakRssUploadMiB ?? 0) > 0 && (s.peakRssDownloadMiB ?? 0) > 0, JSON.stringify(s));
      assert.match(out, /^\| sailbucket \| \d+\.\d \| \d+\.\d \| /m, 'the table row is printed');
      assert.ok(report.disk && report.disk.writeMBps > 0 && report.disk.readMBps > 0, JSON.stringify(report.disk));
      assert.match(out, /^disk \(dd, 8 MiB blocks, 16 MiB\): write \+ fdatasync \d+\.\d MB\/s/m);
      assert.equal(report.relaxedFastest, undefined, 'no verdict without sailbucket-relaxed and a peer');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('bench:large options: bad values are named', () => {
  assert.deepEqual(parseLargeOptions([]).servers, ['sailbucket', 'sailbucket-relaxed', 's3rver', 'moto']);
  assert.equal(parseLargeOptions(['--mib', '16']).mib, 16);
  assert.throws(
    () => parseLargeOptions(['--mib', '0']),
    (e: Error) => e instanceof LargeOptionsError && /--mib '0'/.test(e.message),
  );
  assert.throws(() => parseLargeOptions(['--servers', 'floor']), /invalid --servers 'floor'/);
  assert.throws(() => parseLargeOptions(['--bogus']), /unknown option '--bogus'/);
});
