/**
 * The benchmark harness in quick mode with tiny counts: every server (Sailbucket, s3rver, moto —
 * or moto's skip line — and the trivial server) and every case report non-zero throughput and no
 * errors. Only peers may be "unsupported", and only where they lack the feature (the Lightsail
 * control plane, STREAMING-UNSIGNED-PAYLOAD-TRAILER). Never a speed threshold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_CASES } from '../../bench/cases/index.js';
import { parseOptions } from '../../bench/options.js';
import type { BenchReport } from '../../bench/report/types.js';
import { failures, runBench } from '../../bench/run.js';
import { startMoto } from '../../bench/servers/moto.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RUN_JS = join(REPO_ROOT, 'dist', 'bench', 'run.js');
const HARNESS_LIMIT_MS = 150_000;

const TINY = [
  '--quick',
  '--rounds',
  '1',
  '--seconds',
  '0.25',
  '--warmup-seconds',
  '0.1',
  '--max-ops',
  '300',
  '--list-keys',
  '50',
  '--delete-keys',
  '20',
  '--delete-batches',
  '1',
  '--multipart-mib',
  '6',
  '--multipart-uploads',
  '1',
  '--control-create-ops',
  '2',
  '--scale-sizes',
  '30,60',
  '--scale-seconds',
  '0.2',
  '--big-mib',
  '4',
  '--no-wrk',
];

/** Where a peer may lack a feature (and say so) instead of measuring. */
const PEER_GAPS: Record<string, string[]> = {
  'control-create-key': ['s3rver', 'moto'],
  'control-get-keys': ['s3rver', 'moto'],
  'put-4k-unsigned-trailer': ['s3rver', 'moto'],
};

function runHarness(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [RUN_JS, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    }, HARNESS_LIMIT_MS);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

test(
  'quick mode: every server and case reports throughput without errors',
  { timeout: HARNESS_LIMIT_MS + 30_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
    try {
      const outFile = join(dir, 'report.json');
      const { code, out } = await runHarness([...TINY, '--out', outFile]);
      const problems = out
        .split('\n')
        .filter((l) => /FAILED|errors, e\.g\./.test(l))
        .join('\n');
      assert.equal(code, 0, `harness exited with ${code}:\n${problems}\n--- output tail:\n${out.slice(-3000)}`);
      const report = JSON.parse(readFileSync(outFile, 'utf8')) as BenchReport;

      const status = (name: string) => report.servers.find((s) => s.name === name);
      for (const name of ['sailbucket', 's3rver', 'trivial'])
        assert.equal(status(name)?.status, 'running', `${name}: ${JSON.stringify(status(name))}`);
      const moto = status('moto');
      assert.ok(moto, 'moto is reported');
      if (moto.status === 'skipped') {
        assert.match(moto.reason ?? '', /^moto: /);
        assert.match(out, /^moto: skipped — /m, 'the skip line is printed');
      } else assert.equal(moto.status, 'running', `moto: ${JSON.stringify(moto)}`);
      const running = report.servers.filter((s) => s.status === 'running').map((s) => s.name);

      assert.deepEqual(
        report.cases.map((c) => c.id),
        ALL_CASES.map((c) => c.id),
      );
      for (const c of report.cases) {
        assert.match(out, new RegExp(`\\[${c.id}\\]`), `table for ${c.id} printed`);
        for (const name of running) {
          const r = c.servers.find((s) => s.server === name);
          assert.ok(r, `${c.id}: no result for ${name}`);
          if (r.status === 'unsupported' && (PEER_GAPS[c.id] ?? []).includes(name)) {
            assert.ok(r.reason && r.reason.length > 0, `${c.id} ${name}: unsupported without a reason`);
            continue;
          }
          assert.equal(r.status, 'ok', `${c.id} ${name}: ${r.status} ${r.reason ?? ''}`);
          assert.ok(r.summary, `${c.id} ${name}: no summary`);
          assert.equal(r.summary.errors, 0, `${c.id} ${name}: errors ${r.errorSamples.join(' | ')}`);
          assert.ok(r.summary.ops > 0 && r.summary.opsPerSec > 0, `${c.id} ${name}: ${r.summary.ops} ops`);
          assert.ok(
            Number.isFinite(r.summary.p50Ms) && r.summary.peakRssMiB > 0,
            `${c.id} ${name}: latency and RSS measured`,
          );
          if (name !== 'trivial') assert.ok((r.summary.ratioToTrivial ?? 0) > 0, `${c.id} ${name}: ratio to trivial`);
        }
      }

      const scaling = report.scaling.find((s) => s.server === 'sailbucket');
      assert.ok(scaling, 'a scaling run on Sailbucket');
      assert.equal(scaling.error, undefined, scaling.error);
      assert.deepEqual([...new Set(scaling.curve.map((p) => p.objects))], [30, 60]);
      for (const p of scaling.curve)
        assert.ok(p.opsPerSec > 0 && p.errors === 0, `scaling ${p.case} at ${p.objects}: ${JSON.stringify(p)}`);
      assert.equal(scaling.big?.bodyIntact, true, `big object: ${JSON.stringify(scaling.big)}`);
      assert.ok(
        report.targets.length > 0 && report.targets.every((t) => t.measured !== 'not run'),
        'every target has a measurement',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('moto is skipped with a clear line when its python is missing', async () => {
  const outcome = await startMoto({ repoRoot: REPO_ROOT }, 'python3-missing-for-bench-test');
  assert.ok('skipped' in outcome);
  assert.match(outcome.skipped, /^moto: python3-missing-for-bench-test is not available/);
});

test('bad options end with exit code 2 and a message naming the value', async () => {
  const lines: string[] = [];
  assert.equal(await runBench(['--rounds', 'many'], (l) => lines.push(l)), 2);
  assert.match(lines.join('\n'), /invalid --rounds 'many'/);
  assert.equal(await runBench(['--cases', 'get-4k,nope'], (l) => lines.push(l)), 2);
  assert.match(lines.join('\n'), /unknown case 'nope'/);
  assert.throws(() => parseOptions(['--delete-keys', '1001']), /at most 1000 keys/);
  assert.deepEqual(
    parseOptions(['--servers', 'moto']).servers,
    ['moto', 'trivial'],
    'the trivial server is always added',
  );
});

test('a failed run names each server whose start, run or requests failed', () => {
  const ok = {
    server: 'sailbucket' as const,
    status: 'ok' as const,
    rounds: [],
    warmupErrors: 0,
    errorSamples: [],
    summary: { errors: 0 },
  };
  const results = [
    {
      id: 'list-1000',
      title: 'ListObjectsV2 1000 keys',
      concurrency: 16,
      client: 'node' as const,
      servers: [
        ok,
        { ...ok, server: 's3rver' as const, summary: { errors: 37 } },
        { ...ok, server: 'moto' as const, status: 'failed' as const },
      ],
    },
  ] as unknown as Parameters<typeof failures>[1];
  const problems = failures([{ name: 'trivial', status: 'failed', reason: 'port in use' }], results, [
    {
      server: 'sailbucket',
      curve: [{ objects: 10, case: 'put-4k', opsPerSec: 1, p50Ms: 1, p99Ms: 1, serverCpuUsPerOp: 1, errors: 1 }],
      seedSeconds: [],
    },
  ]);
  assert.deepEqual(problems, [
    'trivial failed to start',
    's3rver: ListObjectsV2 1000 keys: 37 request errors',
    'moto: ListObjectsV2 1000 keys failed',
    'sailbucket: scaling: 1 request error',
  ]);
  assert.deepEqual(failures([], [{ ...results[0], servers: [ok] }] as unknown as typeof results, []), []);
});
